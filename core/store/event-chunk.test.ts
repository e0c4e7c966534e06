// The packed write path (event-chunk.ts + chunk-appender.ts) against what DuckDB reads back:
// every value of every event, through both ways events reach the writer (one at a time on the
// importing thread; packed elsewhere and handed over, with buffers recycled), must come back
// exactly, including NULLs, strings on both sides of the 12-byte inline limit, non-ASCII text
// and negative or 2^53-sized integers.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../model/event.ts';
import { tempDir } from '../testing/temp.ts';
import { CaptureWriter } from './capture-writer.ts';
import { CaseStore } from './case-store.ts';
import { CHUNK_ROWS, EventChunkPacker } from './event-chunk.ts';
import { EVENT_SELECT, readEvents } from './event-rows.ts';
import { sql } from './sql.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const meta = { fileName: 'x', filePath: null, format: 'jsonl', importerVersion: 'test', host: 'default-host', dateBasis: null, tz: 'UTC' };
const totals = { sha256: '0'.repeat(64), sizeBytes: 1, continuationLines: 0, skippedLines: 0, warnings: [] };

// Strings that straddle the inline limit (12 bytes), with and without multi-byte characters.
const text = fc.oneof(
  fc.string({ maxLength: 14 }),
  fc.string({ unit: 'grapheme', maxLength: 14 }),
  fc.string({ minLength: 11, maxLength: 13, unit: fc.constantFrom('a', 'é', '\u0000', '€', '😀') }),
  fc.string({ maxLength: 12, unit: fc.constantFrom('a', 'é', 'ÿ', '\u0080') }),
  fc.string({ maxLength: 300 }),
  // Long strings that repeat within a chunk (stored once, then shared: event-chunk.ts repeats).
  fc.constantFrom('a long string repeated across rows', 'C:\\Windows\\System32\\kernel32.dll', 'répété, non ASCII, assez long'),
);
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null | undefined> => fc.oneof(a, fc.constant(null), fc.constant(undefined));
const event: fc.Arbitrary<CanonicalEvent> = fc.record({
  ts_us: fc.oneof(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.constantFrom(0, -1, 2 ** 53 - 1, -(2 ** 53) + 1, 2 ** 32, -(2 ** 32))),
  dur_us: maybe(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(Number.NaN))),
  host: maybe(text),
  pid: maybe(fc.oneof(fc.integer(), fc.constantFrom(2 ** 31, 1.5, -(2 ** 31)))),
  tid: maybe(fc.integer({ min: 0, max: 1 << 22 })),
  ppid: maybe(fc.integer({ min: 0, max: 1 << 22 })),
  process: maybe(text),
  kind: fc.constantFrom('api', 'process', 'file', 'log'),
  op: text,
  category: fc.constantFrom('file', 'network', 'other'),
  target: maybe(text),
  args: maybe(text),
  ret: maybe(text),
  error: maybe(text),
  source_line: fc.integer({ min: 1, max: 2 ** 40 }),
  fields: maybe(fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 3 })),
  level: maybe(fc.oneof(fc.constantFrom('alarm', 'crit', 'warning', 'informational'), text)),
}) as fc.Arbitrary<CanonicalEvent>;

/** What the store should give back for an importer's event. */
function expected(e: CanonicalEvent, eventId: number, captureId: number): Record<string, unknown> {
  const int32 = (v: number | null | undefined): number | null => (v === null || v === undefined || (v | 0) !== v ? null : v);
  return {
    event_id: eventId,
    capture_id: captureId,
    ts_us: e.ts_us,
    ts_raw_us: e.ts_us,
    dur_us: e.dur_us === undefined || e.dur_us === null || Number.isNaN(e.dur_us) ? null : e.dur_us,
    host: e.host ?? meta.host,
    pid: int32(e.pid),
    tid: int32(e.tid),
    ppid: int32(e.ppid),
    process: e.process ?? null,
    kind: e.kind,
    op: e.op,
    category: e.category,
    target: e.target ?? null,
    args: e.args ?? null,
    ret: e.ret ?? null,
    error: e.error ?? null,
    source_line: e.source_line,
    fields: e.fields ?? null,
    level: e.level ?? null,
  };
}

async function storedEvents(store: CaseStore, captureId: number): Promise<unknown[]> {
  return readEvents(store, sql`SELECT ${EVENT_SELECT} FROM event_rows e WHERE e.capture_id = ${captureId} ORDER BY e.event_id`);
}

describe('packed event chunks', () => {
  it('store every value exactly, one event at a time or packed elsewhere with recycled buffers', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 60 }), fc.integer({ min: 1, max: 40 }), async (events, chunkSize) => {
        // One event at a time, as an importer on the importing thread does.
        const one = await CaptureWriter.begin(store, meta);
        for (const e of events) one.addEvent(e);
        const s1 = await one.commit(totals);
        const first = (await store.rows(sql`SELECT coalesce(min(event_id), 0) AS id FROM event_rows WHERE capture_id = ${s1.capture_id}`, { id: 'num' }))[0]!.id;
        expect(await storedEvents(store, s1.capture_id)).toEqual(events.map((e, i) => expected(e, first + i, s1.capture_id)));

        // Packed by a packer whose buffers come back dirty, in short chunks, as the worker does.
        const packed = await CaptureWriter.begin(store, meta);
        const packer = new EventChunkPacker(meta.host);
        for (const e of events) {
          packer.add(e);
          if (packer.rows === chunkSize) {
            const chunk = packer.take();
            packed.addChunk(chunk);
            packer.recycle(chunk.buffer);
          }
        }
        packed.addChunk(packer.take());
        const s2 = await packed.commit(totals);
        const first2 = (await store.rows(sql`SELECT coalesce(min(event_id), 0) AS id FROM event_rows WHERE capture_id = ${s2.capture_id}`, { id: 'num' }))[0]!.id;
        expect(await storedEvents(store, s2.capture_id)).toEqual(events.map((e, i) => expected(e, first2 + i, s2.capture_id)));
        expect(s2.events).toBe(events.length);
        // Equal strings must compare equal in SQL too (inline strings are compared bytewise,
        // padding included), whatever a recycled buffer held before.
        const groups = await store.rows(sql`SELECT op, count(*) AS n FROM event_rows WHERE capture_id = ${s2.capture_id} GROUP BY op`, { op: 'str', n: 'num' });
        const tally = new Map<string, number>();
        for (const e of events) tally.set(e.op, (tally.get(e.op) ?? 0) + 1);
        expect(new Map(groups.map((g) => [g.op, g.n]))).toEqual(tally);
      }),
      { numRuns: 40 },
    );
    store.close();
  });

  it('stores a frozen fields object shared by several events like separate ones', async () => {
    const store = await CaseStore.open(dir.file('shared.duckdb'));
    const shared = Object.freeze({ image_path: 'C:\\Windows\\Explorer.EXE', session: 1, elevated: false });
    const w = await CaptureWriter.begin(store, meta);
    for (let i = 0; i < 3; i++) w.addEvent({ ts_us: i, kind: 'registry', op: 'RegQueryValue', category: 'registry', source_line: i + 1, fields: i === 1 ? { ...shared, extra: 'x' } : shared });
    const { capture_id } = await w.commit(totals);
    const stored = (await storedEvents(store, capture_id)) as { fields: unknown }[];
    expect(stored.map((e) => e.fields)).toEqual([shared, { ...shared, extra: 'x' }, shared]);
    store.close();
  });

  it('stores a lone surrogate as U+FFFD and keeps NUL, accents and emoji, in ASCII and non-ASCII chunks alike', async () => {
    const store = await CaseStore.open(dir.file('utf8.duckdb'));
    const texts = ['lone \uD800 surrogate here', '\uDC00', 'a\u0000b, a long string with NUL', 'é', '😀 and a long string after it'];
    const hexes: string[][] = [];
    // Each text alone (a chunk of one string), then all in one chunk (byte offsets past multi-byte text).
    for (const group of [...texts.map((t) => [t]), texts]) {
      const w = await CaptureWriter.begin(store, meta);
      for (const [i, t] of group.entries()) w.addEvent({ ts_us: i, kind: 'log', op: t, category: 'log', target: `${t} (target)`, source_line: i + 1 });
      const { capture_id } = await w.commit(totals);
      const rows = await store.rows(sql`SELECT hex(op) AS op, hex(target) AS target FROM event_rows WHERE capture_id = ${capture_id} ORDER BY source_line`, { op: 'str', target: 'str' });
      hexes.push(rows.flatMap((r) => [r.op, r.target]));
    }
    // Node's own UTF-8 encoding writes a lone surrogate as EF BF BD (U+FFFD).
    const utf8 = (t: string): string => Buffer.from(t, 'utf8').toString('hex').toUpperCase();
    expect(utf8('\uD800')).toBe('EFBFBD');
    const want = texts.flatMap((t) => [utf8(t), utf8(`${t} (target)`)]);
    expect(hexes.slice(0, texts.length).flat()).toEqual(want);
    expect(hexes[texts.length]).toEqual(want);
    store.close();
  });

  it('keeps strings apart where a lone high surrogate ends one and a lone low surrogate starts the next', async () => {
    const store = await CaseStore.open(dir.file('surrogates.duckdb'));
    const w = await CaptureWriter.begin(store, meta);
    // op then target are the chunk's consecutive out-of-line strings; the row after checks the offsets.
    w.addEvent({ ts_us: 0, kind: 'log', op: 'an op long enough \uD800', target: '\uDC00 a target long enough', category: 'log', source_line: 1 });
    w.addEvent({ ts_us: 1, kind: 'log', op: 'the next op, long enough', target: 'the next target, long enough é', category: 'log', source_line: 2 });
    const { capture_id } = await w.commit(totals);
    const rows = await store.rows(sql`SELECT op, target FROM event_rows WHERE capture_id = ${capture_id} ORDER BY source_line`, { op: 'str', target: 'str' });
    expect(rows).toEqual([
      { op: 'an op long enough \uFFFD', target: '\uFFFD a target long enough' },
      { op: 'the next op, long enough', target: 'the next target, long enough é' },
    ]);
    store.close();
  });

  it('fills whole chunks of CHUNK_ROWS and refuses a row past the end', () => {
    const packer = new EventChunkPacker(null);
    for (let i = 0; i < CHUNK_ROWS; i++) packer.add({ ts_us: i, kind: 'log', op: 'x', category: 'log', source_line: i + 1 });
    expect(packer.full).toBe(true);
    expect(() => packer.add({ ts_us: 0, kind: 'log', op: 'x', category: 'log', source_line: 1 })).toThrow(/full/);
    const chunk = packer.take();
    expect(chunk.rows).toBe(CHUNK_ROWS);
    expect([chunk.minTsUs, chunk.maxTsUs]).toEqual([0, CHUNK_ROWS - 1]);
    expect(packer.rows).toBe(0);
  });
});
