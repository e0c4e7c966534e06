// Test helper: a case file holding hand-built events (one capture per call), so triage can be
// exercised on small, readable scenarios before or besides real captures.
import type { CanonicalEvent } from '../../model/event.ts';
import { CaptureWriter } from '../../store/capture-writer.ts';
import type { CaseStore } from '../../store/case-store.ts';

export const T0 = 1_795_673_602_000_000; // an arbitrary UTC instant, µs

export async function addCapture(store: CaseStore, events: CanonicalEvent[], fileName = 'synthetic.txt', host = 'hmi-test'): Promise<number> {
  const w = await CaptureWriter.begin(store, { fileName, filePath: null, format: 'synthetic', importerVersion: 'test@1', host, dateBasis: null, tz: 'UTC' });
  events.forEach((e) => w.addEvent({ host, ...e }));
  const summary = await w.commit({ sha256: '00'.repeat(32), sizeBytes: 1, continuationLines: 0, skippedLines: 0, warnings: [] });
  return summary.capture_id;
}

let line = 0;
/** A syscall event `sec` seconds after T0. */
export function call(sec: number, pid: number, op: string, target: string | null, args = '', extra: Partial<CanonicalEvent> = {}): CanonicalEvent {
  line++;
  return { ts_us: T0 + Math.round(sec * 1e6), pid, kind: 'api', op, category: 'process', target, args, ret: '0', source_line: line, ...extra };
}
