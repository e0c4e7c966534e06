// Pins in the case file: set, listed, survive closing and reopening the case, unpinned; and the
// table's filter fields that go with them (pinned_only, cell conditions) select exactly the
// events a plain JS filter selects, with every value bound.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellCondition, EventFilter } from '../api.ts';
import { addCapture, type EventSpec } from '../api/testing-case.ts';
import type { StoredEvent } from '../model/event.ts';
import { filterToSql } from '../query/event-filter.ts';
import { CaseStore } from '../store/case-store.ts';
import { EVENT_SELECT, readEvents } from '../store/event-rows.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { listPins, PinError, setPinned } from './pins.ts';

const PROCS = ['sh', "o'; DROP TABLE pins; --", null];
const TARGETS = ['/etc/passwd', '/tmp/x', null, ''];

function makeEvents(): EventSpec[] {
  return Array.from({ length: 40 }, (_, i) => ({
    ts_us: 1_700_000_000_000_000 + i * 1000,
    pid: i % 4 === 0 ? null : 100 + (i % 3),
    process: PROCS[i % PROCS.length] ?? null,
    op: i % 2 === 0 ? 'openat' : 'execve',
    target: TARGETS[i % TARGETS.length] ?? null,
    args: `a${i % 5}`,
  }));
}

async function ids(store: CaseStore, filter: EventFilter): Promise<number[]> {
  const rows = await readEvents(store, sql`SELECT ${EVENT_SELECT} FROM event_rows e WHERE ${filterToSql(filter)} ORDER BY e.event_id`);
  return rows.map((e) => e.event_id);
}

describe('pins', () => {
  const dir = tempDir();
  const path = dir.file('pins.duckdb');
  let store: CaseStore;
  let all: StoredEvent[];

  beforeAll(async () => {
    store = await CaseStore.open(path);
    await addCapture(store, 'one', makeEvents());
    all = await readEvents(store, sql`SELECT ${EVENT_SELECT} FROM event_rows e ORDER BY e.event_id`);
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('stores pins in the case: they survive reopening, pinning twice keeps one, unpinning removes', async () => {
    const [a, b, c] = all.map((e) => e.event_id);
    if (a === undefined || b === undefined || c === undefined) throw new Error('fixture too small');
    await setPinned(store, b, true, 'alice');
    await setPinned(store, a, true, 'bob');
    await setPinned(store, b, true, 'alice');
    store.close();
    store = await CaseStore.open(path);
    const pins = await listPins(store);
    expect(pins.map((p) => p.event_id).sort()).toEqual([a, b].sort());
    expect(pins.find((p) => p.event_id === a)?.author).toBe('bob');
    expect(pins.every((p) => /^\d{4}-\d\d-\d\dT/.test(p.pinned_at))).toBe(true);
    expect(await ids(store, { pinned_only: true })).toEqual([a, b].sort((x, y) => x - y));
    await setPinned(store, a, false);
    await setPinned(store, c, false); // not pinned: nothing to do
    expect((await listPins(store)).map((p) => p.event_id)).toEqual([b]);
    expect(await ids(store, { pinned_only: true })).toEqual([b]);
    await setPinned(store, b, false);
  });

  it('refuses to pin an event the case does not hold', async () => {
    await expect(setPinned(store, 999_999, true)).rejects.toThrow(PinError);
  });

  it('pinned_only and cell conditions select what a plain JS filter selects', async () => {
    const pinned = new Set(all.filter((_, i) => i % 3 === 0).map((e) => e.event_id));
    for (const id of pinned) await setPinned(store, id, true);
    const cellArb: fc.Arbitrary<CellCondition> = fc.oneof(
      fc.record({ column: fc.constant('process' as const), value: fc.constantFrom(...PROCS), exclude: fc.boolean() }),
      fc.record({ column: fc.constant('target' as const), value: fc.constantFrom(...TARGETS), exclude: fc.boolean() }),
      fc.record({ column: fc.constant('pid' as const), value: fc.constantFrom(100, 101, null), exclude: fc.boolean() }),
    );
    const valueOf = (e: StoredEvent, c: CellCondition) => (c.column === 'process' ? e.process : c.column === 'target' ? e.target : e.pid);
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(cellArb, { maxLength: 3 }), async (pinnedOnly, cells) => {
        const expected = all
          .filter((e) => !pinnedOnly || pinned.has(e.event_id))
          .filter((e) => cells.every((c) => (valueOf(e, c) === c.value) !== Boolean(c.exclude)))
          .map((e) => e.event_id);
        expect(await ids(store, { pinned_only: pinnedOnly, cells })).toEqual(expected);
      }),
      { numRuns: 60 },
    );
    // Not vacuous: excluding one value keeps empty cells and drops only that value.
    const kept = await ids(store, { cells: [{ column: 'target', value: '/etc/passwd', exclude: true }] });
    expect(kept.length).toBe(all.filter((e) => e.target !== '/etc/passwd').length);
    expect(kept.length).toBeLessThan(all.length);
  });

  it('binds cell values: a hostile value never reaches the statement text', () => {
    const hostile = "x' OR 1=1 --";
    const { text, params } = filterToSql({ cells: [{ column: 'args', value: hostile }] }).render();
    expect(text).not.toContain(hostile);
    expect(params).toContain(hostile);
    expect(() => filterToSql({ cells: [{ column: 'evil; DROP' as 'args', value: 1 }] })).toThrow(/not a cell column/);
  });
});
