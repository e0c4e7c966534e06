// End to end over hand-written captures (core/importers/fixtures/links): a strace -f -tt -T -yy
// excerpt of a client that writes a Modbus register and then polls on a second connection, and
// the tshark CSV export of the same traffic. The links join socket calls → flows → Modbus operations; --auto recovers a clock
// shift of the strace capture with an interval holding the truth.
import { afterAll, describe, expect, it } from 'vitest';
import { alignCapture } from '../case/align.ts';
import { getCapture } from '../case/case-info.ts';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { applyCaptureClocks, estimateCaptureClocks } from './auto-align.ts';
import { linkChain, readLinks, rebuildLinks } from './store.ts';

describe('links across a strace -yy capture and a tshark export', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  async function openCase(): Promise<{ store: CaseStore; ids: Map<string, number> }> {
    const stracePath = fixture('links/client-yy.strace');
    const tsharkPath = fixture('links/wire.csv');
    const store = await CaseStore.open(dir.file(`case-${Math.random().toString(36).slice(2)}.duckdb`), { create: true });
    await importFile(store, stracePath, { date: '2026-11-26' });
    await importFile(store, tsharkPath, {});
    const rows = await store.rows(sql`SELECT event_id, capture_id, source_line FROM event_rows`, { event_id: 'num', capture_id: 'num', source_line: 'num' });
    // "capture:line" → event id (line 1 of the CSV is its header: frame n is line n + 1)
    return { store, ids: new Map(rows.map((r) => [`${r.capture_id}:${r.source_line}`, r.event_id])) };
  }

  it('links each connect to its SYN by 5-tuple, the flow to its Modbus requests, and every socket call to its connect', async () => {
    const { store, ids } = await openCase();
    try {
      await rebuildLinks(store);
      const links = await readLinks(store);
      const of = (kind: string): [number, number][] => links.filter((l) => l.kind === kind).map((l) => [l.from_event, l.to_event]);
      const e = (capture: number, line: number): number => ids.get(`${capture}:${line}`) ?? -1;
      expect(of('socket-flow').sort()).toEqual([[e(1, 2), e(2, 2)], [e(1, 7), e(2, 7)]].sort());
      expect(links.find((l) => l.kind === 'socket-flow' && l.from_event === e(1, 2))?.rule).toContain('5-tuple 10.0.0.2:40100 → 10.0.0.5:502');
      expect(of('flow-ics').sort()).toEqual([[e(2, 2), e(2, 5)], [e(2, 7), e(2, 9)]].sort());
      expect(of('socket-call').sort()).toEqual([[e(1, 2), e(1, 3)], [e(1, 2), e(1, 4)], [e(1, 2), e(1, 5)], [e(1, 7), e(1, 8)], [e(1, 7), e(1, 9)]].sort());

      // The chain of the write request's send: its connect, the flow, the write on the wire.
      const chain = await linkChain(store, e(1, 3));
      const reached = new Set(chain.flatMap((l) => [l.from_event, l.to_event]));
      expect([e(1, 2), e(2, 2), e(2, 5)].every((id) => reached.has(id))).toBe(true);
      expect(reached.has(e(2, 9))).toBe(false); // the other connection's poll is not in this chain
    } finally {
      store.close();
    }
  });

  it('recovers a 2.5 s shift of the strace clock within the stated uncertainty, and applies it on request', async () => {
    const { store } = await openCase();
    try {
      await alignCapture(store, { capture_id: 1, offset_us: 2_500_000 });
      const [reference, strace] = await estimateCaptureClocks(store);
      expect(reference?.capture_id).toBe(2);
      expect(strace?.capture_id).toBe(1);
      expect(strace?.pairs).toBe(2);
      // True correction: -2.5 s (the excerpt's SYNs fall inside their connect calls).
      expect(Math.abs((strace?.offset_us ?? 0) + 2_500_000)).toBeLessThanOrEqual(strace?.uncertainty_us ?? -1);
      expect(strace?.uncertainty_us).toBeLessThan(1_000);
      expect((await getCapture(store, 1)).clock_offset_us).toBe(2_500_000); // estimating moves nothing

      const applied = await applyCaptureClocks(store);
      expect(applied.find((c) => c.capture_id === 1)?.applied).toBe(true);
      const after = await getCapture(store, 1);
      expect(Math.abs(after.clock_offset_us)).toBeLessThanOrEqual(strace?.uncertainty_us ?? -1);
      expect(after.clock_offset_basis).toMatch(/^automatic: 2 connect ↔ SYN pair\(s\) with capture 2/);
      expect((await readLinks(store)).filter((l) => l.kind === 'socket-flow')).toHaveLength(2);
    } finally {
      store.close();
    }
  });
});
