// Property: splicing the traced program's own output into a capture the way a shared terminal
// does — a call line cut where strace cuts it (after "(", after a top-level ", ", or before the
// closing ")") with the program's text in between, or whole lines of text between strace's
// lines — imports the same calls (op, pid, tid, args, ret, error, time, duration) as without it,
// with no rejects and every line accounted for once.
//
// Where the program's text is honestly ambiguous, the generator stays out of it (see
// strace/output.ts for how the importer reads those cases):
// - text lines never look like strace's: they start with a letter or a space (no pid or time
//   prefix) and hold no "(", ")", "<", "=", ",", quotes or brackets, so no call shape, no call
//   tail and no argument separator can appear in them;
// - text that another process writes inside a call ends with a newline, and, glued to the last
//   argument of a call cut before its ")", starts with a character that cannot continue that
//   argument (not a letter, digit, "_", "|", "-", "+", "*", "=" or ".");
// - a write's text is its own buffer (all of it, also past what -s printed).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../model/event.ts';
import { fixture } from '../testing/corpus.ts';
import { fileLines, lineFates, runLines } from '../testing/collecting-sink.ts';
import { callNameEnd, newLineHead, readCallTail, readHead, unquote } from './strace/line.ts';
import { straceImporter } from './strace.ts';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const REST = `${LETTERS}0123456789 .:;!%/'#*?&$@^~_|+-\t\r`;
/** Characters that cannot continue an argument token (see the file comment). */
const NOT_TOKEN = ` :;!%/'#?&$@^~\t`;

const charOf = (set: string) => fc.integer({ min: 0, max: set.length - 1 }).map((i) => set[i] ?? ' ');
const wordOf = (first: string, maxLength: number) =>
  fc.tuple(charOf(first), fc.array(charOf(REST), { maxLength })).map(([c, rest]) => c + rest.join(''));
/** A whole line of the program's text. */
const textLine = wordOf(`${LETTERS} `, 30).filter((l) => !l.startsWith('strace:'));
/** Text glued to the last argument of a call cut before its ")": possibly empty. */
const gluedText = fc.oneof(fc.constant(''), wordOf(NOT_TOKEN, 20));
/** Text glued after an entry part that ends with ", " or "(": any text line, or nothing. */
const afterSeparator = fc.oneof(fc.constant(''), textLine);

/** Escapes text the way strace prints a buffer. */
function cString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')}"`;
}

// --- generated captures -------------------------------------------------------------------

interface GenCall {
  kind: 'write' | 'wait4' | 'read' | 'futex' | 'openat' | 'getpid';
  text: string;
  ret: number;
  pid: number;
}

const genCall: fc.Arbitrary<GenCall> = fc.record({
  kind: fc.constantFrom('write', 'write', 'wait4', 'read', 'futex', 'openat', 'getpid'),
  text: fc.array(textLine, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('\n') + '\n'),
  ret: fc.nat(40000),
  pid: fc.constantFrom(201, 202),
});

interface Capture {
  lines: string[];
  /** The write buffer's full text where -s cut it (line index → text). */
  fullText: Map<number, string>;
}

function generated(calls: GenCall[], pidStyle: 'none' | 'bare' | 'bracket', clock: 'none' | 'tod' | 'epoch', durations: boolean): Capture {
  const lines: string[] = [];
  const fullText = new Map<number, string>();
  calls.forEach((c, i) => {
    const pid = pidStyle === 'none' ? '' : pidStyle === 'bare' ? `${c.pid} ` : `[pid ${c.pid}] `;
    const us = 8 * 3600e6 + i * 1000 + 3;
    const time = clock === 'none' ? '' : clock === 'epoch' ? `${(1_795_000_000e6 + us) / 1e6} `.replace(/^(\d+) $/, '$1.0 ') : `${new Date(us / 1000).toISOString().slice(11, 23)}000 `;
    const dur = durations ? ' <0.000012>' : '';
    let body: string;
    const bytes = Buffer.byteLength(c.text);
    if (c.kind === 'write') {
      const cut = c.text.length > 16;
      if (cut) fullText.set(lines.length, c.text);
      body = `write(2, ${cString(cut ? c.text.slice(0, 16) : c.text)}${cut ? '...' : ''}, ${bytes}) = ${bytes}`;
    } else if (c.kind === 'wait4') body = `wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = ${c.ret}`;
    else if (c.kind === 'read') body = `read(3, ${cString(c.text.slice(0, 8))}, 4096) = ${Math.min(8, c.text.length)}`;
    else if (c.kind === 'futex') body = `futex(0x7f3c2a1b2000, FUTEX_WAIT_PRIVATE, 2, NULL) = 0`;
    else if (c.kind === 'openat') body = `openat(AT_FDCWD, "/etc/hmi/${c.ret}.conf", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)`;
    else body = `getpid() = ${c.pid}`;
    lines.push(`${pid}${time}${body}${dur}`);
  });
  return { lines, fullText };
}

// --- splicing -----------------------------------------------------------------------------

/** Start of every top-level argument after the first (just past its ", "), in order. */
function separators(text: string, start: number, end: number): number[] {
  const out: number[] = [];
  let depth = 0;
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < end && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '[' || c === '{' || c === '(') depth++;
    else if (c === ']' || c === '}' || c === ')') depth--;
    else if (c === ',' && depth === 0 && text[i + 1] === ' ') out.push(i + 2);
  }
  return out;
}

interface Splice {
  /** Which call lines to cut (an index into the cuttable lines, taken modulo). */
  cuts: { at: number; where: number; glued: string; lines: string[] }[];
  /** Whole lines of text to insert between segments: [segment index, lines]. */
  strays: { at: number; lines: string[] }[];
}

const spliceArb: fc.Arbitrary<Splice> = fc.record({
  cuts: fc.array(
    fc.record({
      at: fc.nat(),
      where: fc.nat(),
      glued: fc.oneof(gluedText, afterSeparator),
      lines: fc.array(fc.oneof(textLine, fc.constant('')), { maxLength: 3 }),
    }),
    { maxLength: 6 },
  ),
  strays: fc.array(fc.record({ at: fc.nat(), lines: fc.array(textLine, { minLength: 1, maxLength: 3 }) }), { maxLength: 6 }),
});

/** The capture with the program's text spliced in: a list of segments, each one or more lines. */
function splice(capture: Capture, s: Splice): string[] {
  const head = newLineHead();
  const segments: string[][] = capture.lines.map((l) => [l]);
  const cuttable = capture.lines
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => {
      if (!readHead(line, head)) return false;
      const nameEnd = callNameEnd(line, head.body, false);
      return nameEnd >= 0 && readCallTail(line, nameEnd + 1).state === 'complete';
    });
  if (cuttable.length > 0) {
    for (const cut of s.cuts) {
      const { line, i } = cuttable[cut.at % cuttable.length] ?? { line: '', i: 0 };
      if ((segments[i]?.length ?? 0) > 1) continue; // cut once
      readHead(line, head);
      const nameEnd = callNameEnd(line, head.body, false);
      const tail = readCallTail(line, nameEnd + 1);
      const name = line.slice(head.body, nameEnd);
      const close = tail.argsEnd; // the ")"
      let entry: string;
      let text: string;
      let exit: string;
      if (name === 'write') {
        // its own buffer: all arguments at entry, then the whole text, then ")"
        const buffer = /^\d+, ("(?:[^"\\]|\\.)*")/.exec(line.slice(nameEnd + 1))?.[1] ?? '""';
        text = capture.fullText.get(i) ?? unquote(buffer) ?? '';
        entry = line.slice(0, close);
        exit = line.slice(close);
      } else {
        const seps = separators(line, nameEnd + 1, close);
        const points = [...seps.map((p) => ({ p, kind: 'separator' as const })), { p: close, kind: 'close' as const }];
        const point = points[cut.where % points.length] ?? { p: close, kind: 'close' as const };
        // before ")": glued text must not continue the last argument; after ", ": any line
        const glued = point.kind === 'close' ? (NOT_TOKEN.includes(cut.glued[0] ?? ' ') ? cut.glued : '') : cut.glued.startsWith(' ') ? '' : cut.glued;
        text = [glued, ...cut.lines].join('\n') + '\n';
        entry = line.slice(0, point.p);
        exit = line.slice(point.p);
      }
      segments[i] = (entry + text + exit).split('\n');
    }
  }
  for (const stray of s.strays) {
    const at = stray.at % (segments.length + 1);
    segments.splice(at, 0, stray.lines);
  }
  return segments.flat();
}

const callsOf = (events: CanonicalEvent[]) =>
  events.filter((e) => e.kind === 'api').map(({ op, pid, tid, args, ret, error, ts_us, dur_us }) => ({ op, pid, tid, args, ret, error, ts_us, dur_us }));

function expectSameCalls(capture: Capture, s: Splice): void {
  const clean = runLines(straceImporter, capture.lines);
  expect(clean.rejects).toEqual([]);
  const mixed = splice(capture, s);
  const run = runLines(straceImporter, mixed);
  expect(run.rejects).toEqual([]);
  expect(callsOf(run.events)).toEqual(callsOf(clean.events));
  const fate = lineFates(run);
  for (let n = 1; n <= mixed.length; n++) expect(fate.get(n), `line ${n}: ${mixed[n - 1]}`).toHaveLength(1);
}

describe('program output spliced into a capture (property)', () => {
  it('imports the same calls from a generated capture', () => {
    fc.assert(
      fc.property(
        fc.array(genCall, { minLength: 1, maxLength: 30 }),
        fc.constantFrom('none' as const, 'bare' as const, 'bracket' as const),
        fc.constantFrom('none' as const, 'tod' as const, 'epoch' as const),
        fc.boolean(),
        spliceArb,
        (calls, pidStyle, clock, durations, s) => expectSameCalls(generated(calls, pidStyle, clock, durations), s),
      ),
      { numRuns: 300 },
    );
  });

  it('imports the same calls from the clean fixture capture (strace -f -tt -T -o)', () => {
    const lines = fileLines(fixture('strace/sh-clean.txt'));
    fc.assert(
      fc.property(spliceArb, (s) => expectSameCalls({ lines, fullText: new Map() }, s)),
      { numRuns: 60 },
    );
  });
});
