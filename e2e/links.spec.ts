// The Links panel: on the sample case (strace -y of a Modbus client on loopback) a connect call
// lists the calls made on its socket, and clicking one selects that call.
import { ImportDialog } from './pages/import-dialog.ts';
import { StartPage } from './pages/start-page.ts';
import { WorkbenchPage } from './pages/workbench-page.ts';
import { expect, repoFixture, test } from './fixtures/tracebench.ts';

test('a connect shows its socket calls in the Links panel and a click follows one', async ({ page, tracebench }) => {
  const start = new StartPage(page);
  const workbench = new WorkbenchPage(page);
  await start.openSampleAt(tracebench.url);
  await workbench.filterByOp('connect');
  const connectId = await workbench.selectRow(0);
  const links = page.getByTestId('links-panel');
  const rows = links.getByTestId('links-row');
  await expect(rows.first()).toBeVisible();
  await expect(rows.first()).toHaveAttribute('data-kind', 'socket-call');
  await rows.first().click();
  await expect(page.getByTestId('event-detail')).not.toHaveAttribute('data-event-id', String(connectId));
  // From the call, the chain leads back to the connect.
  await expect(links.getByTestId('links-row').first()).toHaveAttribute('data-kind', 'socket-call');
});

// "Follow" on a case made of the repository's links fixtures (core/importers/fixtures/links,
// SOURCES.md there): a strace -yy Modbus client, the tshark export of its traffic and the plant's
// alarm list. From the first connect() the chain reaches the flow, the register write on the wire
// and the HIGH LEVEL alarm; the timeline draws it across lanes; the flows view lists the client.
const STRACE = repoFixture('links/client-yy.strace');
const WIRE = repoFixture('links/wire.csv');
const ALARMS = repoFixture('links/plant-alarms.jsonl');

test('follow from a connect() to the alarm, drawn on the timeline; the flows view lists who wrote to the controller', async ({ page, tracebench }) => {
  const start = new StartPage(page);
  const importer = new ImportDialog(page);
  const workbench = new WorkbenchPage(page);
  await start.open(tracebench.url);
  await start.createCase('follow a write');
  await importer.openFromHeader();
  await importer.chooseFiles([STRACE, WIRE, ALARMS]);
  await importer.answerDates('2026-11-26');
  await importer.start();
  const results = await importer.waitUntilFinished(['client-yy.strace', 'wire.csv', 'plant-alarms.jsonl']);
  expect(results.map((r) => r.state)).toEqual(['done', 'done', 'done']);
  await importer.close();

  await workbench.filterByOp('connect');
  const connectId = await workbench.selectRow(0);
  await page.keyboard.press('f'); // the row has the focus: F is a shortcut outside text fields
  const chain = page.getByTestId('followed-chain');
  await expect(chain).toHaveAttribute('data-event-id', String(connectId));
  const steps = chain.getByTestId('follow-step');
  const roles = await steps.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-role')));
  expect(roles[0]).toBe('call');
  expect(roles.slice(-3)).toEqual(['flow', 'ics', 'alarm']);
  await expect(steps.last()).toContainText('HIGH LEVEL');

  // Drawn on the timeline: host call → flow → write → alarm, across lanes.
  const connectors = page.getByTestId('chain-connectors').getByTestId('chain-connector');
  const kinds = await connectors.evaluateAll((paths) => paths.map((p) => p.getAttribute('data-kind')));
  expect(kinds).toEqual(expect.arrayContaining(['socket-flow', 'flow-ics', 'ics-alarm']));

  // Each step is clickable: the alarm becomes the selected event.
  const alarmId = await steps.last().getAttribute('data-event-id');
  await steps.last().click();
  await expect(page.getByTestId('event-detail')).toHaveAttribute('data-event-id', alarmId ?? '');

  // The flows view: pid 2001 talked Modbus to 10.0.0.5:502 and wrote once; a click filters the table to the server.
  await page.getByTestId('tab-flows').click();
  const row = page.getByTestId('flow-row').filter({ hasText: '10.0.0.5:502' }).first();
  await expect(row).toHaveAttribute('data-writes', '1');
  await expect(row).toContainText('write_single_register');
  await page.getByTestId('flows-filter').fill('no-such-process');
  await expect(page.getByTestId('flow-row')).toHaveCount(0);
  await page.getByTestId('flows-filter').fill('');
  await page.getByTestId('flow-row').filter({ hasText: '10.0.0.5:502' }).first().click();
  await expect(workbench.rows().first()).toBeVisible();
});
