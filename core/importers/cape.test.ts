import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../model/event.ts';
import { fileLines, rejectReasons, runLines, runText } from '../testing/collecting-sink.ts';
import { corpusCapture, describeCorpus, fixture } from '../testing/corpus.ts';
import { capeImporter } from './cape.ts';
import { detectFormat, makeDetectSample } from './registry.ts';
import type { ImportContext } from './types.ts';
import { windowsEventXmlImporter } from './winevent-xml.ts';

// The APC-injection report trimmed to its first calls and Sysmon events (fixtures/cape/SOURCES.md);
// both whole reports are in the shared corpus.
const APC_TRIMMED = fixture('cape/apc-inject.trimmed.lite.json');
const APC = corpusCapture('public/cape/b145e2ec11257461442f8a42e1b34b303ff7eba7b27a8b65cb0ae6ac67950d10/lite.json');
const IPV6 = corpusCapture('public/cape/dda198eb9dfaf03e9fd39c3bd844a7e76647645f624dbe7fd7bb92c546af95e1/lite.json');

/** A CAPE report's lines as the ingest hands them over; rejects compared as { line, reason }. */
function run(lines: string[], overrides: Partial<ImportContext> = {}) {
  const r = runLines(capeImporter, lines, { fileName: 'lite.json', date: '2020-01-01', ...overrides });
  return { ...r, rejects: rejectReasons(r) };
}

describe('cape on a trimmed real lite.json report', () => {
  it('imports its 26 API calls (15 + 11, two processes) and 20 Sysmon events without rejects', () => {
    const lines = fileLines(APC_TRIMMED);
    const r = run(lines);
    expect(r.rejects).toEqual([]);
    expect(r.events.filter((e) => e.kind === 'api')).toHaveLength(26);
    expect(r.events.filter((e) => e.fields?.['source'] === 'sysmon')).toHaveLength(20);
    // Every line is accounted for: event lines plus skipped structure lines.
    expect(new Set(r.events.map((e) => e.source_line)).size + r.skips.length).toBe(lines.length);
  });

  it('points every call at its own "api" line and every Sysmon event at its EventRecordID line', () => {
    const lines = fileLines(APC_TRIMMED);
    for (const e of run(lines).events) {
      const text = lines[e.source_line - 1] ?? '';
      if (e.kind === 'api') expect(text).toContain(`"api": "${e.op}"`);
      else expect(text).toContain(`"EventRecordID": "${String(e.fields?.['EventRecordID'])}"`);
    }
  });

  it('spot-checks the first call (line 1303: LdrLoadDll by apc-inject.exe)', () => {
    const first = run(fileLines(APC_TRIMMED)).events.find((e) => e.source_line === 1303);
    expect(first).toMatchObject({
      ts_us: Date.UTC(2025, 10, 18, 21, 11, 23, 260) * 1000, // "2025-11-18 21:11:23,260"
      pid: 5900,
      ppid: 1508,
      tid: 3316,
      process: 'apc-inject.exe',
      kind: 'api',
      op: 'LdrLoadDll',
      category: 'system',
      target: 'api-ms-win-core-synch-l1-2-0',
      args: 'Flags=0x00000000, FileName=api-ms-win-core-synch-l1-2-0, BaseAddress=0x767f0000',
      ret: '0x00000000',
      error: null,
      host: 'DESKTOP-LG3F6GA',
    });
  });

  it('maps embedded Sysmon events by ID (first: EID 13 SetValue by System at line 19, UtcTime 21:12:28.964)', () => {
    const r = run(fileLines(APC_TRIMMED));
    const first = r.events.find((e) => e.source_line === 19);
    expect(first).toMatchObject({ kind: 'registry', category: 'registry', op: 'RegSetValue', pid: 4, process: 'System' });
    expect(first?.ts_us).toBe(Date.UTC(2025, 10, 18, 21, 12, 28, 964) * 1000);
    const byId = (id: number): CanonicalEvent[] => r.events.filter((e) => e.fields?.['event_id'] === id);
    // python Counter over sysmon[].System.EventID of the fixture: 12 ×6, 13 ×5, 5 ×3, 18 ×3, 11 ×2, 7 ×1
    expect([12, 13, 5, 18, 11, 7].map((id) => byId(id).length)).toEqual([6, 5, 3, 3, 2, 1]);
    expect(byId(11).every((e) => e.kind === 'file' && e.target !== null)).toBe(true);
    expect(byId(5).every((e) => e.kind === 'process' && e.op === 'ProcessTerminate')).toBe(true);
    expect(byId(18).every((e) => e.category === 'ipc')).toBe(true);
  });

  it('is detected as cape from the first 64 KiB', () => {
    const sample = makeDetectSample('lite.json', readFileSync(APC_TRIMMED).subarray(0, 65536));
    expect(capeImporter.detect(sample)).toBeGreaterThanOrEqual(0.8);
    const d = detectFormat(sample);
    expect(d.status === 'found' ? d.importer.format : d.status).toBe('cape');
  });
});

describeCorpus('cape on the whole lite.json reports (corpus)', () => {
  it('imports the 142 API calls and 78 Sysmon events of the APC-injection report (SOURCES.md §2c) without rejects', () => {
    const lines = fileLines(APC);
    const r = run(lines);
    expect(r.rejects).toEqual([]);
    expect(r.events.filter((e) => e.kind === 'api')).toHaveLength(142);
    expect(r.events.filter((e) => e.fields?.['source'] === 'sysmon')).toHaveLength(78);
    expect(new Set(r.events.map((e) => e.source_line)).size + r.skips.length).toBe(lines.length);
    // python Counter over sysmon[].System.EventID: 11 ×27, 5 ×20, 18 ×7
    expect([11, 5, 18].map((id) => r.events.filter((e) => e.fields?.['event_id'] === id).length)).toEqual([27, 20, 7]);
  });

  it('imports the IPv6 report: 106 calls and 56 Sysmon events, network calls on the network lane', () => {
    const r = run(fileLines(IPV6));
    expect(r.rejects).toEqual([]);
    expect(r.events.filter((e) => e.kind === 'api')).toHaveLength(106);
    expect(r.events.filter((e) => e.fields?.['source'] === 'sysmon')).toHaveLength(56);
    // python Counter over calls[].category: network ×2
    expect(r.events.filter((e) => e.kind === 'api' && e.category === 'network')).toHaveLength(2);
  });

  it('is detected as cape from the first 64 KiB, even when "behavior" comes later', () => {
    for (const path of [APC, IPV6]) {
      const sample = makeDetectSample('lite.json', readFileSync(path).subarray(0, 65536));
      expect(capeImporter.detect(sample)).toBeGreaterThanOrEqual(0.8);
      const d = detectFormat(sample);
      expect(d.status === 'found' ? d.importer.format : d.status).toBe('cape');
    }
  });
});

const compact = (calls: unknown[], extra: Record<string, unknown> = {}): string[] => [
  JSON.stringify({ info: { version: '2.4-CAPE' }, behavior: { processes: [{ process_id: 10, process_name: 'a.exe', parent_id: 1, calls }] }, ...extra }),
];

describe('cape edge cases', () => {
  it('reads call times in ctx.tz and marks failed calls with their return as error', () => {
    const r = run(
      compact([
        { timestamp: '2024-01-02 03:04:05,678', thread_id: '7', category: 'filesystem', api: 'NtCreateFile', status: false, return: '0xc0000034', arguments: [{ name: 'FileName', value: 'C:\\x' }] },
      ]),
      { tz: '+01:00' },
    );
    expect(r.events[0]).toMatchObject({ ts_us: Date.UTC(2024, 0, 2, 2, 4, 5, 678) * 1000, op: 'NtCreateFile', category: 'file', target: 'C:\\x', error: '0xc0000034', source_line: 1 });
  });

  it('classes memory APIs as memory and rejects a call without a readable timestamp', () => {
    const r = run(
      compact([
        { timestamp: '2024-01-02 03:04:05,000', category: 'process', api: 'NtAllocateVirtualMemory', status: true, return: '0x0', arguments: [] },
        { timestamp: 'later', category: 'process', api: 'NtClose', status: true, return: '0x0', arguments: [] },
      ]),
    );
    expect(r.events.map((e) => [e.op, e.category])).toEqual([['NtAllocateVirtualMemory', 'memory']]);
    expect(r.rejects).toEqual([{ line: 1, reason: 'call NtClose has no readable timestamp ("later")' }]);
  });

  it('accepts a single EventData item (xmltodict gives an object, not a list)', () => {
    const sysmon = [{ System: { EventID: '22', EventRecordID: '5', Computer: 'H' }, EventData: { Data: { '@Name': 'UtcTime', '#text': '2024-01-02 03:04:05.123' } } }];
    const r = run(compact([], { sysmon }));
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({ op: 'DnsQuery', kind: 'network', host: 'H', ts_us: Date.UTC(2024, 0, 2, 3, 4, 5, 123) * 1000 });
  });

  it('maps an embedded Sysmon event like the same event exported as XML (shared Windows mapping)', () => {
    const data = { RuleName: '-', UtcTime: '2024-01-02 03:04:05.123', SourceProcessId: '10', SourceThreadId: '11', SourceImage: 'C:\\a.exe', TargetProcessId: '20', TargetImage: 'C:\\Windows\\System32\\lsass.exe', GrantedAccess: '0x1010' };
    const system = { Provider: { '@Name': 'Microsoft-Windows-Sysmon' }, EventID: '10', TimeCreated: { '@SystemTime': '2024-01-02T03:04:05.1234567Z' }, EventRecordID: '7', Execution: { '@ProcessID': '3', '@ThreadID': '4' }, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'H' };
    const sysmon = [{ System: system, EventData: { Data: Object.entries(data).map(([k, v]) => ({ '@Name': k, '#text': v })) } }];
    const cape = run(compact([], { sysmon })).events[0];
    const xml = [
      '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Sysmon"/><EventID>10</EventID>',
      '<TimeCreated SystemTime="2024-01-02T03:04:05.1234567Z"/><EventRecordID>7</EventRecordID><Execution ProcessID="3" ThreadID="4"/>',
      '<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>H</Computer></System><EventData>',
      ...Object.entries(data).map(([k, v]) => `<Data Name="${k}">${v}</Data>`),
      '</EventData></Event>',
    ].join('');
    const fromXml = runText(windowsEventXmlImporter, xml).events[0];
    const columns = (e: CanonicalEvent | undefined) => e && { ts_us: e.ts_us, host: e.host, pid: e.pid, tid: e.tid, process: e.process, kind: e.kind, op: e.op, category: e.category, target: e.target, args: e.args };
    expect(columns(cape)).toEqual(columns(fromXml));
    expect(cape).toMatchObject({ op: 'ProcessAccess', kind: 'process', category: 'memory', target: 'C:\\Windows\\System32\\lsass.exe', pid: 10, tid: 11 });
    expect(cape?.fields).toMatchObject({ source: 'sysmon', event_id: 10, EventRecordID: 7 });
  });

  it('throws on input that is not a CAPE/Cuckoo report', () => {
    expect(() => run(['{"a": 1']).events).toThrow(/not one JSON document/);
    expect(() => run(['{"info": {}}'])).toThrow(/no behavior.processes/);
    expect(capeImporter.detect(makeDetectSample('x.json', new TextEncoder().encode('{"ts": 1, "msg": "x"}\n')))).toBe(0);
  });
});
