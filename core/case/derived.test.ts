// The derived tables are kept per capture (migration 16): after each import only the new capture
// is scanned. Whatever the order and however the captures arrive, the kept process tree and links
// must equal one rebuild over the whole case, and equal what is computed without the caches.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { addCapture } from '../api/testing-case.ts';
import { importFile } from '../ingest/import-file.ts';
import { computeLinks } from '../links/store.ts';
import { computeProcessTree } from '../process/store.ts';
import { CaseStore } from '../store/case-store.ts';
import { rawSql, sql } from '../store/sql.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { alignCapture } from './align.ts';
import { rebuildDerived } from './derived.ts';

type Import = (store: CaseStore) => Promise<unknown>;

/** What the kept tables hold, in one order (ids, images, links with their rules and confidences). */
async function kept(store: CaseStore): Promise<{ processes: unknown[]; members: unknown[]; links: unknown[] }> {
  return {
    processes: await store.rows(sql`SELECT * FROM processes ORDER BY proc_id`, {
      proc_id: 'num', host: 'str?', pid: 'num', parent_id: 'num?', image: 'str?', command_line: 'str?', start_us: 'num', end_us: 'num', exit_code: 'num?', captures: 'str', events: 'num',
    }),
    members: await store.rows(sql`SELECT * FROM process_members ORDER BY ALL`, { proc_id: 'num', capture_id: 'num', pid: 'num', first_us: 'num', last_us: 'num' }),
    links: await store.rows(sql`SELECT from_event, to_event, kind, confidence, rule FROM links ORDER BY ALL`, {
      from_event: 'num', to_event: 'num', kind: 'str', confidence: 'num', rule: 'str',
    }),
  };
}

/** The same, computed from the events alone (no kept spans or connections). */
async function computed(store: CaseStore): Promise<{ processes: number; links: unknown[] }> {
  const links = (await computeLinks(store)).map((l) => ({ from_event: l.from_event, to_event: l.to_event, kind: l.kind, confidence: l.confidence, rule: l.rule }));
  const order = (a: (typeof links)[number], b: (typeof links)[number]): number =>
    a.from_event - b.from_event || a.to_event - b.to_event || a.kind.localeCompare(b.kind) || a.confidence - b.confidence || a.rule.localeCompare(b.rule);
  return { processes: (await computeProcessTree(store)).length, links: links.sort(order) };
}

describe('derived tables kept per capture', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const open = (): Promise<CaseStore> => CaseStore.open(dir.file(`case-${Math.random().toString(36).slice(2)}.duckdb`), { create: true });

  /** Imports one at a time with the derived tables after each, and all at once with one rebuild. */
  async function bothWays(imports: Import[], after?: (store: CaseStore) => Promise<unknown>): Promise<[Awaited<ReturnType<typeof kept>>, Awaited<ReturnType<typeof kept>>]> {
    const stepwise = await open();
    const whole = await open();
    try {
      for (const add of imports) {
        await add(stepwise);
        await rebuildDerived(stepwise);
      }
      for (const add of imports) await add(whole);
      if (after) {
        await rebuildDerived(whole);
        await after(stepwise);
        await after(whole);
      }
      await rebuildDerived(stepwise);
      await rebuildDerived(whole);
      const a = await kept(stepwise);
      const b = await kept(whole);
      // Neither equals the other by chance only: both equal the tables computed from the events.
      const fresh = await computed(whole);
      expect(b.links).toEqual(fresh.links);
      expect(b.processes).toHaveLength(fresh.processes);
      return [a, b];
    } finally {
      stepwise.close();
      whole.close();
    }
  }

  const strace: Import = (s) => importFile(s, fixture('links/client-yy.strace'), { date: '2026-11-26' });
  const wire: Import = (s) => importFile(s, fixture('links/wire.csv'), {});
  const alarms: Import = (s) => importFile(s, fixture('links/plant-alarms.jsonl'), {});

  it('host capture, wire capture and alarm list in any order give the links and tree of one rebuild', async () => {
    for (const order of [[strace, wire, alarms], [wire, alarms, strace], [alarms, strace, wire]]) {
      const [stepwise, whole] = await bothWays(order);
      expect(stepwise).toEqual(whole);
      expect(whole.links.length).toBeGreaterThan(0);
    }
  }, 120_000);

  it('an alignment of one capture after the imports gives the links of one rebuild', async () => {
    const [stepwise, whole] = await bothWays([strace, wire, alarms], (s) => alignCapture(s, { capture_id: 1, offset_us: 1_000_000 }));
    expect(stepwise).toEqual(whole);
  }, 60_000);

  it('a capture that is gone loses its kept rows, and the links are those of the captures left', async () => {
    const store = await open();
    try {
      for (const add of [strace, wire, alarms]) {
        await add(store);
        await rebuildDerived(store);
      }
      const withWire = await kept(store);
      expect(withWire.links.some((l) => (l as { kind: string }).kind === 'socket-flow')).toBe(true);
      // As crash recovery removes a capture: its events and its row.
      await store.exec(sql`DELETE FROM event_rows WHERE capture_id = 2`);
      await store.exec(sql`DELETE FROM captures WHERE capture_id = 2`);
      await rebuildDerived(store);
      const left = await kept(store);
      expect(left.links).toEqual((await computed(store)).links);
      expect(left.links.some((l) => (l as { kind: string }).kind === 'socket-flow')).toBe(false);
      for (const table of ['process_pid_spans', 'process_lifecycle_rows', 'process_span_captures', 'host_connections', 'link_captures']) {
        const row = await store.one(sql`SELECT count(*) AS n FROM ${rawSql(table)} WHERE capture_id = 2`, { n: 'num' });
        expect(row?.n, table).toBe(0);
      }
    } finally {
      store.close();
    }
  }, 60_000);

  it('the process tree joined across random captures equals one rebuild (fast-check)', async () => {
    const T = 1_790_000_000_000_000;
    const event = fc.record({
      dt: fc.integer({ min: 0, max: 3_000_000 }),
      pid: fc.integer({ min: 100, max: 106 }),
      what: fc.constantFrom('execve', 'fork', 'exit_group', 'read', 'exec'),
      child: fc.integer({ min: 100, max: 108 }),
      image: fc.constantFrom('/bin/sh', '/usr/bin/python3', '/usr/bin/id'),
    });
    const capture = fc.record({ host: fc.constantFrom('plc-gw', null), events: fc.array(event, { minLength: 1, maxLength: 8 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(capture, { minLength: 2, maxLength: 3 }), async (captures) => {
        const imports = captures.map((c, i): Import => (s) =>
          addCapture(
            s,
            c.host === null ? `trace-${i}.txt` : `kernel-${i}.jsonl`,
            c.events.map((e) =>
              e.what === 'exec'
                ? { ts_us: T + e.dt, pid: e.pid, kind: 'process', op: 'exec', category: 'process', target: e.image, args: e.image }
                : {
                    ts_us: T + e.dt, pid: e.pid, op: e.what, category: e.what === 'read' ? 'file' : 'process', target: e.what === 'execve' ? e.image : null,
                    args: e.what === 'execve' ? `"${e.image}", ["${e.image}"], 0x1 /* 3 vars */` : null, ret: e.what === 'fork' ? String(e.child) : '0',
                  },
            ),
            c.host,
          ),
        );
        const [stepwise, whole] = await bothWays(imports);
        expect(stepwise).toEqual(whole);
      }),
      { numRuns: 8 },
    );
  }, 300_000);
});
