// The Links panel: on the sample case (strace -y of a Modbus client on loopback) a connect call
// lists the calls made on its socket, and clicking one selects that call.
import { StartPage } from './pages/start-page.ts';
import { WorkbenchPage } from './pages/workbench-page.ts';
import { expect, test } from './fixtures/tracebench.ts';

test('a connect shows its socket calls in the Links panel and a click follows one', async ({ page, tracebench }) => {
  const start = new StartPage(page);
  const workbench = new WorkbenchPage(page);
  await start.open(tracebench.url);
  await start.openSample();
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
