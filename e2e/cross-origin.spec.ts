// A page on another 127.0.0.1 port is a hostile neighbour (issue 18): with the shell open in the
// same browser (so any cookie would have been set) and then in the same tab, the neighbour's page
// fires every state-changing call at the shell in every cross-origin way a page has. Each one must
// reach the server and be refused, and the case must be exactly as before, as the real API says.
// The shell must still work after a reload, which has no cookie to lean on.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startHostilePage, type Attack } from './fixtures/hostile-page.ts';
import { expect, test } from './fixtures/tracebench.ts';
import { StartPage } from './pages/start-page.ts';
import { WorkbenchPage } from './pages/workbench-page.ts';

interface CaseInfoSeen {
  path: string;
  captures: { capture_id: number }[];
}

/** Every file under the workspace (cases, uploads), to see that none appeared or went. */
interface SessionSeen {
  recent: Record<string, unknown>[];
}

function withoutFileStats(session: SessionSeen): SessionSeen {
  return { ...session, recent: session.recent.map(({ modified: _modified, size: _size, ...rest }) => rest) };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.wal'))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

test('a page on another 127.0.0.1 port cannot change the case, in any way a page can send a request', async ({ page, context, tracebench }) => {
  const start = new StartPage(page);
  const workbench = new WorkbenchPage(page);
  await start.openSampleAt(tracebench.url);
  await expect(workbench.lanes().first()).toBeVisible();
  expect(page.url()).not.toContain(tracebench.token); // the fragment was taken out of the address bar
  expect(await context.cookies()).toEqual([]);

  // A reload has no fragment and no cookie: the page finds its token in sessionStorage.
  await page.reload();
  await expect(workbench.lanes().first()).toBeVisible();

  // Something the neighbour could change or delete.
  const before = await tracebench.call<CaseInfoSeen>('caseInfo');
  const firstCapture = before.captures[0]?.capture_id ?? 1;
  await tracebench.call('annotate', { event_id: null, from_us: 0, to_us: 1, tag: 'benign', note: 'made by the analyst' });
  const annotationsBefore = await tracebench.call<{ annotation_id: number }[]>('annotations');
  const annotationId = annotationsBefore[0]?.annotation_id ?? 1;
  const state = async () => ({
    // The case file's size and time in the recent list are left out: they move whenever the open
    // case's background builds (sort keys, the event id index) write it, neighbour or not.
    session: withoutFileStats(await tracebench.call<SessionSeen>('session')),
    caseInfo: await tracebench.call('caseInfo'),
    annotations: await tracebench.call('annotations'),
    incidents: await tracebench.call('incidents'),
    findings: await tracebench.call('findings'),
    files: filesUnder(tracebench.workspace),
  });
  const stateBefore = await state();

  const attacks: Attack[] = [
    { path: '/api/annotate', body: { event_id: null, from_us: 0, to_us: 1, tag: 'malicious', note: 'written by a neighbour' } },
    { path: '/api/updateAnnotation', body: { annotation_id: annotationId, note: 'rewritten by a neighbour' } },
    { path: '/api/deleteAnnotation', body: { annotation_id: annotationId } },
    { path: '/api/startImport', body: { file_id: `cap_${'0'.repeat(32)}`, display_name: 'passwd' } },
    { path: '/api/openCase', body: { case_id: `case_${'0'.repeat(32)}` } },
    { path: '/api/newCase', body: { name: 'planted' } },
    { path: '/api/openSampleCase', body: {} },
    { path: '/api/align', body: { capture_id: firstCapture, offset_us: 3_600_000_000 } },
    { path: '/api/setBaseline', body: { capture_id: firstCapture, baseline: true } },
    { path: '/api/setWorkflowState', body: { subject: 'incident', id: 1, state: 'false_positive', note: 'dismissed by a neighbour' } },
    { path: '/api/setWorkflowState', body: { subject: 'finding', id: 1, state: 'false_positive' } },
    { path: '/upload?name=planted.jsonl', body: { ts: 1, event: 'planted' } },
  ];
  const hostile = await startHostilePage(tracebench.origin, attacks);
  try {
    await page.goto(hostile.url);
    await page.waitForFunction('window.attacksDone === true', null, { timeout: 60_000 });
    // What the page saw of each attempt (opaque answers, network errors), kept with the test's results.
    await test.info().attach('attack results', { body: JSON.stringify(await page.evaluate('window.attackResults'), null, 1), contentType: 'application/json' });
  } finally {
    await hostile.close();
  }

  // Every call arrived (so the test proves a refusal, not a browser that never sent it) and was refused.
  for (const attack of attacks) {
    const path = attack.path.split('?')[0] ?? attack.path;
    await expect.poll(() => tracebench.output()).toContain(`refused POST ${path}: request from another origin (${new URL(hostile.url).origin})`);
  }
  expect(tracebench.output()).not.toMatch(/tracebench serve: (?!refused|further refused).*/);
  const refusals = (tracebench.output().match(/refused POST/g) ?? []).length;
  test.info().annotations.push({ type: 'refused requests', description: `${refusals} POSTs from the neighbour reached the server and were refused` });
  console.log(`cross-origin: ${refusals} POSTs from the neighbour reached the server and were refused`);
  expect(await state()).toEqual(stateBefore);
  expect(await tracebench.call('annotations')).toMatchObject([{ note: 'made by the analyst' }]);

  // Back on the shell in the same tab: still working, with the token kept in this tab's sessionStorage.
  await page.goto(`${tracebench.origin}/`);
  await expect(workbench.lanes().first()).toBeVisible();
  await expect(page.getByTestId('case-name')).toBeVisible();

  // A new tab without the URL has no token: the page loads, but no case data comes back.
  const freshTab = await context.newPage();
  await freshTab.goto(`${tracebench.origin}/`);
  await expect(freshTab.getByTestId('error-bar')).toContainText('open the URL printed by "tracebench serve"');
  await expect(freshTab.getByTestId('workbench')).toHaveCount(0);
});
