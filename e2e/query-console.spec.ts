// The query console on the sample case: a SELECT is answered in a grid, an escape attempt is
// refused inline with the allow-list's message, and the events table is still there afterwards.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { QueryConsole } from './pages/query-console.ts';
import { StartPage } from './pages/start-page.ts';
import { REPO_ROOT, expect, test } from './fixtures/tracebench.ts';

const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'screenshots');

test('a SELECT shows its rows in a grid and an escape attempt shows the refusal', async ({ page, tracebench }) => {
  const start = new StartPage(page);
  const console = new QueryConsole(page);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await start.openSampleAt(tracebench.url);
  await console.open();

  await test.step('a GROUP BY over events fills the grid, one row per op', async () => {
    await console.run('SELECT count(DISTINCT op) AS ops FROM events');
    const [ops] = await console.cells(0);
    expect(Number(ops)).toBeGreaterThan(1);
    await console.run('SELECT op, count(*) AS calls FROM events GROUP BY op ORDER BY op');
    await expect(console.error).toHaveCount(0);
    expect(await console.columns()).toEqual(['op', 'calls']);
    await expect(console.rows).toHaveCount(Number(ops));
    await expect(page.getByTestId('query-status')).toContainText(`${ops} rows`);
    const [op, calls] = await console.cells(0);
    expect(op).not.toBe('');
    expect(Number(calls)).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'query-console-rows.png') });
  });

  await test.step('reading a file is refused inline, naming what was refused', async () => {
    await console.run("SELECT * FROM read_text('/etc/passwd')");
    await expect(console.error).toContainText('not allowed in the query console: table function read_text()');
    await expect(page.getByTestId('query-result')).toHaveCount(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'query-console-refusal.png') });
    await console.run("SELECT * FROM '/etc/passwd'");
    await expect(console.error).toContainText('"/etc/passwd" is not a table of this case');
  });

  await test.step('the events table is where it was', async () => {
    await page.getByTestId('tab-events').click();
    await expect(page.getByTestId('events-table')).toBeVisible();
    await expect(page.getByTestId('event-row').first()).toBeVisible();
  });
});
