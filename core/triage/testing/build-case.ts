// Test helper: a case file holding hand-built events (one capture per call), so triage can be
// exercised on small, readable scenarios before or besides real captures.
import type { CanonicalEvent } from '../../model/event.ts';
import { CaptureWriter } from '../../store/capture-writer.ts';
import type { CaseStore } from '../../store/case-store.ts';

export const T0 = 1_795_673_602_000_000; // an arbitrary UTC instant, µs

export async function addCapture(store: CaseStore, events: CanonicalEvent[], fileName = 'synthetic.txt', host = 'hmi-test', format = 'synthetic'): Promise<number> {
  const w = await CaptureWriter.begin(store, { fileName, filePath: null, format, importerVersion: 'test@1', host, dateBasis: null, tz: 'UTC' });
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

/**
 * The shipped pack's injection scenario, as the traced service (pid 100) sees it at 100 s: it
 * forks a shell (pid 200) that runs "ping …; id; uname -a; hostname" (pids 201–203) and connects
 * out to 10.9.9.9:4444.
 */
export function serviceShellsOut(): CanonicalEvent[] {
  return [
    call(100, 100, 'clone', null, 'flags=SIGCHLD', { ret: '200' }),
    call(100.1, 200, 'execve', '/bin/sh', '"/bin/sh", ["/bin/sh", "-c", "ping -c 1 x; id; uname -a; hostname"], 0x7ff /* 7 vars */'),
    ...[201, 202, 203].flatMap((pid, i) => [
      call(100.2 + i / 10, 200, 'clone', null, 'flags=SIGCHLD', { ret: String(pid) }),
      call(100.25 + i / 10, pid, 'execve', ['/usr/bin/id', '/usr/bin/uname', '/usr/bin/hostname'][i] ?? '', ''),
    ]),
    call(101, 200, 'connect', '10.9.9.9:4444', ''),
  ];
}
