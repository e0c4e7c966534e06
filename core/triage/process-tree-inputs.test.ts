// Triage's process tree read from the rows core/process keeps per capture (process-tree-inputs.ts)
// is the tree read from the events: strace fixtures with forks, threads and execs, and a synthetic
// capture, before the kept rows exist, after rebuildDerived made them, and after an alignment made
// one capture's rows stale.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { rebuildDerived } from '../case/derived.ts';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { buildProcessTree } from './process-tree.ts';
import { addCapture, serviceShellsOut } from './testing/build-case.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

async function tree(store: CaseStore, captureIds: number[] | null): Promise<string[]> {
  return (await buildProcessTree(store, captureIds)).all().map((p) => JSON.stringify(p)).sort();
}

it('builds the same tree from the kept rows as from the events, full and per capture', { timeout: 120_000 }, async () => {
  const store = await CaseStore.open(dir.file('case.duckdb'));
  try {
    const ids = [
      (await importFile(store, fixture('strace/sh-f-mixed.txt'), { format: 'strace', date: '2026-11-26' })).capture_id,
      (await importFile(store, fixture('strace/strace_f_tt_T.head200.log'), { format: 'strace', date: '2026-11-26' })).capture_id,
      await addCapture(store, serviceShellsOut()),
    ];
    const fromEvents = { full: await tree(store, null), first: await tree(store, [ids[0] as number]) };
    expect(fromEvents.full.length).toBeGreaterThan(3);
    expect(fromEvents.full.some((p) => (JSON.parse(p) as { parent_pid: number | null }).parent_pid !== null)).toBe(true);
    await rebuildDerived(store);
    const kept = await store.one(sql`SELECT count(*) AS n FROM process_pid_spans`, { n: 'num' });
    expect(kept?.n).toBeGreaterThan(0);
    expect({ full: await tree(store, null), first: await tree(store, [ids[0] as number]) }).toEqual(fromEvents);
    // A capture shifted in time: its kept rows are stale until the next rebuild, and are not read.
    await store.exec(sql`UPDATE captures SET clock_offset_us = clock_offset_us + 1 WHERE capture_id = ${ids[1] as number}`);
    await store.exec(sql`UPDATE event_rows SET ts_us = ts_us + 1 WHERE capture_id = ${ids[1] as number}`);
    const shifted = await tree(store, null);
    expect(shifted).not.toEqual(fromEvents.full);
    await store.exec(sql`DELETE FROM process_span_captures`);
    expect(await tree(store, null)).toEqual(shifted);
  } finally {
    store.close();
  }
});
