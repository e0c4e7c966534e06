// "Follow" over the hand-written links fixtures (core/importers/fixtures/links): a strace -yy
// client that writes a Modbus register, the tshark export of its traffic and the plant's alarm
// list. From the connect() the chain reaches its socket's calls, the flow, the write on the wire
// and the alarm that followed; a longer window adds the later pump trip no link names.
import { afterAll, describe, expect, it } from 'vitest';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { followChain } from './follow.ts';
import { rebuildLinks } from './store.ts';

describe('followChain on a strace -yy + tshark + alarm list case', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  async function openCase(): Promise<{ store: CaseStore; e: (capture: number, line: number) => number }> {
    const store = await CaseStore.open(dir.file(`case-${Math.random().toString(36).slice(2)}.duckdb`), { create: true });
    await importFile(store, fixture('links/client-yy.strace'), { date: '2026-11-26' });
    await importFile(store, fixture('links/wire.csv'), {});
    await importFile(store, fixture('links/plant-alarms.jsonl'), {});
    await rebuildLinks(store);
    const rows = await store.rows(sql`SELECT event_id, capture_id, source_line FROM event_rows`, { event_id: 'num', capture_id: 'num', source_line: 'num' });
    const ids = new Map(rows.map((r) => [`${r.capture_id}:${r.source_line}`, r.event_id]));
    return { store, e: (capture, line) => ids.get(`${capture}:${line}`) ?? -1 };
  }

  it('from connect(): calls, the flow, the Modbus write, then the alarm, in that order', async () => {
    const { store, e } = await openCase();
    try {
      const chain = await followChain(store, e(1, 2));
      expect(chain.steps.map((s) => [s.role, s.event.event_id])).toEqual([
        ['call', e(1, 2)], ['call', e(1, 3)], ['call', e(1, 4)], ['call', e(1, 5)],
        ['flow', e(2, 2)],
        ['ics', e(2, 5)],
        ['alarm', e(3, 2)],
      ]);
      expect(chain.steps[0]?.depth).toBe(0);
      // The connect and its SYN are 150 µs apart, inside the clocks' combined uncertainty; the
      // alarm list has no connect ↔ SYN pair, so nothing is claimed about its order.
      expect(chain.steps[0]?.order_uncertain?.capture_id).toBe(2);
      expect(chain.steps[4]?.order_uncertain?.capture_id).toBe(1);
      expect(chain.steps[6]?.order_uncertain).toBeNull();
      expect(chain.links.find((l) => l.to_event === e(3, 2))).toMatchObject({ from_event: e(2, 5), kind: 'ics-alarm' });
      // The other connection's poll and the info record are not part of this chain.
      const reached = new Set(chain.steps.map((s) => s.event.event_id));
      expect(reached.has(e(2, 9)) || reached.has(e(3, 1)) || reached.has(e(3, 3))).toBe(false);
      expect(chain.process?.pid).toBe(2001);
      expect(chain.truncated).toBe(false);
    } finally {
      store.close();
    }
  });

  it('from the write on the wire the chain leads back to the connect; a longer window adds the unlinked pump trip', async () => {
    const { store, e } = await openCase();
    try {
      const chain = await followChain(store, e(2, 5), { max_depth: 6, alarm_window_us: 10_000_000 });
      const ids = chain.steps.map((s) => s.event.event_id);
      expect(ids).toEqual(expect.arrayContaining([e(1, 2), e(2, 2), e(2, 5), e(3, 2), e(3, 3)]));
      expect(chain.steps.at(-1)?.event.event_id).toBe(e(3, 3));
      expect(chain.links.find((l) => l.to_event === e(3, 3))?.rule).toMatch(/no link names it/);
      // Depth 1 from the write: its flow and its alarm only.
      const near = await followChain(store, e(2, 5), { max_depth: 1, alarm_window_us: 0 });
      expect(new Set(near.steps.map((s) => s.event.event_id))).toEqual(new Set([e(2, 5), e(2, 2), e(3, 2)]));
      expect(near.truncated).toBe(true);
    } finally {
      store.close();
    }
  });
});
