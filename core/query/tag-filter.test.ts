// EventFilter.tag: events an annotation with the tag covers (the annotated event; every event in
// an annotated range), matched case-insensitively, combined with the other conditions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnnotation, deleteAnnotation, updateAnnotation } from '../annotations/annotations.ts';
import { addCapture } from '../api/testing-case.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import type { EventFilter } from '../api.ts';
import { filterToSql } from './event-filter.ts';

const dir = tempDir();
let store: CaseStore;

beforeAll(async () => {
  store = await CaseStore.open(dir.file('tags.duckdb'), { create: true });
  await addCapture(
    store,
    'calls.txt',
    Array.from({ length: 10 }, (_, i) => ({ ts_us: 1_000 + i * 100, op: i % 2 === 0 ? 'openat' : 'execve', pid: 7 })),
  );
});
afterAll(() => {
  store.close();
  dir.remove();
});

async function ids(filter: EventFilter): Promise<number[]> {
  const rows = await store.rows(sql`SELECT e.event_id FROM event_rows e WHERE ${filterToSql(filter)} ORDER BY e.event_id`, { event_id: 'num' });
  return rows.map((r) => r.event_id);
}

describe('tag filter', () => {
  it('keeps annotated events and events inside annotated ranges; nothing for an unknown tag', async () => {
    const all = await ids({});
    const [e0, e1, , , , , , , , e9] = all;
    if (e0 === undefined || e1 === undefined || e9 === undefined) throw new Error('the capture has 10 events');
    await createAnnotation(store, { event_id: e9, tags: ['Malicious', 'initial-access'], note: '' }, 'ana');
    // A range over the 3rd to 5th events (ts 1200…1400, both ends inclusive).
    const range = await createAnnotation(store, { from_us: 1_200, to_us: 1_400, tag: 'malicious, lateral', note: '' }, 'ana');
    await createAnnotation(store, { event_id: e1, tag: 'benign', note: '' }, 'ana');

    expect(await ids({ tag: 'malicious' })).toEqual([all[2], all[3], all[4], e9]);
    expect(await ids({ tag: '  INITIAL-ACCESS ' })).toEqual([e9]);
    expect(await ids({ tag: 'benign', ops: ['execve'] })).toEqual([e1]);
    expect(await ids({ tag: 'benign', ops: ['openat'] })).toEqual([]);
    expect(await ids({ tag: 'no-such-tag' })).toEqual([]);
    expect(await ids({ tag: '' })).toEqual(all);

    await updateAnnotation(store, { annotation_id: range.annotation_id, tags: ['lateral'] });
    expect(await ids({ tag: 'malicious' })).toEqual([e9]);
    await deleteAnnotation(store, range.annotation_id);
    expect(await ids({ tag: 'lateral' })).toEqual([]);
  });

  it('binds the tag: quotes and SQL in it are only text', async () => {
    const text = filterToSql({ tag: "x'); DROP TABLE annotations; --" }).render();
    expect(text.text).not.toContain('DROP');
    expect(text.params).toContain("x'); drop table annotations; --");
    expect(await ids({ tag: "x'); DROP TABLE annotations; --" })).toEqual([]);
  });
});
