// Property: whatever the interleaving of calls from several pids (complete, unfinished + resumed
// later, signals, exits, malformed strace lines, the program's own text), every input line is
// accounted for exactly once, and a joined call carries the time of its first half and the result
// of its second. Lines that look like strace's but do not read are rejects; the program's text
// (no strace prefix or shape) is kept as program-output events.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { straceImporter } from './strace.ts';
import { lineFates, runLines } from '../testing/collecting-sink.ts';

type Step = { pid: number; kind: 'call' | 'unfinished' | 'signal' | 'garbage' | 'text' | 'blank'; bracket: boolean; ret: number };

const PIDS = [101, 102, 103, 104];
const SYSCALLS = ['read', 'write', 'openat', 'futex', 'wait4', 'clock_nanosleep'];
/** strace-looking lines that do not read: a broken "[pid" prefix, a pid before an unknown body. */
const GARBAGE = ['[pid 12 %%% not strace %%%', '101 Traceback (most recent call last):', '[pid 7] #!!'];
/** The program's own text: no strace prefix, no call shape. */
const TEXT = ['%%% not strace %%%', 'Traceback (most recent call last):', '#!!'];

interface Expectation {
  lines: string[];
  garbage: number[];
  text: number[];
  blanks: number[];
  /** first-half line → [resumed line, time of the first half in µs, result] */
  joined: Map<number, [number, number, string]>;
  unresumed: number[];
}

function build(steps: Step[], resumeAtEnd: boolean): Expectation {
  const lines: string[] = [];
  const garbage: number[] = [];
  const text: number[] = [];
  const blanks: number[] = [];
  const joined = new Map<number, [number, number, string]>();
  const pending = new Map<number, { line: number; name: string; us: number }>();
  const day = Date.parse('2026-11-26T00:00:00Z') * 1000;
  const at = (pid: number, bracket: boolean): { prefix: string; us: number } => {
    const us = 8 * 3600e6 + lines.length * 1000 + 7;
    const s = us / 1e6;
    const hh = String(Math.floor(s / 3600)).padStart(2, '0');
    const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
    const ss = (s % 60).toFixed(6).padStart(9, '0');
    return { prefix: `${bracket ? `[pid ${pid}]` : `${pid} `} ${hh}:${mm}:${ss} `, us: day + us };
  };
  const resume = (pid: number, bracket: boolean, ret: number): void => {
    const p = pending.get(pid);
    if (!p) return;
    pending.delete(pid);
    lines.push(`${at(pid, bracket).prefix}<... ${p.name} resumed>, 64) = ${ret} <0.000010>`);
    joined.set(p.line, [lines.length, p.us, String(ret)]);
  };
  for (const s of steps) {
    if (s.kind === 'garbage') {
      lines.push(GARBAGE[s.ret % GARBAGE.length] ?? '%');
      garbage.push(lines.length);
      continue;
    }
    if (s.kind === 'text') {
      lines.push(TEXT[s.ret % TEXT.length] ?? '%');
      text.push(lines.length);
      continue;
    }
    if (s.kind === 'blank') {
      lines.push('');
      blanks.push(lines.length);
      continue;
    }
    if (pending.has(s.pid)) {
      resume(s.pid, s.bracket, s.ret); // a task inside a syscall can only come back from it
      continue;
    }
    const { prefix, us } = at(s.pid, s.bracket);
    const name = SYSCALLS[s.ret % SYSCALLS.length] ?? 'read';
    if (s.kind === 'call') lines.push(`${prefix}${name}(3, "a = b", 64) = ${s.ret} <0.000004>`);
    else if (s.kind === 'signal') lines.push(`${prefix}--- SIGCHLD {si_signo=SIGCHLD, si_pid=${s.ret}} ---`);
    else {
      lines.push(`${prefix}${name}(3,  <unfinished ...>`);
      pending.set(s.pid, { line: lines.length, name, us });
    }
  }
  const unresumed: number[] = [];
  for (const [pid, p] of [...pending]) {
    if (resumeAtEnd) resume(pid, false, 7);
    else unresumed.push(p.line);
  }
  for (const pid of PIDS) lines.push(`${at(pid, false).prefix}+++ exited with 0 +++`);
  return { lines, garbage, text, blanks, joined, unresumed };
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  pid: fc.constantFrom(...PIDS),
  kind: fc.constantFrom('call', 'call', 'unfinished', 'unfinished', 'signal', 'garbage', 'text', 'blank'),
  bracket: fc.boolean(),
  ret: fc.nat(5000),
});

describe('strace interleavings (property)', () => {
  it('accounts for every line once and joins halves at the first half', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 120 }), fc.boolean(), (steps, resumeAtEnd) => {
        const x = build(steps, resumeAtEnd);
        const run = runLines(straceImporter, x.lines);
        const fate = lineFates(run);
        for (let n = 1; n <= x.lines.length; n++) expect(fate.get(n), `line ${n}: ${x.lines[n - 1]}`).toHaveLength(1);
        expect(run.rejects.map((r) => r.line)).toEqual(x.garbage);
        expect(run.skips).toEqual(x.blanks);
        expect(run.events.filter((e) => e.op === 'program-output').map((e) => e.source_line)).toEqual(x.text);
        for (const [first, [second, us, ret]] of x.joined) {
          const events = run.events.filter((e) => e.source_line === first);
          expect(events).toHaveLength(1);
          expect(events[0]).toMatchObject({ ts_us: us, ret, dur_us: 10 });
          expect(run.continuations).toContain(second);
        }
        for (const line of x.unresumed) {
          expect(run.events.find((e) => e.source_line === line)).toMatchObject({ ret: null, fields: { unfinished: true } });
        }
      }),
      { numRuns: 300 },
    );
  });
});
