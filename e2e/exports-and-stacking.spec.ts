// The analyst's instruments on the sample case: the table says how many events its filter keeps
// out of the case's, the Stack tab counts ops and a click on one filters the table to it, and
// the table's view downloads as CSV and as JSON Lines with exactly those rows.
import { parse as parseCsv } from 'csv-parse/sync';
import type { CaseInfo, QueryResponse } from '../core/api.ts';
import { StackPanel } from './pages/stack-panel.ts';
import { StartPage } from './pages/start-page.ts';
import { WorkbenchPage } from './pages/workbench-page.ts';
import { expect, test } from './fixtures/tracebench.ts';

test('counts, stacking and exports follow the table filter', async ({ page, tracebench }) => {
  const start = new StartPage(page);
  const workbench = new WorkbenchPage(page);
  const stack = new StackPanel(page);
  await start.openSampleAt(tracebench.url);
  const info = await tracebench.call<CaseInfo>('caseInfo');
  const countOf = async (op: string): Promise<number> => {
    const r = await tracebench.call<QueryResponse>('query', { sql: `SELECT count(*) FROM events WHERE op = '${op}'` });
    return Number(r.rows[0]?.[0]);
  };

  await test.step('the count says "N of M events" and follows the filter', async () => {
    await stack.expectCount(info.event_count, info.event_count);
    await workbench.filterByOp('openat');
    await stack.expectCount(await countOf('openat'), info.event_count);
    await workbench.table.getByTestId('filter-op').fill('');
    await stack.expectCount(info.event_count, info.event_count);
  });

  let picked = { value: '', count: 0 };
  await test.step('the Stack tab lists the ops with their counts, and a click filters the table to one', async () => {
    await stack.open('op');
    const values = await stack.values();
    expect(values.length).toBeGreaterThan(1);
    expect(values.map((v) => v.count)).toEqual([...values.map((v) => v.count)].sort((a, b) => b - a));
    picked = values[1] ?? { value: '', count: 0 };
    expect(picked.count).toBe(await countOf(picked.value));
    await stack.pick(picked.value);
    await expect(page.getByTestId('stack-pick')).toContainText(picked.value);
    await stack.expectCount(picked.count, info.event_count);
    const ops = await workbench.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-op')));
    expect(new Set(ops)).toEqual(new Set([picked.value]));
  });

  await test.step('CSV and JSON Lines exports hold exactly the rows the table shows', async () => {
    const csv = await stack.exportTable('csv');
    expect(csv.fileName).toMatch(/\.csv$/);
    const [header, ...rows] = parseCsv(csv.text) as string[][];
    expect(rows).toHaveLength(picked.count);
    const opColumn = header?.indexOf('op') ?? -1;
    expect(new Set(rows.map((r) => r[opColumn]))).toEqual(new Set([picked.value]));

    const jsonl = await stack.exportTable('jsonl');
    expect(jsonl.fileName).toMatch(/\.jsonl$/);
    const lines = jsonl.text.trimEnd().split('\n').map((l) => JSON.parse(l) as { op: string; ts: string });
    expect(lines).toHaveLength(picked.count);
    expect(new Set(lines.map((l) => l.op))).toEqual(new Set([picked.value]));
    expect(lines.map((l) => l.ts)).toEqual([...lines.map((l) => l.ts)].sort());
  });

  await test.step('removing the pick shows every event again', async () => {
    await page.getByTestId('stack-pick-clear').click();
    await stack.expectCount(info.event_count, info.event_count);
  });
});
