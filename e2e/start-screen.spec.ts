// The start screen lists the workspace's cases and opens them by the ids the server issued; a
// script in the page cannot make the server open a path of its choosing.
import { StartPage } from './pages/start-page.ts';
import { expect, test } from './fixtures/tracebench.ts';

test('cases are listed from the workspace and opened by id, never by path', async ({ page, tracebench }) => {
  const start = new StartPage(page);
  await start.open(tracebench.url);
  await start.createCase('alpha');
  await page.getByTestId('close-case').click();
  await start.createCase('beta');
  await page.getByTestId('close-case').click();

  expect((await start.listedCases()).sort()).toEqual(['alpha', 'beta']);
  await start.openListedCase('alpha');

  // What an injected script holding the page's token could try: every file method refuses a path.
  const answers = await page.evaluate(async () => {
    // Runs in the page; the e2e tsconfig has no DOM types, so the page's storage is typed here.
    const storage = (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage;
    const token = storage.getItem('tracebench-token') ?? '';
    const post = async (method: string, body: unknown) => {
      const r = await fetch(`/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Tracebench-Token': token }, body: JSON.stringify(body) });
      return r.status;
    };
    return [
      await post('openCase', { case_id: '/etc/passwd' }),
      await post('probeFormat', { file_id: '/etc/passwd' }),
      await post('startImport', { file_id: '/proc/self/environ' }),
      await post('probeFormat', { file_id: `cap_${'0'.repeat(32)}` }),
      await post('grant', {}),
    ];
  });
  expect(answers).toEqual([400, 400, 400, 404, 404]);
  await expect(page.getByTestId('case-name')).toContainText('alpha');
});
