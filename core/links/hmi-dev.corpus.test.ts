// The hmi-dev scenario of the shared corpus (skipped without it): the HMI's strace -y capture,
// the tshark export of the same loopback traffic and the PLC's log. Every connection to the PLC
// port must reach its flow, and through it the Modbus operations and the PLC's own records; a
// known 2.5 s shift of the strace clock must be recovered inside the stated uncertainty.
import { afterAll, expect, it } from 'vitest';
import { alignCapture } from '../case/align.ts';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { corpusCapture, describeCorpus } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { estimateCaptureClocks } from './auto-align.ts';
import { followChain } from './follow.ts';
import { readFlowSummaries } from './flows.ts';
import { readLinks, rebuildLinks } from './store.ts';

describeCorpus('links on hmi-dev (strace -y + tshark CSV + PLC log)', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('links the connections to port 502 to their flows, Modbus operations and PLC records; recovers a 2.5 s shift', { timeout: 120_000 }, async () => {
    const store = await CaseStore.open(dir.file('hmi-dev.duckdb'), { create: true });
    try {
      for (const f of ['strace.txt', 'net.csv', 'logs/plc.log']) await importFile(store, corpusCapture(`linux/hmi-dev/${f}`), { date: '2026-11-26' });
      await rebuildLinks(store);
      const links = await readLinks(store);
      const connects = await store.rows(sql`SELECT event_id FROM event_rows WHERE capture_id = 1 AND op = 'connect' AND target LIKE '%:502'`, { event_id: 'num' });
      const toFlow = new Map(links.filter((l) => l.kind === 'socket-flow').map((l) => [l.from_event, l.to_event]));
      const linked = connects.filter((c) => toFlow.has(c.event_id));
      expect(connects.length).toBeGreaterThan(0);
      expect(linked.length / connects.length).toBeGreaterThanOrEqual(0.9);
      // A connection that carried Modbus reaches its operations and the PLC's records of it.
      const flowsWithOps = new Set(links.filter((l) => l.kind === 'flow-ics').map((l) => l.from_event));
      const flowsWithDevice = new Set(links.filter((l) => l.kind === 'flow-device').map((l) => l.from_event));
      const withOps = linked.filter((c) => flowsWithOps.has(toFlow.get(c.event_id) ?? -1));
      expect(withOps.length).toBeGreaterThan(0);
      expect(withOps.filter((c) => flowsWithDevice.has(toFlow.get(c.event_id) ?? -1)).length / withOps.length).toBeGreaterThanOrEqual(0.9);
      expect(links.some((l) => l.kind === 'ics-device')).toBe(true);

      // "Follow" from each connect that led to a controller write: the write on the wire, the
      // PLC's record of it, and the process tree behind it. The writes made from a shell-started
      // tree (the intruder's tools) are one follow away from that shell.
      const followed = [];
      for (const c of linked) followed.push(await followChain(store, c.event_id)); // one at a time: the first may rebuild the process tree
      const writers = followed.filter((ch) => ch.steps.some((s) => s.role === 'ics' && s.event.fields?.['ics_write'] === true));
      expect(writers.length).toBeGreaterThan(0);
      for (const ch of writers) expect(ch.steps.some((s) => s.role === 'device' && /WRITE/.test(s.event.op))).toBe(true);
      const fromShell = writers.filter((ch) => ch.process?.ancestry.some((image) => /\/(ba|da)?sh$/.test(image)));
      expect(fromShell.length).toBeGreaterThanOrEqual(1);
      expect(fromShell.length).toBeLessThan(writers.length + 1);

      // The flows view: the process that polls the PLC is its main talker; every write is counted.
      const flows = (await readFlowSummaries(store)).filter((f) => f.server.endsWith(':502'));
      const main = [...flows].sort((a, b) => b.requests - a.requests)[0];
      expect(main?.process).not.toBeNull();
      expect(flows.reduce((n, f) => n + f.writes, 0)).toBeGreaterThanOrEqual(writers.length);

      await alignCapture(store, { capture_id: 1, offset_us: 2_500_000 });
      const strace = (await estimateCaptureClocks(store)).find((c) => c.capture_id === 1);
      expect(strace?.pairs).toBeGreaterThanOrEqual(9);
      expect(Math.abs((strace?.offset_us ?? 0) + 2_500_000)).toBeLessThanOrEqual(strace?.uncertainty_us ?? -1);
    } finally {
      store.close();
    }
  });
});
