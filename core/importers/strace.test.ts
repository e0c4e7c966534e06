import { describe, expect, it } from 'vitest';
import { corpusCapture as sharedCapture, describeCorpus } from '../testing/corpus.ts';
import { makeDetectSample, detectFormat } from './registry.ts';
import { straceImporter } from './strace.ts';
import { fileLines, lineFates, runFile, runLines } from '../testing/collecting-sink.ts';
import type { ImportContext } from './types.ts';
import { readFileSync } from 'node:fs';

const HMI = sharedCapture('linux/hmi-dev/strace.txt');
const HMI_EPOCH = sharedCapture('linux/hmi-dev/strace_epoch.txt');
const STDERR = sharedCapture('public/strace/generated_local/strace_f_ttt_T_y.stderr.log');
const REAL_FILES = [
  HMI,
  HMI_EPOCH,
  sharedCapture('public/strace/generated_local/strace_f_tt_T.log'),
  STDERR,
  ...['cp.1242528', 'strace.2453402', 'strace2.2453403', 't.15480', 'trace.1'].map((f) => sharedCapture(`public/strace/tracecode/${f}`)),
];

const isResumedLine = (l: string): boolean => /^(\[pid +\d+\] |\d+ +)?[\d:.]* ?<\.\.\. \w+ resumed>/.test(l);

describeCorpus('strace importer on the real captures (corpus; the repository fixtures: strace-fixtures.test.ts)', () => {
  it.each(REAL_FILES)('imports %s with zero rejects and accounts for every line once', (path) => {
    const run = runFile(straceImporter, path);
    expect(run.rejects).toEqual([]);
    const fate = lineFates(run);
    for (let n = 1; n <= run.lines.length; n++) expect(fate.get(n)?.length, `line ${n}`).toBe(1);
    // every "<... x resumed>" line is folded into the call its first half started
    const resumed = run.lines.filter(isResumedLine).length;
    const fragments = run.lines.filter((l) => /^[ ,]/.test(l)).length; // rests of lines a notice cut
    expect(run.continuations.length).toBe(resumed + fragments);
  });

  it('reads the first execve of hmi-dev strace.txt exactly (pid, time, target, process)', () => {
    const run = runFile(straceImporter, HMI, { date: '2026-11-26' });
    const first = run.events.find((e) => e.source_line === 1);
    expect(first).toMatchObject({
      ts_us: Date.parse('2026-11-26T06:13:22.467Z') * 1000 + 14,
      pid: 1202,
      tid: 1202,
      op: 'execve',
      kind: 'api',
      category: 'process',
      target: '/usr/bin/python3',
      process: 'python3',
      ret: '0',
      dur_us: 1514,
    });
  });

  it('joins an unfinished/resumed pair into one event at the first half with the resumed result', () => {
    // 970: 1203 06:13:22.619160 accept4(6<socket:[58327]>,  <unfinished ...>
    // its "<... accept4 resumed>" comes thousands of lines later, = 8 <14.779018>
    const run = runFile(straceImporter, HMI);
    const lines = fileLines(HMI);
    expect(lines[969]).toMatch(/^1203 +06:13:22\.619160 accept4\(6<socket:\[58327\]>, +<unfinished \.\.\.>$/);
    const accept = run.events.filter((e) => e.source_line === 970);
    expect(accept).toHaveLength(1);
    const resumedAt = lines.findIndex((l, i) => i > 969 && l.startsWith('1203 ') && l.includes('<... accept4 resumed>')) + 1;
    const resumedLine = lines[resumedAt - 1] ?? '';
    const dur = /<(\d+\.\d+)>$/.exec(resumedLine)?.[1];
    expect(accept[0]).toMatchObject({
      ts_us: Date.parse('2026-11-26T06:13:22.619Z') * 1000 + 160,
      op: 'accept4',
      ret: / = (\d+)/.exec(resumedLine)?.[1],
      dur_us: Math.round(Number(dur) * 1e6),
      target: /sin_addr=inet_addr\("([\d.]+)"\)/.exec(resumedLine)?.[1] + ':' + /sin_port=htons\((\d+)\)/.exec(resumedLine)?.[1],
      pid: 1202, // 1203 is a thread of the HMI (clone3 with CLONE_THREAD)
      tid: 1203,
    });
    expect(run.continuations).toContain(resumedAt);
  });

  it('tracks children: vfork result, parent, and the name after execve', () => {
    const run = runFile(straceImporter, HMI);
    const byLine = (n: number) => run.events.find((e) => e.source_line === n);
    // 1548: thread 1204 of the HMI vforks 1205, which execs /bin/sh, which vforks 1206 → ping
    expect(byLine(1548)).toMatchObject({ op: 'vfork', ret: '1205', pid: 1202, tid: 1204 });
    expect(byLine(1620)).toMatchObject({ op: 'execve', pid: 1205, ppid: 1202, process: 'sh', target: '/bin/sh' });
    expect(byLine(1685)).toMatchObject({ op: 'execve', pid: 1206, ppid: 1205, process: 'ping' });
    expect(byLine(997)).toMatchObject({ op: 'connect', target: '127.0.0.1:502', ret: '-1', error: 'EINPROGRESS' });
    expect(byLine(5)).toMatchObject({ op: 'openat', target: '/etc/ld.so.cache', ret: '3', category: 'file' });
  });

  it('reads -ttt epoch times and exits', () => {
    const run = runFile(straceImporter, HMI_EPOCH);
    expect(run.events[0]?.ts_us).toBe(1795673805730227);
    const exits = run.events.filter((e) => e.kind === 'process' && e.op === 'exit');
    const exitLines = fileLines(HMI_EPOCH).filter((l) => l.includes('+++ exited with')).length;
    expect(exits).toHaveLength(exitLines);
  });

  it('handles a stderr capture: notices cut into lines, prefix-less leader lines', () => {
    const run = runFile(straceImporter, STDERR);
    const lines = fileLines(STDERR);
    const notices = lines.filter((l) => l.includes('strace: Process ')).length;
    const attached = run.events.filter((e) => e.kind === 'process' && e.op === 'attached');
    expect(attached).toHaveLength(notices);
    // 59: "…vfork(strace: Process 11607 attached" + 60: " <unfinished ...>" + 63: "[pid 11606] <... vfork resumed>) = 11607"
    const vfork = run.events.find((e) => e.source_line === 59 && e.op === 'vfork');
    expect(vfork).toMatchObject({ ret: '11607', pid: 11606, ts_us: 1795672217334446 });
    expect(attached.find((e) => e.source_line === 59)).toMatchObject({ pid: 11607, ts_us: 1795672217334446 });
    // once "[pid 11606] <... vfork resumed>" names the prefix-less task, its child knows its parent
    const later = run.events.filter((e) => e.pid === 11607 && e.source_line > 63);
    expect(later.length).toBeGreaterThan(0);
    expect(new Set(later.map((e) => e.ppid))).toEqual(new Set([11606]));
    expect(run.continuations).toEqual(expect.arrayContaining([60, 63]));
    // 65: "[pid 11606] wait4(-1,  <unfinished ...>"; its result comes on 1628 without a prefix,
    // printed when 11606 was the one task still alive
    expect(lines[1627]).toMatch(/^\d+\.\d+ <\.\.\. wait4 resumed>/);
    expect(run.events.find((e) => e.source_line === 65)).toMatchObject({ op: 'wait4', pid: 11606, ret: '11607' });
    expect(run.continuations).toContain(1628);
    expect(run.events.filter((e) => e.fields?.['unfinished'] || e.fields?.['resumed_without_start'])).toEqual([]);
  });

  it('takes the pid of a -ff file from its name and the process from its execve', () => {
    const run = runFile(straceImporter, sharedCapture('public/strace/tracecode/cp.1242528'));
    expect(new Set(run.events.map((e) => e.pid))).toEqual(new Set([1242528]));
    expect(run.events[1]).toMatchObject({ process: 'cp', op: 'brk' });
    const dup = runFile(straceImporter, sharedCapture('public/strace/tracecode/trace.1')).events.find((e) => e.op === 'dup2');
    expect(dup).toMatchObject({ target: 'pipe:[571018935]', ret: '1' });
  });

  it('is detected as strace, not ltrace, on every real file', () => {
    for (const path of REAL_FILES) {
      const d = detectFormat(makeDetectSample(path, readFileSync(path).subarray(0, 65536)));
      expect(d.status === 'found' ? d.importer.format : d.status, path).toBe('strace');
    }
  });
});

describe('strace importer on edge cases', () => {
  const run = (lines: string[], overrides: Partial<ImportContext> = {}) => runLines(straceImporter, lines, overrides);

  it('rolls a -tt time over to the next day when it goes back by more than 12 h', () => {
    const r = run(['10 23:59:59.900000 getpid() = 10 <0.000001>', '10 00:00:00.100000 getpid() = 10 <0.000001>', '10 00:00:00.050000 getpid() = 10']);
    expect(r.events.map((e) => e.ts_us - Date.parse('2026-11-26T00:00:00Z') * 1000)).toEqual([
      86_399_900_000, 86_400_100_000, 86_400_050_000,
    ]);
  });

  it('reads -t times in the given zone and warns when the date is assumed', () => {
    const r = run(['10 12:00:00 getpid() = 10'], { tz: 'Europe/Berlin', dateBasis: 'file modification date' });
    expect(r.events[0]?.ts_us).toBe(Date.parse('2026-11-26T11:00:00Z') * 1000);
    expect(r.warnings.join()).toMatch(/assumed 2026-11-26/);
  });

  it('reads results: errno, ?, hex, decorated fd, extra detail', () => {
    const r = run([
      'open("/nope", O_RDONLY) = -1 ENOENT (No such file or directory)',
      'exit_group(0)                          = ?',
      'mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0c2a1b2000',
      'openat(AT_FDCWD</opt/hmi>, "etc/hmi.conf", O_RDONLY) = 3</opt/hmi/etc/hmi.conf>',
      'poll([{fd=3, events=POLLIN}], 1, 100) = 0 (Timeout)',
      'write(1, "a = b", 5) = 5',
      'read(5<TCP:[127.0.0.1:40100->127.0.0.1:502]>, "\\0\\1", 260) = 2',
      'socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 7<socket:[41700]>',
      'connect(3, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
      'connect(4, {sa_family=AF_UNIX, sun_path="/run/nscd/socket"}, 110) = -1 ENOENT (No such file or directory)',
      'rt_sigsuspend([], 8) = ? ERESTARTNOHAND (To be restarted if no handler)',
      'ptrace(PTRACE_ATTACH, 1202) = -1 EPERM (Operation not permitted)',
    ]);
    expect(r.rejects).toEqual([]);
    const [open, exit, mmap, openat, poll, write, read, socket, c6, cu, sus, pt] = r.events;
    expect(open).toMatchObject({ ret: '-1', error: 'ENOENT', target: '/nope', pid: null });
    expect(exit).toMatchObject({ ret: '?', error: null, args: '0' });
    expect(mmap).toMatchObject({ ret: '0x7f0c2a1b2000', category: 'memory' });
    expect(openat).toMatchObject({ ret: '3', target: '/opt/hmi/etc/hmi.conf' });
    expect(poll).toMatchObject({ ret: '0', fields: { ret_detail: '(Timeout)' } });
    expect(write).toMatchObject({ ret: '5', args: '1, "a = b", 5' });
    expect(read).toMatchObject({ target: 'TCP:[127.0.0.1:40100->127.0.0.1:502]', category: 'file' });
    expect(socket).toMatchObject({ ret: '7', target: 'socket:[41700]', category: 'network' });
    expect(c6?.target).toBe('[::1]:443');
    expect(cu).toMatchObject({ target: '/run/nscd/socket', error: 'ENOENT' });
    expect(sus).toMatchObject({ ret: '?', error: 'ERESTARTNOHAND' });
    expect(pt).toMatchObject({ target: 'pid:1202', error: 'EPERM', category: 'process' });
  });

  it('reads signals, kills and notices', () => {
    const r = run([
      '[pid  7] 10:00:00.000001 --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---',
      '[pid  7] 10:00:00.000002 +++ killed by SIGSEGV (core dumped) +++',
      '10:00:00.000003 --- stopped by SIGSTOP ---',
      'strace: Process 8 detached',
    ]);
    expect(r.events.map((e) => [e.kind, e.op, e.args])).toEqual([
      ['signal', 'SIGSEGV', '{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL}'],
      ['process', 'killed', 'SIGSEGV (core dumped)'],
      ['signal', 'SIGSTOP', 'stopped by SIGSTOP'],
      ['process', 'detached', 'strace: Process 8 detached'],
    ]);
    expect(r.events[3]).toMatchObject({ pid: 8, ts_us: r.events[2]?.ts_us });
  });

  it('keeps a call that never resumes as one event with an unknown result', () => {
    const r = run(['5 1.000000 read(0,  <unfinished ...>', '6 1.000001 getpid() = 6', '5 1.000002 +++ killed by SIGKILL +++']);
    expect(r.events.find((e) => e.op === 'read')).toMatchObject({ ts_us: 1_000_000, ret: null, pid: 5, fields: { unfinished: true } });
  });

  it('rejects a malformed line in the middle, keeps a truncated last line as an event', () => {
    const r = run(['1 1.0 getpid() = 1', '1 1.1 write(1, "abc', '1 1.2 getpid() = 1', '1 1.3 read(3, "xy']);
    expect(r.rejects.map((x) => x.line)).toEqual([2]);
    expect(r.rejects[0]?.reason).toMatch(/incomplete call/);
    expect(r.events.find((e) => e.source_line === 4)).toMatchObject({ op: 'read', ret: null, fields: { truncated: true } });
  });

  it('survives long valid lines', () => {
    const big = 'x'.repeat(500_000);
    const r = run([`1 1.0 write(1, "${big}"..., 500000) = 500000 <0.001>`]);
    expect(r.events[0]).toMatchObject({ ret: '500000', dur_us: 1000 });
  });

  it('refuses a file that is not strace at all', () => {
    const notStrace = Array.from({ length: 60 }, (_, i) => `{"ts": ${i}, "msg": "hello"}`);
    expect(() => run(notStrace)).toThrow(/not strace output/);
    expect(() => run(['just one line of prose'])).toThrow(/no line could be read as strace/);
  });
});
