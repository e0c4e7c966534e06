import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../model/event.ts';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { fileLines, rejectReasons, runLines as runImporterLines } from '../testing/collecting-sink.ts';
import { corpusCapture, describeCorpus, fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { makeDetectSample, detectFormat } from './registry.ts';
import { procmonCsvImporter, procmonDatePart, procmonTimeOfDayToUs, splitCsvRecord } from './procmon-csv.ts';
import type { ImportContext } from './types.ts';

// Excerpts of the two public exports (fixtures/procmon-csv/SOURCES.md); the whole files are in the corpus.
const WIN10_HEAD = fixture('procmon-csv/win10-process.head100.csv');
const WIN7_EXCERPT = fixture('procmon-csv/win7-mixed.rows2881-3000.csv');
const WIN10 = corpusCapture('public/procmon/CompressedLogFileUTC64ProcessCSV.csv');
const WIN7 = corpusCapture('public/procmon/CompressedLogfileTests32bitUTCCSV.slice-24361-27860.csv');

/** Procmon CSV rows as the ingest hands them over; rejects compared as { line, reason }. */
function runLines(lines: string[], overrides: Partial<ImportContext> = {}) {
  const run = runImporterLines(procmonCsvImporter, lines, { fileName: 't.csv', date: '2020-01-01', ...overrides });
  return { ...run, rejects: rejectReasons(run) };
}

const HEADER = '"Time of Day","Process Name","PID","Operation","Path","Result","Detail"';

describe('procmon-csv on excerpts of real exports', () => {
  it('reads every row of the Win10 excerpt (100 data rows after the header) without rejects', () => {
    const r = runLines(fileLines(WIN10_HEAD));
    expect(r.rejects).toEqual([]);
    expect(r.events).toHaveLength(100);
    expect(r.skips).toEqual([1]);
    expect(r.events.every((e) => e.kind === 'process')).toBe(true);
  });

  it('spot-checks line 18 of the Win10 export (Process Create of vminstall.exe)', () => {
    const r = runLines(fileLines(WIN10_HEAD));
    const e = r.events.find((x) => x.source_line === 18);
    // "7:37:26.6320951 AM","Explorer.EXE","3344","Process Create","C:\Users\test\Desktop\vminstall.exe","SUCCESS",
    // "PID: 6564, Command line: ""C:\Users\test\Desktop\vminstall.exe"" ","7/31/2020 7:37:26 AM", … TID 5456, Parent PID 3288
    expect(e).toMatchObject({
      ts_us: Date.UTC(2020, 6, 31, 7, 37, 26) * 1000 + 632095,
      process: 'Explorer.EXE',
      pid: 3344,
      ppid: 3288,
      tid: 5456,
      op: 'Process Create',
      kind: 'process',
      category: 'process',
      target: 'C:\\Users\\test\\Desktop\\vminstall.exe',
      args: 'PID: 6564, Command line: "C:\\Users\\test\\Desktop\\vminstall.exe" ',
      ret: 'SUCCESS',
      error: null,
    });
    expect(e?.fields).toMatchObject({ child_pid: 6564, event_class: 'Process' });
    const load = r.events.filter((x) => x.op === 'Load Image');
    expect(load).toHaveLength(58); // Counter of the Operation column of the excerpt
    expect(load.every((x) => x.category === 'module')).toBe(true);
  });

  it('binds columns by name in the Win7 excerpt, whose TID/Category come right after Detail', () => {
    const r = runLines(fileLines(WIN7_EXCERPT));
    expect(r.rejects).toEqual([]);
    expect(r.events).toHaveLength(120);
    const count = (pred: (e: CanonicalEvent) => boolean): number => r.events.filter(pred).length;
    // python Counter of the excerpt's Event Class: Registry 42 / File System 47 / Network 29 / Process 2
    expect(count((e) => e.category === 'registry' && e.kind === 'api')).toBe(42);
    expect(count((e) => e.kind === 'api' && (e.category === 'file' || e.category === 'device'))).toBe(47);
    expect(count((e) => e.kind === 'network')).toBe(29);
    expect(count((e) => e.kind === 'process')).toBe(2);
    // python csv: 112 rows with Result SUCCESS, so 8 carry another result
    expect(count((e) => e.error !== null)).toBe(8);

    const first = r.events[0];
    // "4:33:23.9413915 PM","wmiprvse.exe","956","RegOpenKey","HKLM\SOFTWARE\Microsoft\WBEM\CIMOM","SUCCESS",
    // "Desired Access: Read","1832","Read","7/11/2020 4:33:23 PM", … Parent PID 632, 32-bit
    expect(first).toMatchObject({
      source_line: 2,
      ts_us: Date.UTC(2020, 6, 11, 16, 33, 23) * 1000 + 941391,
      pid: 956,
      tid: 1832,
      ppid: 632,
      op: 'RegOpenKey',
      target: 'HKLM\\SOFTWARE\\Microsoft\\WBEM\\CIMOM',
      ret: 'SUCCESS',
      error: null,
      args: 'Desired Access: Read',
    });
    expect(first?.fields).toMatchObject({ procmon_category: 'Read', architecture: '32-bit' });
  });

  it('splits a network Path into local and remote ends (line 47, UDP Receive)', () => {
    const e = runLines(fileLines(WIN7_EXCERPT)).events.find((x) => x.source_line === 47);
    expect(e).toMatchObject({ kind: 'network', category: 'network', op: 'UDP Receive', pid: 2116, target: 'fra15s18-in-f100.1e100.net:https' });
    expect(e?.fields).toMatchObject({
      local_addr: 'WIN-5V8CQK0CP5H.localdomain',
      local_port: '61611',
      remote_addr: 'fra15s18-in-f100.1e100.net',
      remote_port: 'https',
      protocol: 'udp',
    });
  });

  it('is detected with high confidence and chosen over generic CSV', () => {
    for (const path of [WIN10_HEAD, WIN7_EXCERPT]) {
      const sample = makeDetectSample('x.csv', readFileSync(path).subarray(0, 65536));
      expect(procmonCsvImporter.detect(sample)).toBeGreaterThanOrEqual(0.8);
      const d = detectFormat(sample);
      expect(d.status === 'found' ? d.importer.format : d.status).toBe('procmon-csv');
    }
  });
});

describeCorpus('procmon-csv on the whole exports (corpus)', () => {
  it('reads every row of the Win10 export (3,400 rows per SOURCES.md §1) without rejects; 1,952 Load Image', () => {
    const r = runLines(fileLines(WIN10));
    expect(r.rejects).toEqual([]);
    expect(r.events).toHaveLength(3400);
    expect(r.events.filter((x) => x.op === 'Load Image')).toHaveLength(1952); // Counter of the Operation column
  });

  it('reads the Win7 export by class (SOURCES.md §1: Registry 2,846 / File System 564 / Network 78 / Process 12)', () => {
    const r = runLines(fileLines(WIN7));
    expect(r.rejects).toEqual([]);
    expect(r.events).toHaveLength(3500);
    const count = (pred: (e: CanonicalEvent) => boolean): number => r.events.filter(pred).length;
    expect(count((e) => e.category === 'registry' && e.kind === 'api')).toBe(2846);
    expect(count((e) => e.kind === 'api' && (e.category === 'file' || e.category === 'device'))).toBe(564);
    expect(count((e) => e.kind === 'network')).toBe(78);
    expect(count((e) => e.kind === 'process')).toBe(12);
    expect(count((e) => e.error !== null)).toBe(1010); // python csv: 2,490 rows with Result SUCCESS
    const udp = r.events.find((x) => x.source_line === 1002);
    expect(udp).toMatchObject({ kind: 'network', op: 'UDP Send', pid: 1136, target: '192.168.127.2:domain' });
  });
});

describe('procmon-csv edge cases', () => {
  it('reads 12-hour clocks around noon and midnight', () => {
    expect(procmonTimeOfDayToUs('12:00:01.5 AM')).toBe(1_500_000);
    expect(procmonTimeOfDayToUs('12:00:00 PM')).toBe(12 * 3600 * 1e6);
    expect(procmonTimeOfDayToUs('3:12:45.1234567 PM')).toBe((15 * 3600 + 12 * 60 + 45) * 1e6 + 123456);
    expect(procmonTimeOfDayToUs('15:12:45.1234567')).toBe((15 * 3600 + 12 * 60 + 45) * 1e6 + 123456);
    expect(procmonTimeOfDayToUs('13:00:00 PM')).toBeNull();
  });

  it('reads dates month-first with slashes, day-first with dots or when the first number exceeds 12', () => {
    expect(procmonDatePart('7/31/2020 7:37:18 AM')?.date).toBe('2020-07-31');
    expect(procmonDatePart('31/07/2020 07:37:18')?.date).toBe('2020-07-31');
    expect(procmonDatePart('31.07.2020 07:37:18')?.date).toBe('2020-07-31');
    expect(procmonDatePart('2020-07-31 07:37:18')?.date).toBe('2020-07-31');
    expect(procmonDatePart('yesterday')).toBeNull();
  });

  it('splits quoted fields holding commas and doubled quotes', () => {
    expect(splitCsvRecord('"a,b","say ""hi""",,"x"')).toEqual({ complete: true, fields: ['a,b', 'say "hi"', '', 'x'] });
    expect(splitCsvRecord('"open')).toEqual({ complete: false });
  });

  it('keeps a row whose Detail holds a newline as one event; the next line is a continuation', () => {
    const r = runLines([HEADER, '"1:00:00.0000000 PM","a.exe","10","WriteFile","C:\\x","SUCCESS","Line one', 'line two"', '"1:00:01.0000000 PM","a.exe","10","ReadFile","C:\\x","END OF FILE",""']);
    expect(r.rejects).toEqual([]);
    expect(r.events.map((e) => [e.source_line, e.op, e.args])).toEqual([
      [2, 'WriteFile', 'Line one\nline two'],
      [4, 'ReadFile', null],
    ]);
    expect(r.continuations).toEqual([3]);
    expect(r.events[1]?.error).toBe('END OF FILE');
  });

  it('uses ctx.date and ctx.tz without a Date & Time column, and rolls over midnight', () => {
    const r = runLines(
      [HEADER, '"11:59:59.9000000 PM","a.exe","1","RegOpenKey","HKLM\\S","SUCCESS",""', '"12:00:00.1000000 AM","a.exe","1","RegCloseKey","HKLM\\S","SUCCESS",""'],
      { date: '2024-03-09', dateBasis: 'file modification date', tz: '+02:00' },
    );
    expect(r.events.map((e) => new Date(e.ts_us / 1000).toISOString())).toEqual(['2024-03-09T21:59:59.900Z', '2024-03-09T22:00:00.100Z']);
    expect(r.warnings.join(' ')).toMatch(/no date; assumed 2024-03-09/);
  });

  it('rejects a row with a wrong column count or an unreadable time, and goes on', () => {
    const r = runLines([HEADER, '"1:00:00 PM","a.exe","1","CreateFile"', '"soon","a.exe","1","CreateFile","C:\\a","SUCCESS",""', '"1:00:02 PM","a.exe","1","CreateFile","C:\\a","SUCCESS",""']);
    expect(r.rejects.map((x) => x.line)).toEqual([2, 3]);
    expect(r.rejects[0]?.reason).toMatch(/expected 7 columns, found 4/);
    expect(r.events).toHaveLength(1);
  });

  it('rejects a quote left open at the end of the file', () => {
    const r = runLines([HEADER, '"1:00:00 PM","a.exe","1","CreateFile","C:\\a","SUCCESS","oops']);
    expect(r.rejects).toEqual([{ line: 2, reason: 'file ends inside a quoted field' }]);
  });

  it('throws on a file that is not a Procmon export', () => {
    expect(() => runLines(['"ts","host","message"', '"1","h","m"'])).toThrow(/not a Procmon CSV/);
    expect(procmonCsvImporter.detect(makeDetectSample('x.csv', new TextEncoder().encode('"ts","host","message"\n')))).toBe(0);
  });
});

describe('procmon-csv through the ingest', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  it('imports a UTF-16LE export (what Procmon writes on some systems) the same as UTF-8', async () => {
    const text = `${HEADER}\r\n"3:12:45.1234567 PM","Explorer.EXE","1320","RegSetValue","HKCU\\Software\\X","SUCCESS","Type: REG_SZ, Length: 4"\r\n`;
    const path = dir.file('utf16.csv');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const store = await CaseStore.open(dir.file('c.duckdb'));
    try {
      const summary = await importFile(store, path, { date: '2020-01-15' });
      expect(summary).toMatchObject({ format: 'procmon-csv', events: 1, rejected: 0 });
      const rows = await store.rows(sql`SELECT op, target, pid, CAST(ts AS VARCHAR) AS ts FROM events`, { op: 'str', target: 'str', pid: 'num', ts: 'str' });
      expect(rows).toEqual([{ op: 'RegSetValue', target: 'HKCU\\Software\\X', pid: 1320, ts: '2020-01-15 15:12:45.123456' }]);
    } finally {
      store.close();
    }
  });
});
