// The analyst's main path through the browser shell, on real captures of the sample scenario
// kept in the repository (core/importers/fixtures/strace/demo-tt: strace -f -tt of a Modbus PLC, an
// HMI and an intruder, and the programs' own log): new case → import the strace and the log →
// lanes → pick an execve → what happened around it → guidance → annotate → reload → the
// annotation is still there → export the report.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImportDialog } from './pages/import-dialog.ts';
import { StartPage } from './pages/start-page.ts';
import { WorkbenchPage } from './pages/workbench-page.ts';
import { REPO_ROOT, expect, repoFixture, test } from './fixtures/tracebench.ts';

const STRACE = repoFixture('strace/demo-tt/strace-tt.txt');
const APP_LOG = repoFixture('strace/demo-tt/app-log.jsonl');
// strace -tt prints times of day only; the script that made the capture wrote down its UTC date.
const CAPTURE_DATE = readFileSync(repoFixture('strace/demo-tt/capture-date.txt'), 'utf8').trim();
const APP_LOG_LINES = readFileSync(APP_LOG, 'utf8').split('\n').filter((l) => l !== '').length;
const NOTE = 'HMI spawned a shell: check what the intruder ran next (e2e note)';

test('an analyst follows an execve from the scenario trace to its application log, annotates it and exports the report', async ({ page, tracebench }, testInfo) => {
  const start = new StartPage(page);
  const importer = new ImportDialog(page);
  const workbench = new WorkbenchPage(page);

  await test.step('create a new case', async () => {
    await start.open(tracebench.url);
    await start.createCase('hmi-ws01 incident');
  });

  await test.step('import the strace capture and the application log through the dialog', async () => {
    await importer.openFromHeader();
    await importer.chooseFiles([STRACE, APP_LOG]);
    expect(await importer.formatOf('strace-tt.txt')).toMatch(/strace/);
    // strace -tt has times of day only: the dialog must ask for the date (an uploaded copy's
    // modification time is the upload time, so the default would be today's date).
    await expect(importer.item('strace-tt.txt').getByTestId('import-date'), 'the strace importer should declare needsDate').toBeVisible();
    await importer.answerDates(CAPTURE_DATE);
    await importer.start();
    const results = await importer.waitUntilFinished(['strace-tt.txt', 'app-log.jsonl']);
    for (const result of results) {
      expect(result.state, `${result.name} finished`).toBe('done');
      expect(result.events, `${result.name} has events`).toBeGreaterThan(0);
    }
    // One JSON record per line: every line is an event or a reject.
    const log = results.find((r) => r.name === 'app-log.jsonl');
    expect((log?.events ?? 0) + (log?.rejected ?? 0)).toBe(APP_LOG_LINES);
    await importer.close();
  });

  await test.step('lanes appear: API lanes per process and lanes for the logs', async () => {
    await expect(workbench.lanes('api').first()).toBeVisible();
    expect(await workbench.lanes('api').count()).toBeGreaterThan(1);
    await expect(workbench.lanes('source').first()).toBeVisible();
    const kinds = await workbench.laneKinds();
    expect(kinds.some((kind) => kind === 'log' || kind === 'alarm')).toBe(true);
    const captures = await workbench.showCaptures();
    await expect(captures.getByTestId('capture-item')).toHaveCount(2);
  });

  let selected = 0;
  await test.step('select an execve in the table', async () => {
    await workbench.filterByOp('execve');
    selected = await workbench.selectRow(0);
    expect(selected).toBeGreaterThan(0);
  });

  await test.step('the surrounding panel shows a nearby log line', async () => {
    const logRows = workbench.surrounding.locator('[data-testid="surrounding-row"][data-kind="log"]');
    await expect(logRows.first()).toBeVisible();
    const delta = Number(await logRows.first().getAttribute('data-delta-us'));
    expect(Math.abs(delta)).toBeLessThanOrEqual(5_000_000);
  });

  await test.step('the guidance panel shows for the execve', async () => {
    await expect(workbench.guidance).toBeVisible();
    await expect(workbench.guidance.getByText('Select an event for guidance')).toHaveCount(0);
  });

  await test.step('annotate the execve as suspicious', async () => {
    await workbench.annotateSelected('suspicious', NOTE);
    const list = await workbench.showAnnotations();
    await expect(list.getByTestId('annotation-item').filter({ hasText: NOTE })).toHaveCount(1);
  });

  await test.step('save a screenshot of the main view', async () => {
    const dir = join(REPO_ROOT, 'test-results', 'screenshots');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'workbench-main-view.png');
    await page.screenshot({ path, fullPage: false });
    await testInfo.attach('workbench main view', { path, contentType: 'image/png' });
  });

  await test.step('after a reload the annotation is still in the list', async () => {
    await page.reload();
    await expect(page.getByTestId('workbench')).toBeVisible();
    const list = await workbench.showAnnotations();
    const item = list.getByTestId('annotation-item').filter({ hasText: NOTE });
    await expect(item).toHaveCount(1);
    await expect(item).toHaveAttribute('data-tag', 'suspicious');
  });

  await test.step('the exported HTML report contains the note', async () => {
    const report = await workbench.exportReport();
    expect(report.fileName).toMatch(/\.html?$/);
    expect(report.html).toContain(NOTE);
  });
});
