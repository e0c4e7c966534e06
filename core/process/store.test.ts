// The kept process tree: built and stamped with the captures it was built for, rebuilt when a
// capture arrives, computed without writing on a read-only case.
import { afterAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { addCapture } from '../api/testing-case.ts';
import { tempDir } from '../testing/temp.ts';
import { readProcessTree } from './store.ts';
import { EventCountCache, eventPage } from '../query/event-page.ts';

const T = 1_790_000_000_000_000;

describe('process tree store', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('keeps the tree, rebuilds it when captures change, and never writes a read-only case', async () => {
    const path = dir.file('case.duckdb');
    const store = await CaseStore.open(path, { create: true });
    await addCapture(store, 'strace.txt', [
      { ts_us: T, pid: 100, op: 'execve', category: 'process', target: '/usr/sbin/sshd', args: '"/usr/sbin/sshd", ["sshd", "-D"], 0x1 /* 3 vars */', ret: '0' },
      { ts_us: T + 1_000, pid: 100, op: 'fork', category: 'process', ret: '101' },
      { ts_us: T + 2_000, pid: 101, ppid: 100, op: 'execve', category: 'process', target: '/bin/bash', args: '"/bin/bash", ["-bash"], 0x1 /* 3 vars */', ret: '0' },
    ]);
    const first = await readProcessTree(store);
    expect(first.map((n) => [n.pid, n.image, n.parent_id === null ? null : first.find((p) => p.proc_id === n.parent_id)?.pid])).toEqual([
      [100, '/usr/sbin/sshd', null],
      [101, '/bin/bash', 100],
    ]);
    expect(await store.rows(sql`SELECT count(*) AS n FROM processes`, { n: 'num' })).toEqual([{ n: 2 }]);

    // A kernel log of the same host saw bash start a shell: the tree grows on the next read.
    await addCapture(store, 'proc_events.jsonl', [{ ts_us: T + 3_000, pid: 102, ppid: 101, kind: 'process', op: 'exec', category: 'process', target: '/usr/bin/id', args: 'id' }]);
    const second = await readProcessTree(store);
    const id = second.find((n) => n.pid === 102);
    expect(second.find((n) => n.proc_id === id?.parent_id)?.image).toBe('/bin/bash');
    expect(await store.rows(sql`SELECT count(*) AS n FROM processes`, { n: 'num' })).toEqual([{ n: 3 }]);
    await addCapture(store, 'later.jsonl', [{ ts_us: T + 9_000, pid: 200, kind: 'process', op: 'exec', category: 'process', target: '/usr/bin/nc' }]);
    store.close();

    const readOnly = await CaseStore.open(path, { readOnly: true });
    const seen = await readProcessTree(readOnly);
    expect(seen.some((n) => n.image === '/usr/bin/nc')).toBe(true);
    // Still the tree kept before the last capture: the read-only open computed, not wrote.
    expect(await readOnly.rows(sql`SELECT count(*) AS n FROM processes`, { n: 'num' })).toEqual([{ n: 3 }]);
    readOnly.close();
  });
});

describe('filtering events by process', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('keeps the events of the chosen processes in every capture that saw them', async () => {
    const store = await CaseStore.open(dir.file('case.duckdb'), { create: true });
    await addCapture(store, 'strace.txt', [
      { ts_us: T, pid: 1202, op: 'vfork', category: 'process', ret: '1205' },
      { ts_us: T + 10, pid: 1205, ppid: 1202, op: 'execve', category: 'process', target: '/bin/sh', args: '"/bin/sh", ["sh", "-c", "id"], 0x1', ret: '0' },
      { ts_us: T + 20, pid: 1205, op: 'openat', target: '/etc/shadow', ret: '3' },
      { ts_us: T + 30, pid: 1202, op: 'openat', target: '/opt/hmi/etc/hmi.conf', ret: '4' },
    ]);
    await addCapture(store, 'proc_events.jsonl', [
      { ts_us: T + 5, pid: 16659, ppid: 16622, kind: 'process', op: 'fork', category: 'process', fields: { ns_pid: 1205 } },
      { ts_us: T + 40, pid: 16659, kind: 'process', op: 'exit', category: 'process', fields: { ns_pid: 1205, exit_code: 0 } },
      { ts_us: T + 41, pid: 16622, kind: 'process', op: 'exit', category: 'process', fields: { ns_pid: 1202, exit_code: 0 } },
    ]);
    const nodes = await readProcessTree(store);
    const sh = nodes.find((n) => n.pid === 1205);
    expect(sh?.host_pid).toBe(16659);
    const page = await eventPage(store, new EventCountCache(), { filter: { proc_ids: [sh?.proc_id ?? -1] }, offset: 0, limit: 50 });
    expect(page.rows.map((r) => [r.capture_id, r.pid, r.op])).toEqual([
      [2, 16659, 'fork'],
      [1, 1205, 'execve'],
      [1, 1205, 'openat'],
      [2, 16659, 'exit'],
    ]);
    store.close();
  });
});
