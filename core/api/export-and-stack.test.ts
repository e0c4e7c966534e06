// The contract methods exportEvents and stack as a shell calls them: arguments validated by the
// schema, the file named after the case, and the stack answered for the table's filter.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp.ts';
import { validateArgs } from './schemas.ts';
import { Session } from './session.ts';
import { addCapture } from './testing-case.ts';
import { createWorkbench } from './workbench.ts';

const dir = tempDir();
const session = new Session({ shell: 'browser', home: join(dir.path, 'home'), workspace: join(dir.path, 'cases') });
const api = createWorkbench(session);

beforeAll(async () => {
  await api.newCase({ name: 'plant' });
  const store = session.requireCase().store;
  await addCapture(store, 'strace.txt', [
    { ts_us: 1_000_000, pid: 5, process: 'hmi', op: 'openat', target: '/etc/plc/a.ini' },
    { ts_us: 2_000_000, pid: 5, process: 'hmi', op: 'connect', category: 'network', target: '10.0.0.5:502' },
    { ts_us: 3_000_000, pid: 6, process: 'sh', op: 'openat', target: '=cmd|calc' },
  ]);
  session.requireCase().counts.clear();
});
afterAll(async () => {
  await session.close();
  dir.remove();
});

describe('exportEvents', () => {
  it("saves the table's view under the case's name, in the columns and sort asked for", async () => {
    const file = await api.exportEvents({ filter: { ops: ['openat'] }, sort: { column: 'ts_us', desc: true }, columns: ['op', 'target'], format: 'csv' });
    expect(file).toEqual({ file_name: 'plant-events.csv', mime: 'text/csv', content: "op,target\nopenat,'=cmd|calc\nopenat,/etc/plc/a.ini\n" });
    const ts = await api.exportEvents({ filter: {}, format: 'timesketch' });
    expect(ts.file_name).toBe('plant-events.timesketch.jsonl');
    expect(ts.content.trimEnd().split('\n')).toHaveLength(3);
  });

  it('refuses unknown columns and formats at the boundary', () => {
    expect(() => validateArgs('exportEvents', { filter: {}, format: 'xlsx' })).toThrow(/format/);
    expect(() => validateArgs('exportEvents', { filter: {}, format: 'csv', columns: ['op; DROP TABLE events'] })).toThrow(/columns/);
    expect(() => validateArgs('stack', { filter: {}, field: 'args', limit: 10 })).toThrow(/field/);
  });
});

describe('stack', () => {
  it('counts the values of a field for the filter, and a pick narrows the count', async () => {
    const byOp = await api.stack({ filter: {}, field: 'op', limit: 10 });
    expect(byOp.rows).toEqual([
      { value: 'openat', count: 2 },
      { value: 'connect', count: 1 },
    ]);
    const picked = await api.eventPage({ filter: { endpoints: ['10.0.0.5:502'] }, offset: 0, limit: 10 });
    expect(picked.rows.map((e) => e.op)).toEqual(['connect']);
  });
});
