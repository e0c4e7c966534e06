// Sources from three real tools on one timeline: Sysmon (OTRF JSON lines), Zeek conn records
// and a Procmon CSV export, imported through the UI; then the LSASS-access finding leads to its
// event.
import { ImportDialog } from './pages/import-dialog.ts';
import { StartPage } from './pages/start-page.ts';
import { WorkbenchPage } from './pages/workbench-page.ts';
import { expect, sharedCapture, test } from './fixtures/tracebench.ts';

const SYSMON = sharedCapture('public/sysmon_json/metasploit_outflank-dumpert_lsass_memory_dump.slice_104736-104746Z.json');
const ZEEK_CONN = sharedCapture('public/zeek/otrf_lsass_campaign_06/conn.log');
const PROCMON = sharedCapture('public/procmon/CompressedLogfileTests32bitUTCCSV.slice-24361-27860.csv');

test('Sysmon, Zeek and Procmon captures line up as lanes and triage points at the LSASS access', async ({ page, tracebench }) => {
  const start = new StartPage(page);
  const importer = new ImportDialog(page);
  const workbench = new WorkbenchPage(page);

  await start.open(tracebench.url);
  await start.createCase('windows sources');

  await importer.openFromHeader();
  await importer.chooseFiles([SYSMON, ZEEK_CONN, PROCMON]);
  expect(await importer.formatOf('metasploit_outflank-dumpert_lsass_memory_dump.slice_104736-104746Z.json')).toBe('winevent-jsonl');
  expect(await importer.formatOf('conn.log')).toBe('zeek');
  expect(await importer.formatOf('CompressedLogfileTests32bitUTCCSV.slice-24361-27860.csv')).toBe('procmon-csv');
  await importer.answerDates('2020-01-01');
  await importer.start();
  const results = await importer.waitUntilFinished([
    'metasploit_outflank-dumpert_lsass_memory_dump.slice_104736-104746Z.json',
    'conn.log',
    'CompressedLogfileTests32bitUTCCSV.slice-24361-27860.csv',
  ]);
  // SOURCES.md: 833 Sysmon/Security records, 777 conn records, 3,500 Procmon rows; none rejected.
  expect(results.map((r) => [r.state, r.events, r.rejected])).toEqual([
    ['done', 833, 0],
    ['done', 777, 0],
    ['done', 3500, 0],
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
