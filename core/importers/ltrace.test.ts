import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusCapture, describeCorpus, fixture } from '../testing/corpus.ts';
import { detectFormat, makeDetectSample } from './registry.ts';
import { ltraceImporter } from './ltrace.ts';
import { lineFates, runFile, runLines } from '../testing/collecting-sink.ts';

// The first 130 lines of the team's own `ltrace -f -tt -T` capture (fixtures/ltrace/SOURCES.md);
// the whole capture and the hmi-dev scenario's ltrace are in the corpus.
const EXCERPT = fixture('ltrace/ltrace_f_tt_T.head130.log');
const HMI = corpusCapture('linux/hmi-dev/ltrace.txt');
const LOCAL = corpusCapture('public/ltrace/generated_local/ltrace_f_tt_T.log');

/** Zero rejects, every line accounted once; a resumed line joins its first half or, in a fork child, stands alone. */
function expectEveryLineOnce(path: string): void {
  const run = runFile(ltraceImporter, path);
  expect(run.rejects).toEqual([]);
  const fate = lineFates(run);
  for (let n = 1; n <= run.lines.length; n++) expect(fate.get(n)?.length, `line ${n}`).toBe(1);
  const resumed = run.lines.filter((l) => /^\d+ +[\d:.]+ <\.\.\. /.test(l)).length;
  const alone = run.events.filter((e) => e.fields?.['resumed_without_start']).length;
  expect(run.continuations.length + alone).toBe(resumed);
}

describe('ltrace importer on the repository excerpt', () => {
  it('imports it with zero rejects, every line accounted once', () => expectEveryLineOnce(EXCERPT));

  it('pairs the shell\'s vfork across the child\'s lines and marks the child\'s exec', () => {
    const run = runFile(ltraceImporter, EXCERPT, { date: '2026-11-26' });
    const at = (n: number) => run.events.find((e) => e.source_line === n);
    // 1: "11618 05:50:17.610434 __errno_location() = 0x7fee3a4326c0 <0.000569>"
    expect(at(1)).toMatchObject({ pid: 11618, op: '__errno_location', ret: '0x7fee3a4326c0', dur_us: 569, ts_us: Date.parse('2026-11-26T05:50:17.610Z') * 1000 + 434 });
    // 113 "11618 vfork(… <unfinished ...>" resumed on 123 "= 0x2d63"; 114 is the child's own "= 0"
    expect(at(113)).toMatchObject({ op: 'vfork', pid: 11618, ret: '0x2d63', category: 'process' });
    expect(at(114)).toMatchObject({ op: 'vfork', pid: 11619, ppid: 11618, ret: '0' });
    expect(at(121)).toMatchObject({ op: 'execve', fields: { no_return: true }, ret: null });
    expect(at(122)).toMatchObject({ kind: 'process', op: 'exec' });
  });

  it('is detected as ltrace, not strace', () => {
    const d = detectFormat(makeDetectSample(EXCERPT, readFileSync(EXCERPT)));
    expect(d.status === 'found' ? d.importer.format : d.status).toBe('ltrace');
  });
});

describeCorpus('ltrace importer on the real captures (corpus)', () => {
  it.each([HMI, LOCAL])('imports %s with zero rejects, every line accounted once', (path) => expectEveryLineOnce(path));

  it('reads calls, nested pairs, fork children, exec and exits of the hmi-dev shell', () => {
    const run = runFile(ltraceImporter, HMI);
    const at = (n: number) => run.events.find((e) => e.source_line === n);
    expect(at(1)).toMatchObject({ pid: 3100, op: '__errno_location', ret: '0x7fe3ab5436c0', dur_us: 470, ts_us: Date.parse('2026-11-26T06:17:28.050Z') * 1000 + 54 });
    expect(at(26)).toMatchObject({ op: 'malloc', category: 'memory', args: '32' });
    // 154 "3100 vfork(… <unfinished ...>" resumed on 176 "= 3101"; 155 is the child's own "= 0"
    expect(at(154)).toMatchObject({ op: 'vfork', pid: 3100, ret: '3101', category: 'process' });
    expect(at(155)).toMatchObject({ op: 'vfork', pid: 3101, ppid: 3100, ret: '0' });
    expect(at(174)).toMatchObject({ op: 'execve', fields: { no_return: true }, ret: null });
    expect(at(175)).toMatchObject({ kind: 'process', op: 'exec' });
    expect(at(187)).toMatchObject({ op: 'open', target: '/etc/shadow', category: 'file', ret: '3' });
    expect(at(208)).toMatchObject({ kind: 'process', op: 'exit', ret: '0', pid: 3101 });
    expect(at(209)).toMatchObject({ kind: 'signal', op: 'SIGCHLD', args: '(Child exited)' });
    // __longjmp_chk never returns: kept with an unknown result
    expect(at(7906)).toMatchObject({ op: '__longjmp_chk', ret: null, fields: { unfinished: true } });
  });

  it('is detected as ltrace, not strace', () => {
    for (const path of [HMI, LOCAL]) {
      const d = detectFormat(makeDetectSample(path, readFileSync(path).subarray(0, 65536)));
      expect(d.status === 'found' ? d.importer.format : d.status).toBe('ltrace');
    }
  });
});

describe('ltrace importer on edge cases', () => {
  it('pairs nested calls of one pid through a stack', () => {
    const r = runLines(ltraceImporter, [
      '9 10:00:00.000001 qsort(0x1, 3, 8, 0x4 <unfinished ...>',
      '9 10:00:00.000002 strcmp("b", "a") = 1 <0.000001>',
      '9 10:00:00.000003 <... qsort resumed> ) = <void> <0.000009>',
      '9 10:00:00.000004 strchr("a = b", \'=\') = "= b" <0.000001>',
      '[pid 9] 10:00:00.000005 libc.so.6->getpwnam("root") = 0x5555 <0.000002>',
    ]);
    expect(r.rejects).toEqual([]);
    expect(r.events.map((e) => [e.source_line, e.op, e.ret])).toEqual([
      [2, 'strcmp', '1'],
      [1, 'qsort', '<void>'],
      [4, 'strchr', '"= b"'],
      [5, 'libc.so.6->getpwnam', '0x5555'],
    ]);
    expect(r.events[3]).toMatchObject({ category: 'credential', target: 'root' });
    expect(r.continuations).toEqual([3]);
  });
});
