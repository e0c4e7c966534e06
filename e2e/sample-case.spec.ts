// The sample case shipped in samples/demo opens from the start screen: API-call lanes and the
// demo's own log lane on one axis, with findings from the shipped rules.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { StartPage } from './pages/start-page.ts';
import { WorkbenchPage } from './pages/workbench-page.ts';
import { REPO_ROOT, expect, test } from './fixtures/tracebench.ts';

test('the sample case opens from the start screen with process and source lanes', async ({ page, tracebench }) => {
  const start = new StartPage(page);
  const workbench = new WorkbenchPage(page);
  await start.openSampleAt(tracebench.url);
  await expect(workbench.lanes('api').first()).toBeVisible();
  await expect(workbench.lanes('source').first()).toBeVisible();
  const captures = await workbench.showCaptures();
  await expect(captures.getByTestId('capture-item')).toHaveCount(2);
  await page.getByTestId('tab-findings').click();
  await expect(page.getByTestId('incident-item').first()).toBeVisible(); // the demo's intruder shell is one incident
  const dir = join(REPO_ROOT, 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, 'sample-case.png') });
});
