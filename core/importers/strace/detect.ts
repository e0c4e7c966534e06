// Content-based detection for strace and ltrace. The two print the same line shape, so the
// deciding fact is what is being called: strace shows syscalls (openat, mmap, futex), ltrace
// shows library functions (malloc, strlen, __libc_start_main). Each tool also words its exit
// and signal lines differently ("+++ exited with 0 +++" vs "+++ exited (status 0) +++").
import type { DetectSample } from '../types.ts';
import { callNameEnd, newLineHead, readHead, readResumed } from './line.ts';
import { isKnownSyscall } from './syscalls.ts';

export interface TraceSampleStats {
  /** Non-blank lines looked at. */
  lines: number;
  /** Lines that have the trace line shape (call, resumed, signal, exit, strace notice). */
  traceLines: number;
  syscallNames: number;
  otherNames: number;
  straceMarkers: number;
  ltraceMarkers: number;
}

const MAX_LINES = 400;

export function traceSampleStats(sample: DetectSample): TraceSampleStats {
  const stats: TraceSampleStats = { lines: 0, traceLines: 0, syscallNames: 0, otherNames: 0, straceMarkers: 0, ltraceMarkers: 0 };
  const head = newLineHead();
  // the last line of a sample may be cut anywhere, so it is left out when there are others
  const lines = sample.lines.length > 1 ? sample.lines.slice(0, -1) : sample.lines;
  for (const text of lines) {
    if (stats.lines >= MAX_LINES) break;
    if (text.trim() === '') continue;
    stats.lines++;
    if (!readHead(text, head)) continue;
    const b = head.body;
    let name: string | null = null;
    const resumed = readResumed(text, b);
    if (resumed) name = text.slice(resumed.nameStart, resumed.nameEnd);
    else {
      const end = callNameEnd(text, b, true);
      if (end >= 0) name = text.slice(b, end);
    }
    if (name !== null) {
      stats.traceLines++;
      if (isKnownSyscall(name)) stats.syscallNames++;
      else stats.otherNames++;
      continue;
    }
    if (text.startsWith('+++ ', b) || text.startsWith('--- ', b)) {
      stats.traceLines++;
      if (/^\+\+\+ exited \(status/.test(text.slice(b)) || /^--- (Called exec|SIG\w+ \()/.test(text.slice(b))) stats.ltraceMarkers++;
      if (/^\+\+\+ exited with /.test(text.slice(b)) || text.includes('{si_signo=', b)) stats.straceMarkers++;
    } else if (text.startsWith('strace: ', b)) {
      stats.traceLines++;
      stats.straceMarkers++;
    }
  }
  return stats;
}

/** Share of call names that are Linux syscalls, or null when the sample has no calls. */
function syscallShare(s: TraceSampleStats): number | null {
  const calls = s.syscallNames + s.otherNames;
  return calls === 0 ? null : s.syscallNames / calls;
}

function looksLikeTrace(s: TraceSampleStats): boolean {
  return s.lines > 0 && s.traceLines / s.lines >= 0.6;
}

export function detectStrace(sample: DetectSample): number {
  const s = traceSampleStats(sample);
  if (!looksLikeTrace(s)) return 0;
  if (s.ltraceMarkers > s.straceMarkers) return 0.1;
  const share = syscallShare(s);
  if (share === null) return s.straceMarkers > 0 ? 0.8 : 0.3;
  if (share >= 0.9) return 0.9;
  if (share >= 0.75) return 0.6;
  return 0.1;
}

export function detectLtrace(sample: DetectSample): number {
  const s = traceSampleStats(sample);
  if (!looksLikeTrace(s)) return 0;
  if (s.straceMarkers > s.ltraceMarkers) return 0.1;
  const share = syscallShare(s);
  if (share === null) return s.ltraceMarkers > 0 ? 0.8 : 0.3;
  if (share <= 0.6) return 0.9;
  if (share < 0.75) return 0.6;
  return s.ltraceMarkers > 0 ? 0.5 : 0.1;
}
