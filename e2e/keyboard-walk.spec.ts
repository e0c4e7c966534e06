// The analyst's walk without a mouse (issue 13): open the sample case, find an execve, annotate
// it, pin it, save a named view, reload — and the view is back: the search, the selected event,
// the column layout and "pinned only". Every step is a key press; `tabTo` moves the focus with
// Tab alone, as a keyboard user would, and fails if the control is never reached.
import { type Page, expect } from '@playwright/test';
import { StartPage } from './pages/start-page.ts';
import { WorkbenchPage } from './pages/workbench-page.ts';
import { test } from './fixtures/tracebench.ts';

/** Presses Tab until the element with this test id has the focus. */
async function tabTo(page: Page, testId: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    const focused = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-testid') ?? null);
    if (focused === testId) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${testId}`);
}

test('keyboard only: open the case, find an execve, annotate and pin it, save a view, reload', async ({ page, tracebench }) => {
  const start = new StartPage(page);
  const workbench = new WorkbenchPage(page);
  const table = workbench.table;
  await start.open(tracebench.url);

  await tabTo(page, 'open-sample');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('workbench')).toBeVisible({ timeout: 120_000 });
  await expect(workbench.rows().first()).toBeVisible();

  // Find an execve: `/` focuses the search, Escape leaves it, `t` the table, `j` selects the first match.
  await page.keyboard.press('/');
  await page.keyboard.type('execve');
  await expect(async () => {
    const ops = await workbench.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-op')));
    expect(ops.length).toBeGreaterThan(0);
    expect(ops.every((op) => op === 'execve')).toBe(true);
  }).toPass();
  await page.keyboard.press('Escape');
  await page.keyboard.press('t');
  await page.keyboard.press('j');
  const selected = table.locator('[data-testid="event-row"][aria-selected="true"]');
  await expect(selected).toHaveAttribute('data-op', 'execve');
  const eventId = Number(await selected.getAttribute('data-event-id'));
  // The detail panel has the event (it is what `a` annotates and `p` pins).
  await expect(page.getByTestId('event-detail')).toHaveAttribute('data-event-id', String(eventId));

  // `a` annotates it: the tag field has the focus, Enter makes a chip, Tab reaches Save.
  await page.keyboard.press('a');
  const editor = page.getByTestId('annotation-editor');
  await expect(editor).toBeVisible();
  // The tag field offers a default; replace it.
  await page.keyboard.press('Control+A');
  await page.keyboard.type('malicious');
  await page.keyboard.press('Enter');
  await page.keyboard.type('initial-access');
  await page.keyboard.press('Enter');
  await expect(editor.getByTestId('annotation-chip')).toHaveCount(2);
  await tabTo(page, 'annotation-save');
  await page.keyboard.press('Enter');
  await expect(editor).toHaveCount(0);
  await expect
    .poll(async () => (await tracebench.call<Array<{ event_id: number | null; tags: string[] }>>('annotations')).map((a) => [a.event_id, a.tags]))
    .toEqual([[eventId, ['malicious', 'initial-access']]]);

  // `p` pins it; `P` shows pinned events only.
  await page.keyboard.press('t');
  await page.keyboard.press('p');
  await expect.poll(async () => (await tracebench.call<Array<{ event_id: number }>>('pins')).map((p) => p.event_id)).toEqual([eventId]);
  await page.keyboard.press('P');
  await expect(table).toHaveAttribute('data-total', '1');

  // Save the view under a name: Tab to the Views tab, Enter, Tab to the name, type, Enter.
  await tabTo(page, 'tab-views');
  await page.keyboard.press('Enter');
  await tabTo(page, 'saved-view-name');
  await page.keyboard.type('first execve');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('saved-view')).toHaveCount(1);

  // Reload: the address restores the search, "pinned only", the selection and the views tab.
  await page.reload();
  await expect(page.getByTestId('workbench')).toBeVisible();
  await expect(table.getByTestId('filter-text')).toHaveValue('execve');
  await expect(table.getByTestId('filter-pinned')).toBeChecked();
  await expect(table).toHaveAttribute('data-total', '1');
  await expect(page.getByTestId('event-detail')).toHaveAttribute('data-event-id', String(eventId));
  await expect(page.getByTestId('saved-view')).toHaveText(/first execve/);
});
