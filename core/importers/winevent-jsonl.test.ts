// Windows events as JSON lines: excerpts of the OTRF Security-Datasets files kept as fixtures
// (fixtures/winevent-jsonl/SOURCES.md), the whole files in the corpus (SOURCES.md §2b), and inline
// Winlogbeat-style and broken lines.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusCapture, describeCorpus, fixture } from '../testing/corpus.ts';
import { jsonLinesImporter } from './jsonl.ts';
import { runFile, runText } from '../testing/collecting-sink.ts';
import { detectFormat, makeDetectSample } from './registry.ts';
import { windowsEventJsonImporter } from './winevent-jsonl.ts';

const EXCERPTS = {
  /** Lines 345–365 of the LSASS-campaign slice 10:45:04–10:45:07 (the C2 connection is line 355 there, 11 here). */
  slice1: fixture('winevent-jsonl/lsass-campaign.slice104504.lines345-365.json'),
  /** Lines 20–30 of cmd_lsass_memory_dumpert_syscalls: Security events, then Sysmon from line 24 (5 here). */
  cmd: fixture('winevent-jsonl/cmd_lsass_dumpert.lines20-30.json'),
  /** First 8 lines of psh_mavinject_dll_notepad. */
  psh: fixture('winevent-jsonl/psh_mavinject.head8.json'),
  /** Lines 70–80 of the LSASS-campaign slice 10:47:36–10:47:46: line 74 (5 here) is Outflank-Dumpert opening lsass.exe. */
  slice2: fixture('winevent-jsonl/lsass-campaign.slice104736.lines70-80.json'),
};
const otrf = (name: string): string => corpusCapture(`public/sysmon_json/${name}`);
const FILES = {
  psh: otrf('psh_mavinject_dll_notepad_2020-10-2121410529.json'),
  cmd: otrf('cmd_lsass_memory_dumpert_syscalls_2020-10-1822561997.json'),
  slice1: otrf('metasploit_outflank-dumpert_lsass_memory_dump.slice_104504-104507Z.json'),
  slice2: otrf('metasploit_outflank-dumpert_lsass_memory_dump.slice_104736-104746Z.json'),
};

describe('winevent-jsonl on excerpts of the OTRF datasets', () => {
  it('turns every line into an event (21, 11, 8 and 11 lines)', () => {
    const runs = Object.values(EXCERPTS).map((f) => runFile(windowsEventJsonImporter, f));
    expect(runs.map((r) => r.events.length)).toEqual([21, 11, 8, 11]);
    expect(runs.flatMap((r) => r.rejects)).toEqual([]);
  });

  it('puts the excerpt on one clock: TimeCreated is shifted by +19 h to match Sysmon UtcTime', () => {
    const out = runFile(windowsEventJsonImporter, EXCERPTS.slice1);
    // The slice holds @timestamp 10:45:04–10:45:07 (TimeCreated), i.e. 05:45:04–05:45:07 next day in UtcTime.
    const lo = Date.UTC(2023, 8, 6, 5, 45, 4) * 1000;
    const hi = Date.UTC(2023, 8, 6, 5, 45, 7) * 1000;
    expect(out.events.every((e) => e.ts_us >= lo && e.ts_us < hi)).toBe(true);
    expect(out.warnings.join('\n')).toMatch(/-19 h off Sysmon/);
  });

  it('maps the Sysmon 3 connection to 10.0.5.14:6666 so it lines up with Zeek conn.log', () => {
    const conn = runFile(windowsEventJsonImporter, EXCERPTS.slice1).events.find((e) => e.source_line === 11);
    expect(conn).toMatchObject({ kind: 'network', op: 'NetworkConnect', target: '10.0.5.14:6666', pid: 5704, process: 'winx64_payload.exe' });
    expect(conn?.fields).toMatchObject({ SourceIp: '192.168.56.30', SourcePort: '56448', UtcTime: '2023-09-05 15:51:15.383' });
    // Zeek conn.log uid CCFaKz4K05Z2KxgQA2 has ts 1693979103.32 (fixtures/zeek): within 2 s.
    expect(Math.abs((conn?.ts_us ?? 0) - 1693979103.32e6)).toBeLessThan(2_000_000);
  });

  it('maps Outflank-Dumpert opening lsass.exe as a ProcessAccess with its granted access', () => {
    const access = runFile(windowsEventJsonImporter, EXCERPTS.slice2).events.find((e) => e.source_line === 5);
    expect(access).toMatchObject({ op: 'ProcessAccess', process: 'Outflank-Dumpert.exe', target: expect.stringMatching(/lsass\.exe$/) as unknown as string });
    expect(access?.args).toMatch(/^GrantedAccess=0x1fffff/);
  });

  it('flags the cleared Security log and reads zone-less TimeCreated with the file\'s +16 h shift', () => {
    const psh = runFile(windowsEventJsonImporter, EXCERPTS.psh);
    expect(psh.events[0]).toMatchObject({ source_line: 1, kind: 'log', category: 'log', op: 'LogCleared', host: 'WORKSTATION5' });
    const cmd = runFile(windowsEventJsonImporter, EXCERPTS.cmd);
    // Line 2: Security 5156, TimeCreated "2020-10-18 10:56:13.551" (no zone) + 16 h (Sysmon UtcTime of lines 5–11).
    expect(cmd.events[1]).toMatchObject({ op: 'WfpConnectionPermitted', target: '168.63.129.16:80', pid: 3304, ts_us: Date.UTC(2020, 9, 19, 2, 56, 13, 551) * 1000 });
  });

  it('beats the generic JSON-lines importer in detection', () => {
    const sample = makeDetectSample('x.json', readFileSync(EXCERPTS.psh));
    expect(windowsEventJsonImporter.detect(sample)).toBeGreaterThanOrEqual(0.8);
    expect(jsonLinesImporter.detect(sample)).toBeLessThanOrEqual(0.5);
    const detection = detectFormat(sample);
    expect(detection.status === 'found' && detection.importer.format).toBe('winevent-jsonl');
  });
});

describeCorpus('winevent-jsonl on the whole OTRF datasets (corpus)', () => {
  it('turns every line into an event (one event per line: wc -l = 509, 118, 415, 833)', () => {
    const counts = Object.values(FILES).map((f) => runFile(windowsEventJsonImporter, f));
    expect(counts.map((c) => c.events.length)).toEqual([509, 118, 415, 833]);
    expect(counts.flatMap((c) => c.rejects)).toEqual([]);
  });

  it('puts the whole slice on one clock: TimeCreated is shifted by +19 h to match Sysmon UtcTime', () => {
    const out = runFile(windowsEventJsonImporter, FILES.slice1);
    // The slice holds @timestamp 10:45:04–10:45:07 (TimeCreated), i.e. 05:45:04–05:45:07 next day in UtcTime.
    const lo = Date.UTC(2023, 8, 6, 5, 45, 4) * 1000;
    const hi = Date.UTC(2023, 8, 6, 5, 45, 7) * 1000;
    expect(out.events.every((e) => e.ts_us >= lo && e.ts_us < hi)).toBe(true);
    expect(out.warnings.join('\n')).toMatch(/-19 h off Sysmon/);
  });

  it('maps the Sysmon 3 connection to 10.0.5.14:6666 so it lines up with Zeek conn.log', () => {
    const out = runFile(windowsEventJsonImporter, FILES.slice1);
    const conn = out.events.find((e) => e.source_line === 355); // grep -n '"SourcePort":"56448"'
    expect(conn).toMatchObject({ kind: 'network', op: 'NetworkConnect', target: '10.0.5.14:6666', pid: 5704, process: 'winx64_payload.exe' });
    expect(conn?.fields).toMatchObject({ SourceIp: '192.168.56.30', SourcePort: '56448', UtcTime: '2023-09-05 15:51:15.383' });
    // Zeek conn.log uid CCFaKz4K05Z2KxgQA2 has ts 1693979103.32 (SOURCES.md §2b): within 2 s.
    expect(Math.abs((conn?.ts_us ?? 0) - 1693979103.32e6)).toBeLessThan(2_000_000);
  });

  it('maps the Outflank-Dumpert process creation with pid, ppid, image and command line', () => {
    const out = runFile(windowsEventJsonImporter, FILES.slice2);
    const launch = out.events.find((e) => e.source_line === 28);
    expect(launch).toMatchObject({
      ts_us: Date.UTC(2023, 8, 6, 5, 47, 37, 548) * 1000, // UtcTime 2023-09-06 05:47:37.548
      host: 'MKT01.pandalab.com',
      pid: 388,
      ppid: 5704,
      process: 'Outflank-Dumpert.exe',
      op: 'ProcessCreate',
      args: 'C:\\Windows\\Temp\\Outflank-Dumpert.exe',
    });
    expect(launch?.fields).toMatchObject({ EventID: 1, TimeCreated: '2023-09-05T10:47:37.561Z', ParentImage: 'C:\\Users\\stevie.marie\\Downloads\\winx64_payload.exe' });
    const access = out.events.filter((e) => e.op === 'ProcessAccess' && e.target?.endsWith('lsass.exe'));
    expect(access.length).toBeGreaterThan(0);
    expect(access[0]?.args).toMatch(/^GrantedAccess=0x/);
  });

  it('flags the cleared Security log and reads zone-less TimeCreated', () => {
    const psh = runFile(windowsEventJsonImporter, FILES.psh);
    expect(psh.events[0]).toMatchObject({ source_line: 1, kind: 'log', category: 'log', op: 'LogCleared', host: 'WORKSTATION5' });
    const cmd = runFile(windowsEventJsonImporter, FILES.cmd);
    // Line 1: Security 5156, TimeCreated "2020-10-18 10:56:18.799" (no zone) + the file's +16 h shift.
    expect(cmd.events[0]).toMatchObject({ op: 'WfpConnectionPermitted', target: '168.63.129.16:80', pid: 3428, ts_us: Date.UTC(2020, 9, 19, 2, 56, 18, 799) * 1000 });
  });

  it('beats the generic JSON-lines importer in detection', () => {
    const sample = makeDetectSample('x.json', readFileSync(FILES.psh).subarray(0, 65_536));
    expect(windowsEventJsonImporter.detect(sample)).toBeGreaterThanOrEqual(0.8);
    expect(jsonLinesImporter.detect(sample)).toBeLessThanOrEqual(0.5);
    const detection = detectFormat(sample);
    expect(detection.status === 'found' && detection.importer.format).toBe('winevent-jsonl');
  });
});

describe('winevent-jsonl on other shapes', () => {
  it('reads Winlogbeat nesting and rejects lines that are not Windows events', () => {
    const beat = JSON.stringify({
      '@timestamp': '2024-05-01T10:00:00.500Z',
      winlog: {
        event_id: 4688,
        channel: 'Security',
        provider_name: 'Microsoft-Windows-Security-Auditing',
        computer_name: 'eng-ws',
        event_data: { NewProcessId: '0x1a2c', ProcessId: '0x4d2', NewProcessName: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c whoami' },
      },
    });
    const out = runText(windowsEventJsonImporter, [beat, '', '{"hello":1}', 'not json'].join('\n'));
    expect(out.events).toHaveLength(1);
    expect(out.events[0]).toMatchObject({ pid: 0x1a2c, ppid: 1234, process: 'cmd.exe', op: 'ProcessCreate', host: 'eng-ws', args: 'cmd /c whoami' });
    expect(out.skips).toEqual([2]);
    expect(out.rejects.map((r) => [r.line, r.reason])).toEqual([
      [3, 'no EventID: not a Windows event'],
      [4, 'not a JSON object'],
    ]);
  });
});
