// ltrace output (`ltrace -f -tt -T -s N`, also -t/-ttt, -S, -o FILE or stderr): each library call
// is one `api` event, categorised from its function name. Pairing, times and pid handling are
// the strace engine's (strace/calls.ts); nested calls pair through its per-pid stack. ltrace
// words its markers differently: "--- SIGCHLD (Child exited) ---", "--- Called exec() ---",
// "+++ exited (status 0) +++", and a call that never returns ends in "<no return ...>".
import { traceStampsTimeOfDay } from './time-of-day-sample.ts';
import type { TextImporter } from './types.ts';
import { CallTraceParser } from './strace/calls.ts';
import type { MarkerEvent, TraceDialect } from './strace/dialect.ts';
import { detectLtrace } from './strace/detect.ts';
import { baseFunctionName, functionCategory, functionTarget } from './strace/ltrace-functions.ts';

const FORKS = new Set(['fork', 'vfork', 'clone', '__clone', 'SYS_fork', 'SYS_vfork', 'SYS_clone', 'SYS_clone3']);
const EXECS = new Set(['execve', 'execv', 'execvp', 'execvpe', 'execl', 'execlp', 'execle', 'fexecve', 'SYS_execve', 'SYS_execveat']);

/** "SIGCHLD (Child exited)" → op SIGCHLD; "Called exec()" → a process event "exec". */
export function ltraceSignal(inner: string): MarkerEvent {
  if (inner.startsWith('Called exec')) return { kind: 'process', op: 'exec', category: 'process', args: inner, ret: null };
  const space = inner.indexOf(' ');
  const first = space < 0 ? inner : inner.slice(0, space);
  return { kind: 'signal', op: first, category: 'signal', args: space < 0 ? null : inner.slice(space + 1).trim(), ret: null };
}

/** "exited (status 0)" → op exit, ret "0"; "killed by SIGKILL" → op killed. */
export function ltraceExit(inner: string): MarkerEvent {
  const exited = /^exited \(status (-?\d+)\)/.exec(inner);
  if (exited) return { kind: 'process', op: 'exit', category: 'process', args: null, ret: exited[1] ?? null };
  if (inner.startsWith('killed by ')) return { kind: 'process', op: 'killed', category: 'process', args: inner.slice(10), ret: null };
  return { kind: 'process', op: inner.split(' ', 1)[0] || 'exit', category: 'process', args: inner, ret: null };
}

export const ltraceDialect: TraceDialect = {
  tool: 'ltrace',
  libraryNames: true,
  categoryOf: functionCategory,
  targetOf: (name, args) => functionTarget(name, args),
  isFork: (name) => FORKS.has(baseFunctionName(name)),
  isExec: (name) => EXECS.has(baseFunctionName(name)),
  signal: ltraceSignal,
  exit: ltraceExit,
};

export const ltraceImporter: TextImporter = {
  mode: 'text',
  format: 'ltrace',
  module: import.meta.url,
  title: 'ltrace library-call trace',
  reads:
    'ltrace output: -f ("1234 " or "[pid 1234] "), -t/-tt/-ttt, -T, -S, unfinished/resumed and nested calls, <no return ...>, signals, exits',
  version: '1.1.0',
  detect: detectLtrace,
  needsDate: (sample) => traceStampsTimeOfDay(sample.lines),
  open: (ctx, sink) => new CallTraceParser(ltraceDialect, ctx, sink),
};
