// The process tree of the sample case (real programs under strace -f): the intruder's shell sits
// under the intruder, its commands under the shell; choosing the shell filters the table to it
// and what it started, and the timeline can order its lanes as the tree.
import { StartPage } from './pages/start-page.ts';
import { ProcessTreePanel } from './pages/process-tree.ts';
import { expect, test } from './fixtures/tracebench.ts';

test('the process tree shows who started whom and filters the table to a process and its children', async ({ page, tracebench }) => {
  const start = new StartPage(page);
  await start.openSampleAt(tracebench.url);
  const tree = new ProcessTreePanel(page);
  const panel = await tree.show();
  await expect(panel.getByTestId('process-row').first()).toBeVisible();

  // The branch with findings is open at first: intruder → sh -c "id; uname -a" → id, uname.
  const shell = tree.row(/sh -c id; uname -a/);
  await expect(shell).toBeVisible();
  await tree.expand(/sh -c id; uname -a/);
  const shellDepth = Number((await shell.getAttribute('style'))?.match(/padding-left: (\d+)px/)?.[1]);
  const id = tree.row(/^id\b/);
  await expect(id).toBeVisible();
  expect(Number((await id.getAttribute('style'))?.match(/padding-left: (\d+)px/)?.[1])).toBeGreaterThan(shellDepth);
  const intruder = tree.row(/intruder\.py/);
  expect(Number((await intruder.getAttribute('style'))?.match(/padding-left: (\d+)px/)?.[1])).toBeLessThan(shellDepth);

  // Choosing the shell filters the table to it and its children, across every capture.
  const table = page.getByTestId('events-table');
  const before = Number(await table.getAttribute('data-total'));
  await tree.choose(/sh -c id; uname -a/);
  await expect(page.getByTestId('process-focus')).toContainText('sh');
  await expect.poll(async () => Number(await table.getAttribute('data-total'))).toBeLessThan(before);
  // The children's own execve calls are among the rows (id and uname started under the shell).
  await expect(page.locator('[data-testid="event-row"][data-op="execve"]').first()).toBeVisible();
  // Without its children only the shell's own events are left.
  const withChildren = Number(await table.getAttribute('data-total'));
  await page.getByTestId('process-with-children').uncheck();
  await expect.poll(async () => Number(await table.getAttribute('data-total'))).toBeLessThan(withChildren);
  // The lanes of the chosen process are marked; "only their lanes" hides the others.
  await expect(page.locator('.lane-label.lane-focused').first()).toBeVisible();
  const allLanes = await page.getByTestId('lane').count();
  await page.getByTestId('process-lanes-only').check();
  await expect.poll(() => page.getByTestId('lane').count()).toBeLessThan(allLanes);
  // Clearing the chip shows every event again.
  await page.getByTestId('process-focus-clear').click();
  await expect.poll(async () => Number(await table.getAttribute('data-total'))).toBe(before);

  // The timeline can order its process lanes as the tree: children indented under parents.
  await page.getByTestId('lanes-by-tree').check();
  const indented = page.locator('[data-testid="lane"][data-lane-group="api"][style*="padding-left"]');
  await expect(indented.first()).toBeVisible();
});
