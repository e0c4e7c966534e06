// The traced program's output mixed into strace's lines (strace and the program on one terminal):
// real captures made by fixtures/strace/make-mixed.sh, and the edges of telling the two apart.
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/corpus.ts';
import { lineFates, runFile, runLines, type TextRun } from '../testing/collecting-sink.ts';
import { straceImporter } from './strace.ts';

const WGET = fixture('strace/wget-mixed.txt');
const SH_F = fixture('strace/sh-f-mixed.txt');
const SH = fixture('strace/sh-mixed.txt');

function expectEveryLineOnce(run: TextRun): void {
  const fate = lineFates(run);
  for (let n = 1; n <= run.lines.length; n++) expect(fate.get(n), `line ${n}: ${run.lines[n - 1]}`).toHaveLength(1);
}

/** The one event a line became. */
const at = (run: TextRun, n: number) => run.events.filter((e) => e.source_line === n && e.kind === 'api');

describe('strace with the program output mixed in (real captures)', () => {
  it.each([WGET, SH_F, SH])('imports %s with zero rejects, every line accounted once', (path) => {
    const run = runFile(straceImporter, path);
    expect(run.rejects).toEqual([]);
    expectEveryLineOnce(run);
    expect(run.warnings.join('\n')).toMatch(/program's own output was mixed into the strace lines/);
  });

  it('stitches each of wget\'s progress writes: args end at the count, ret and duration from the exit part', () => {
    const run = runFile(straceImporter, WGET);
    const writes = run.events.filter((e) => e.op === 'write' && e.args?.startsWith('2, '));
    const lines = run.lines.filter((l) => / write\(2, /.test(l));
    expect(writes).toHaveLength(lines.length);
    for (const w of writes) {
      // "2, \"…\"[...], N": the count is the last argument and equals the result
      const count = /, (\d+)$/.exec(w.args ?? '')?.[1];
      expect(count, `line ${w.source_line}: ${w.args}`).toBe(w.ret);
      expect(w.dur_us).not.toBeNull();
    }
    // the text that went to the terminal is the write's own: continuation lines, not events
    expect(run.events.filter((e) => e.op === 'program-output')).toEqual([]);
    const cut = run.lines.findIndex((l) => l.includes('write(2, "\\n     0K", 8')) + 1;
    expect(run.lines[cut]).toMatch(/^ {5}0K\) = 8 <[\d.]+>$/);
    expect(at(run, cut)[0]).toMatchObject({ op: 'write', args: '2, "\\n     0K", 8', ret: '8' });
    expect(run.continuations).toContain(cut + 1);
  });

  it('reads the -f stderr capture: own writes over several lines and on one line, wait4 around them', () => {
    const run = runFile(straceImporter, SH_F);
    const hello = run.lines.findIndex((l) => l.endsWith('write(1, "hello\\n", 6hello')) + 1;
    expect(at(run, hello)[0]).toMatchObject({ op: 'write', args: '1, "hello\\n", 6', ret: '6', pid: null });
    const cat = run.lines.findIndex((l) => l.endsWith('write(1, "one\\ntwo\\n", 8one')) + 1;
    expect(run.lines[cat]).toBe('two');
    expect(at(run, cat)[0]).toMatchObject({ op: 'write', args: '1, "one\\ntwo\\n", 8', ret: '8' });
    expect(run.continuations).toEqual(expect.arrayContaining([cat + 1, cat + 2]));
    const partial = run.lines.findIndex((l) => l.includes('write(1, "partial", 7partial)')) + 1;
    expect(at(run, partial)[0]).toMatchObject({ op: 'write', args: '1, "partial", 7', ret: '7' });
    const ts = (n: number) => at(run, n)[0]?.ts_us ?? 0;
    expect(ts(hello)).toBeLessThan(ts(cat));
  });

  it('reads an untraced child writing inside the shell\'s wait4: args joined, its lines kept as program output', () => {
    const run = runFile(straceImporter, SH);
    const cut = run.lines.findIndex((l) => /wait4\(-1, alpha$/.test(l)) + 1;
    expect(at(run, cut)[0]).toMatchObject({ op: 'wait4', args: '-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL', ret: expect.stringMatching(/^\d+$/) });
    const output = run.events.filter((e) => e.op === 'program-output');
    expect(output.map((e) => [e.source_line, e.args, e.kind, e.category])).toEqual([
      [cut, 'alpha', 'log', 'log'],
      [cut + 1, 'beta', 'log', 'log'],
    ]);
    // placed at the time of the call they interrupted; the writer is not known
    expect(output.every((e) => e.ts_us === at(run, cut)[0]?.ts_us && e.pid === null)).toBe(true);
    expect(run.warnings.join()).toMatch(/2 line\(s\) of program text/);
  });
});

describe('telling program text from strace lines', () => {
  const run = (lines: string[]) => runLines(straceImporter, lines);

  it('keeps stray text between calls as program output, at the time of the last strace line', () => {
    const r = run(['10:00:00.000001 getpid() = 7', 'Downloading firmware...', '2026-12-03 10:00:00 done (1.2 MB/s)', '100%', '10:00:00.000002 getpid() = 7']);
    expect(r.rejects).toEqual([]);
    expect(r.events.filter((e) => e.op === 'program-output').map((e) => [e.args, e.ts_us])).toEqual([
      ['Downloading firmware...', r.events[0]?.ts_us],
      ['2026-12-03 10:00:00 done (1.2 MB/s)', r.events[0]?.ts_us],
      ['100%', r.events[0]?.ts_us],
    ]);
  });

  it('still rejects lines that look like strace but do not read', () => {
    const r = run([
      '5 10:00:00.000001 getpid() = 5',
      '[pid 12 10:00:00.000002 getpid() = 12', // broken "[pid" prefix
      '5 10:00:00.000003 %%% not a call', // a pid and a time before an unreadable body
      '5 25:00:00.000004 getpid() = 5', // a time that is not one
      '5 10:00:00.000005 write(1, "abc', // cut, and the next line is strace's own: never completed
      '5 10:00:00.000006 getpid() = 5',
    ]);
    expect(r.rejects.map((x) => x.line)).toEqual([2, 3, 4, 5]);
    expect(r.events.filter((e) => e.op === 'program-output')).toEqual([]);
  });

  it('stitches a call cut by text over several lines, also when strace marks it unfinished', () => {
    const r = run([
      '[pid 5] 10:00:00.000001 write(2, "a\\nb\\nc\\n", 6a',
      'b',
      'c',
      ' <unfinished ...>',
      '[pid 6] 10:00:00.000002 getpid() = 6',
      '[pid 5] 10:00:00.000003 <... write resumed>) = 6',
    ]);
    expect(r.rejects).toEqual([]);
    expect(r.events.find((e) => e.op === 'write')).toMatchObject({ args: '2, "a\\nb\\nc\\n", 6', ret: '6', pid: 5, ts_us: Date.parse('2026-11-26T10:00:00Z') * 1000 + 1 });
    expect(r.continuations).toEqual([2, 3, 4, 6]);
  });

  it('tells a count from the text glued to it by the result, the byte length or the buffer', () => {
    const r = run([
      'write(2, "42 left\\n", 8' + '42 left', ') = 8', // text starts with digits: the result says 8
      'write(2, "9 of 10 done: "..., 40' + '9 of 10 done: 90%', ') = 40', // cut by -s: the text agrees with the buffer after "40"
    ]);
    expect(r.rejects).toEqual([]);
    expect(r.events.map((e) => [e.args, e.ret])).toEqual([
      ['2, "42 left\\n", 8', '8'],
      ['2, "9 of 10 done: "..., 40', '40'],
    ]);
  });

  it('still refuses prose that holds no strace line at all', () => {
    expect(() => run(['just one line of prose'])).toThrow(/no line could be read as strace/);
    expect(() => run(Array.from({ length: 60 }, (_, i) => `{"ts": ${i}, "msg": "hello"}`))).toThrow(/not strace output/);
  });
});
