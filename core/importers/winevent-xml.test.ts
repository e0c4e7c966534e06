// Windows-event XML importer: the evtxexport export of sysmon.evtx (must match the .evtx import
// event for event; its first 10 events are a repository fixture, the whole export is in the
// corpus) and inline fixtures for the other XML shapes Windows tools write.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusCapture, describeCorpus, fixture } from '../testing/corpus.ts';
import { evtxImporter } from './evtx.ts';
import { runBinary, runFile, runText } from '../testing/collecting-sink.ts';
import { detectFormat, makeDetectSample } from './registry.ts';
import { windowsEventXmlImporter } from './winevent-xml.ts';

const XML_FIRST10 = fixture('winevent-xml/sysmon.evtxexport.first10.xml');
const XML_EXPORT = corpusCapture('public/evtx/derived/sysmon.evtx.evtxexport.xml');
const NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

const event = (id: number, record: number, data: string, time = '2024-05-01T10:00:00.1234567Z'): string =>
  `<Event xmlns='${NS}'><System><Provider Name='Microsoft-Windows-Sysmon'/><EventID>${id}</EventID>` +
  `<TimeCreated SystemTime='${time}'/><EventRecordID>${record}</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel>` +
  `<Computer>plc-eng-01</Computer></System><EventData>${data}</EventData></Event>`;

describe('winevent-xml on the first 10 events of the evtxexport export of sysmon.evtx', () => {
  it('reads all 10 events; every line is an event, a continuation or a skip', () => {
    const out = runFile(windowsEventXmlImporter, XML_FIRST10);
    expect(out.events).toHaveLength(10); // grep -c '<Event ' → 10
    expect(out.rejects).toEqual([]);
    const lineCount = readFileSync(XML_FIRST10, 'utf8').split('\n').length - 1;
    expect(out.events.length + out.continuations.length + out.skips.length).toBe(lineCount);
    expect(out.events[0]?.source_line).toBe(3); // line 1 is the "evtxexport 20181227" banner, line 2 blank
  });

  it('maps the first record (EventRecordID 1742, a Sysmon ProcessCreate of PING.EXE) as the .evtx import does', () => {
    const first = runFile(windowsEventXmlImporter, XML_FIRST10).events[0];
    // The same values evtx.test.ts asserts for record 1742 of sysmon.evtx.
    expect(first).toMatchObject({
      ts_us: Date.UTC(2017, 11, 26, 13, 10, 29, 134) * 1000,
      host: 'DESKTOP-2KGM189',
      pid: 9112,
      ppid: 8392,
      process: 'PING.EXE',
      kind: 'process',
      op: 'ProcessCreate',
      target: 'C:\\Windows\\SysWOW64\\PING.EXE',
      args: 'ping  -n 6 127.0.0.1 ',
    });
    expect(first?.fields).toMatchObject({ EventID: 1, EventRecordID: 1742, ParentImage: 'C:\\Windows\\SysWOW64\\cmd.exe' });
  });

  it('is detected from content and wins over generic formats', () => {
    const detection = detectFormat(makeDetectSample('export.xml', readFileSync(XML_FIRST10)));
    expect(detection.status === 'found' && detection.importer.format).toBe('winevent-xml');
  });
});

describeCorpus('winevent-xml on the whole evtxexport export of sysmon.evtx (corpus)', () => {
  it('reads all 358 events; every line is an event, a continuation or a skip', () => {
    const out = runFile(windowsEventXmlImporter, XML_EXPORT);
    expect(out.events).toHaveLength(358); // grep -c '<Event ' → 358
    expect(out.rejects).toEqual([]);
    const lineCount = readFileSync(XML_EXPORT, 'utf8').split('\n').length - 1; // wc -l → 12223
    expect(out.events.length + out.continuations.length + out.skips.length).toBe(lineCount);
    expect(out.events[0]?.source_line).toBe(3); // line 1 is the "evtxexport 20181227" banner, line 2 blank
  });

  it('imports to the same events as sysmon.evtx (count, times, ids, ops, targets, pids)', async () => {
    const xml = runFile(windowsEventXmlImporter, XML_EXPORT);
    const bin = await runBinary(evtxImporter, new Uint8Array(readFileSync(corpusCapture('public/evtx/sysmon.evtx'))));
    expect(xml.events).toHaveLength(bin.events.length);
    const key = (e: (typeof xml.events)[number]): string =>
      JSON.stringify([e.fields?.['EventRecordID'], e.fields?.['EventID'], e.ts_us, e.op, e.kind, e.target, e.pid, e.ppid, e.process, e.args, e.host]);
    expect(xml.events.map(key)).toEqual(bin.events.map(key));
    expect(xml.warnings.filter((w) => /network event/.test(w))).toEqual(bin.warnings.filter((w) => /network event/.test(w)));
  });

  it('is detected from content and wins over generic formats', () => {
    const detection = detectFormat(makeDetectSample('export.xml', readFileSync(XML_EXPORT).subarray(0, 65_536)));
    expect(detection.status).toBe('found');
    if (detection.status === 'found') expect(detection.importer.format).toBe('winevent-xml');
  });
});

describe('winevent-xml on other XML shapes', () => {
  it('reads many events on one line inside an <Events> wrapper (wevtutil qe /f:xml)', () => {
    const text =
      `<?xml version="1.0" encoding="UTF-8"?>\n<Events>` +
      event(11, 7, `<Data Name='UtcTime'>2024-05-01 10:00:00.100</Data><Data Name='ProcessId'>42</Data><Data Name='Image'>C:\\Tools\\a&amp;b.exe</Data><Data Name='TargetFilename'>C:\\Temp\\x &lt;1&gt;.txt</Data>`) +
      event(23, 8, `<Data Name='UtcTime'>2024-05-01 10:00:01.200</Data><Data Name='TargetFilename'>C:\\Temp\\y.txt</Data>`) +
      `</Events>\n`;
    const out = runText(windowsEventXmlImporter, text);
    expect(out.rejects).toEqual([]);
    expect(out.events.map((e) => [e.source_line, e.op, e.kind, e.target])).toEqual([
      [2, 'FileCreate', 'file', 'C:\\Temp\\x <1>.txt'],
      [2, 'FileDelete', 'file', 'C:\\Temp\\y.txt'],
    ]);
    expect(out.events[0]).toMatchObject({ pid: 42, process: 'a&b.exe', host: 'plc-eng-01', ts_us: Date.UTC(2024, 4, 1, 10, 0, 0, 100) * 1000 });
    expect(out.skips).toEqual([1]);
  });

  it('rejects a malformed event and an unterminated one, keeping the good ones', () => {
    const good = event(1, 1, `<Data Name='UtcTime'>2024-05-01 10:00:00.000</Data><Data Name='Image'>C:\\x.exe</Data>`);
    const text = [good, '<Event><System><EventID>1</EventID></Foo></Event>', 'stray words', good, '<Event>', '<System>'].join('\n');
    const out = runText(windowsEventXmlImporter, text);
    expect(out.events.map((e) => e.source_line)).toEqual([1, 4]);
    expect(out.rejects.map((r) => [r.line, r.reason.split(':')[0]])).toEqual([
      [2, 'malformed <Event> XML'],
      [3, 'text outside any <Event> element'],
      [5, '<Event> element not closed before the end of the file (cut short?)'],
    ]);
  });

  it('keeps unknown events with all their data, and Security UserData', () => {
    const cleared =
      `<Event xmlns="${NS}"><System><Provider Name="Microsoft-Windows-Eventlog"/><EventID>1102</EventID>` +
      `<TimeCreated SystemTime="2024-05-01T09:00:00.000Z"/><EventRecordID>9</EventRecordID><Channel>Security</Channel><Computer>hmi-02</Computer></System>` +
      `<UserData><LogFileCleared xmlns="http://manifests.microsoft.com/win/2004/08/windows/eventlog"><SubjectUserName>op</SubjectUserName><SubjectDomainName>PLANT</SubjectDomainName></LogFileCleared></UserData></Event>`;
    const unknown =
      `<Event xmlns="${NS}"><System><Provider Name="Vendor-Historian"/><EventID>7001</EventID>` +
      `<TimeCreated SystemTime="2024-05-01T09:00:01.000Z"/><Execution ProcessID="1234" ThreadID="5"/><Computer>hist</Computer></System>` +
      `<EventData><Data>tag FIC101 write</Data><Data>ok</Data></EventData></Event>`;
    const out = runText(windowsEventXmlImporter, `${cleared}\n${unknown}\n`);
    expect(out.events[0]).toMatchObject({ kind: 'log', category: 'log', op: 'LogCleared', target: 'Security', args: 'PLANT\\op' });
    expect(out.events[1]).toMatchObject({ kind: 'log', op: 'Vendor-Historian/7001', pid: 1234, tid: 5, args: 'Data1=tag FIC101 write; Data2=ok' });
  });
});
