import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventFilter } from '../api.ts';
import { addCapture, type EventSpec } from '../api/testing-case.ts';
import type { StoredEvent } from '../model/event.ts';
import { CaseStore } from '../store/case-store.ts';
import { EVENT_SELECT, readEvents } from '../store/event-rows.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { laneIdOf } from '../timeline/lane-id.ts';
import { filterKey, filterToSql } from './event-filter.ts';

// A small vocabulary so random filters actually hit events; odd characters test the binding.
const WORDS = ['open', 'passwd', 'ETC', "o'; DROP TABLE event_rows; --", '%', '_', 'sh', 'conn', '\\', 'é'];
const PROCS = ['python3', 'sh', 'Lsass.exe', null];
const OPS = ['openat', 'connect', 'execve', 'RegSetValue', 'modbus.write'];

function makeEvents(): EventSpec[] {
  const out: EventSpec[] = [];
  for (let i = 0; i < 120; i++) {
    out.push({
      ts_us: 1_700_000_000_000_000 + i * 1000,
      host: i % 3 === 0 ? 'plc-1' : i % 3 === 1 ? 'hmi' : null,
      pid: i % 5 === 0 ? null : 100 + (i % 4),
      process: PROCS[i % PROCS.length] ?? null,
      kind: i % 4 === 0 ? 'network' : 'api',
      op: OPS[i % OPS.length] ?? 'openat',
      category: i % 2 === 0 ? 'file' : 'network',
      target: i % 7 === 0 ? null : `/etc/${WORDS[i % WORDS.length]}`,
      args: `args ${WORDS[(i * 3) % WORDS.length]}`,
      ret: i % 6 === 0 ? '-1' : '0',
      error: i % 6 === 0 ? 'ENOENT' : i % 11 === 0 ? '' : null,
    });
  }
  return out;
}

/** The reference semantics, written plainly in JS. */
function matches(e: StoredEvent, f: EventFilter): boolean {
  const inList = <T>(list: T[] | undefined, v: T): boolean => !list || list.length === 0 || list.includes(v);
  const has = (v: string | null, needle: string): boolean => (v ?? '').toLowerCase().includes(needle.toLowerCase());
  if (f.from_us !== undefined && e.ts_us < f.from_us) return false;
  if (f.to_us !== undefined && e.ts_us > f.to_us) return false;
  if (!inList(f.capture_ids, e.capture_id) || !inList(f.kinds, e.kind) || !inList(f.categories, e.category)) return false;
  if (!inList(f.ops, e.op) || (f.hosts?.length && (e.host === null || !f.hosts.includes(e.host)))) return false;
  if (f.pids?.length && (e.pid === null || !f.pids.includes(e.pid))) return false;
  if (f.process && !has(e.process, f.process)) return false;
  if (f.text && ![e.op, e.target, e.args, e.ret, e.error, e.process].some((v) => has(v, f.text ?? ''))) return false;
  if (f.failed_only && !(e.error !== null && e.error !== '')) return false;
  if (f.lane_id !== undefined && laneIdOf(e) !== f.lane_id) return false;
  return true;
}

const textArb = fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 6 }));
const filterArb: fc.Arbitrary<EventFilter> = fc.record(
  {
    from_us: fc.integer({ min: 1_700_000_000_000_000 - 5000, max: 1_700_000_000_130_000 }),
    to_us: fc.integer({ min: 1_700_000_000_000_000, max: 1_700_000_000_130_000 }),
    capture_ids: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    kinds: fc.array(fc.constantFrom('api', 'network', 'ics'), { maxLength: 2 }),
    categories: fc.array(fc.constantFrom('file', 'network'), { maxLength: 2 }),
    ops: fc.array(fc.constantFrom(...OPS), { maxLength: 3 }),
    hosts: fc.array(fc.constantFrom('plc-1', 'hmi', "x' OR 1=1"), { maxLength: 2 }),
    pids: fc.array(fc.integer({ min: 99, max: 104 }), { maxLength: 3 }),
    process: textArb,
    text: textArb,
    failed_only: fc.boolean(),
    lane_id: fc.constantFrom('api:plc-1:101', 'api::102', 'src:1:network', 'src:2:network', 'api:hmi:'),
  },
  { requiredKeys: [] },
);

describe('filterToSql', () => {
  const dir = tempDir();
  let store: CaseStore;
  let all: StoredEvent[];

  beforeAll(async () => {
    store = await CaseStore.open(dir.file('filter.duckdb'));
    const events = makeEvents();
    await addCapture(store, 'one', events.slice(0, 60));
    await addCapture(store, 'two', events.slice(60));
    all = await readEvents(store, sql`SELECT ${EVENT_SELECT} FROM event_rows e ORDER BY e.event_id`);
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('never puts the analyst’s text into the SQL statement, only into bound values', () => {
    fc.assert(
      fc.property(filterArb, fc.string({ minLength: 3, maxLength: 20 }), (f, probe) => {
        const marked = { ...f, text: `zz${probe}`, process: `qq${probe}`, hosts: [`hh${probe}`], ops: [`oo${probe}`] };
        const { text, params } = filterToSql(marked).render();
        for (const userText of [marked.text, marked.process, `hh${probe}`, `oo${probe}`]) {
          expect(text).not.toContain(userText);
        }
        // bound as an ILIKE pattern (%text%) and, for texts holding % or _, also as the text itself
        expect(params.some((p) => typeof p === 'string' && p.includes(marked.text.toLowerCase()))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('selects exactly the events a plain JS filter selects', async () => {
    await fc.assert(
      fc.asyncProperty(filterArb, async (f) => {
        const rows = await readEvents(store, sql`SELECT ${EVENT_SELECT} FROM event_rows e WHERE ${filterToSql(f)} ORDER BY e.event_id`);
        const expected = all.filter((e) => matches(e, f)).map((e) => e.event_id);
        expect(rows.map((e) => e.event_id)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('matches some events for simple filters (the property test is not vacuous)', async () => {
    const rows = await readEvents(store, sql`SELECT ${EVENT_SELECT} FROM event_rows e WHERE ${filterToSql({ text: 'ETC', failed_only: true })}`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((e) => e.error === 'ENOENT' && `${e.target} ${e.args}`.toLowerCase().includes('etc'))).toBe(true);
  });

  it('refuses a malformed lane id instead of matching nothing silently', () => {
    expect(() => filterToSql({ lane_id: 'nonsense' })).toThrow(/not a timeline lane id/);
  });

  it('gives the same cache key whatever the property order', () => {
    expect(filterKey({ kinds: ['b', 'a'], text: 'x' })).toBe(filterKey({ text: 'x', kinds: ['a', 'b'] }));
    expect(filterKey({ kinds: [] })).toBe(filterKey({}));
  });
});
