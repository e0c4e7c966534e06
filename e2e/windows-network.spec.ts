// Sources from three real tools on one timeline: Sysmon (OTRF JSON lines), Zeek conn records
// and a Procmon CSV export, imported through the UI; then the LSASS-access finding leads to its
// event. The captures are the repository's excerpts (core/importers/fixtures/*/SOURCES.md).
import { readFileSync } from 'node:fs';
import { ImportDialog } from './pages/import-dialog.ts';
import { StartPage } from './pages/start-page.ts';
import { WorkbenchPage } from './pages/workbench-page.ts';
import { expect, repoFixture, test } from './fixtures/tracebench.ts';

const SYSMON_NAME = 'lsass-campaign.slice104736.lines70-80.json';
const ZEEK_NAME = 'conn.lines138-158.log';
const PROCMON_NAME = 'win7-mixed.rows2881-3000.csv';
const SYSMON = repoFixture(`winevent-jsonl/${SYSMON_NAME}`);
const ZEEK_CONN = repoFixture(`zeek/otrf_lsass_campaign_06/${ZEEK_NAME}`);
const PROCMON = repoFixture(`procmon-csv/${PROCMON_NAME}`);

const linesOf = (path: string): string[] => readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l !== '');

test('Sysmon, Zeek and Procmon captures line up as lanes and triage points at the LSASS access', async ({ page, tracebench }) => {
  const start = new StartPage(page);
  const importer = new ImportDialog(page);
  const workbench = new WorkbenchPage(page);

  await start.open(tracebench.url);
  await start.createCase('windows sources');

  await importer.openFromHeader();
  await importer.chooseFiles([SYSMON, ZEEK_CONN, PROCMON]);
  expect(await importer.formatOf(SYSMON_NAME)).toBe('winevent-jsonl');
  expect(await importer.formatOf(ZEEK_NAME)).toBe('zeek');
  expect(await importer.formatOf(PROCMON_NAME)).toBe('procmon-csv');
  await importer.answerDates('2020-01-01');
  await importer.start();
  const results = await importer.waitUntilFinished([SYSMON_NAME, ZEEK_NAME, PROCMON_NAME]);
  // One event per Sysmon line, per Zeek data line (not '#' headers) and per Procmon row after the header; none rejected.
  expect(results.map((r) => [r.state, r.events, r.rejected])).toEqual([
    ['done', linesOf(SYSMON).length, 0],
    ['done', linesOf(ZEEK_CONN).filter((l) => !l.startsWith('#')).length, 0],
    ['done', linesOf(PROCMON).length - 1, 0],
  ]);
  await importer.close();

  const kinds = await workbench.laneKinds();
  expect(kinds).toEqual(expect.arrayContaining(['network', 'process']));
  expect(await workbench.lanes('api').count()).toBeGreaterThan(0); // Procmon file/registry operations per process
  const captures = await workbench.showCaptures();
  await expect(captures.getByTestId('capture-item')).toHaveCount(3);

  await page.getByTestId('tab-findings').click();
  const lsass = page.getByTestId('finding-item').filter({ hasText: /LSASS/i });
  await expect(lsass.first()).toBeVisible();
  await lsass.first().click();
  await expect(page.getByTestId('event-detail')).toContainText(/lsass/i);
});
