// strace output (-f / -ff, -t / -tt / -ttt, -T, -y / -yy, written with -o or captured from stderr).
// Each syscall is one `api` event; signals are `signal` events; exits, kills and strace's
// "Process N attached/detached" notices are `process` events. The line engine is shared with
// ltrace (strace/calls.ts); this file says how strace names and words things.
import { traceStampsTimeOfDay } from './time-of-day-sample.ts';
import type { TextImporter } from './types.ts';
import { CallTraceParser } from './strace/calls.ts';
import type { MarkerEvent, TraceDialect } from './strace/dialect.ts';
import { detectStrace } from './strace/detect.ts';
import { EXEC_CALLS, FORK_CALLS, syscallInfo } from './strace/syscalls.ts';
import { syscallTarget } from './strace/target.ts';

/** "SIGCHLD {si_signo=…}" → op SIGCHLD; "stopped by SIGSTOP" → op SIGSTOP; args keep the text. */
export function straceSignal(inner: string): MarkerEvent {
  const space = inner.indexOf(' ');
  const first = space < 0 ? inner : inner.slice(0, space);
  if (first.startsWith('SIG')) {
    return { kind: 'signal', op: first, category: 'signal', args: space < 0 ? null : inner.slice(space + 1).trim(), ret: null };
  }
  const named = /\b(SIG[A-Z0-9+-]+)/.exec(inner)?.[1];
  return { kind: 'signal', op: named ?? first, category: 'signal', args: inner, ret: null };
}

/**
 * "exited with 0" → op exit, ret "0"; "killed by SIGKILL (core dumped)" → op killed, args the
 * signal; "superseded by execve in pid 12" → op superseded.
 */
export function straceExit(inner: string): MarkerEvent {
  const exited = /^exited with (-?\d+)/.exec(inner);
  if (exited) return { kind: 'process', op: 'exit', category: 'process', args: null, ret: exited[1] ?? null };
  if (inner.startsWith('killed by ')) return { kind: 'process', op: 'killed', category: 'process', args: inner.slice(10), ret: null };
  const word = inner.split(' ', 1)[0] ?? inner;
  return { kind: 'process', op: word || 'exit', category: 'process', args: inner, ret: null };
}

export const straceDialect: TraceDialect = {
  tool: 'strace',
  libraryNames: false,
  categoryOf: (name) => syscallInfo(name)?.category ?? 'other',
  targetOf: (name, args, retDecoration) => syscallTarget(name, syscallInfo(name), args, retDecoration),
  isFork: (name) => FORK_CALLS.has(name),
  isExec: (name) => EXEC_CALLS.has(name),
  signal: straceSignal,
  exit: straceExit,
};

export const straceImporter: TextImporter = {
  mode: 'text',
  format: 'strace',
  module: import.meta.url,
  title: 'strace system-call trace',
  reads:
    'strace output: -f ("1234 " or "[pid 1234] ") or -ff files (pid from the NAME.PID file name), -t/-tt/-ttt, -T, -y/-yy, unfinished/resumed pairs, signals, exits, strace notices, the program\'s own output mixed in (stderr captures)',
  version: '1.1.0',
  detect: detectStrace,
  needsDate: (sample) => traceStampsTimeOfDay(sample.lines),
  open: (ctx, sink) => new CallTraceParser(straceDialect, ctx, sink),
};
