// The Procmon CSV reader's fast row path (procmon-csv-fast.ts) against the general reader it
// stands in for: on the real excerpts and on generated exports full of what CSV gets wrong
// (quotes, doubled quotes, commas and newlines inside fields, unquoted fields, text after a
// closing quote, wrong widths, blank lines, odd dates and times, non-numeric PIDs), both must
// report exactly the same events, rejects (line, reason, raw text), skips, continuations and warnings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileLines, runLines, textLines, type TextRun } from '../testing/collecting-sink.ts';
import { corpusCapture, describeCorpus, fixture } from '../testing/corpus.ts';
import { openProcmonCsvGeneralOnly, procmonCsvImporter } from './procmon-csv.ts';
import type { ImportContext, TextImporter } from './types.ts';

const generalOnly: TextImporter = { ...procmonCsvImporter, open: openProcmonCsvGeneralOnly };

function both(lines: string[], overrides: Partial<ImportContext> = {}): { fast: TextRun; general: TextRun } {
  const ctx = { fileName: 't.csv', date: '2020-01-01', ...overrides };
  return { fast: runLines(procmonCsvImporter, lines, ctx), general: runLines(generalOnly, lines, ctx) };
}

describe('procmon-csv fast rows on the real excerpts', () => {
  for (const name of ['win10-process.head100.csv', 'win7-mixed.rows2881-3000.csv']) {
    it(`gives the general reader's events for ${name}`, () => {
      const { fast, general } = both(fileLines(fixture(`procmon-csv/${name}`)));
      expect(fast.events.length).toBeGreaterThan(99);
      expect(fast).toEqual(general);
    });
  }

  it('undoubles quotes as the general reader does (the Command Line column of a Process Create row)', () => {
    const header = '"Time of Day","Process Name","PID","Operation","Path","Result","Detail","Command Line"';
    const row = '"7:37:26.6320951 AM","Explorer.EXE","3344","Process Create","C:\\x.exe","SUCCESS","PID: 6564, Command line: ""C:\\x.exe"" ","""C:\\x.exe"" -a"';
    const { fast, general } = both([header, row, row.replace('3344', '3345')]);
    expect(fast).toEqual(general);
    expect(fast.events[0]?.args).toBe('PID: 6564, Command line: "C:\\x.exe" ');
    expect(fast.events[0]?.fields).toMatchObject({ command_line: '"C:\\x.exe" -a', child_pid: 6564 });
  });

  it('leaves a row to the general reader when text follows a closing quote or a quote stays open', () => {
    const header = '"Time of Day","Process Name","PID","Operation","Path","Result","Detail"';
    const lines = [header, '"1:00:00 PM","a.exe","1","ReadFile","C:\\a"x,"SUCCESS",""', '"1:00:01 PM","a.exe","1","ReadFile","C:\\b","SUCCESS","open', 'still open"'];
    const { fast, general } = both(lines);
    expect(fast).toEqual(general);
    expect(fast.events.map((e) => e.target)).toEqual(['C:\\ax', 'C:\\b']);
    expect(fast.continuations).toEqual([4]);
  });
});

describeCorpus('procmon-csv fast rows on the whole public exports', () => {
  for (const rel of ['public/procmon/CompressedLogFileUTC64ProcessCSV.csv', 'public/procmon/CompressedLogfileTests32bitUTCCSV.slice-24361-27860.csv']) {
    it(`gives the general reader's events for ${rel}`, () => {
      const { fast, general } = both(fileLines(corpusCapture(rel)));
      expect(fast.events.length).toBeGreaterThan(3000);
      expect(fast).toEqual(general);
    });
  }
});

// Column names the generator picks from: every column the importer reads by name, plus others.
const COLUMNS = [
  'Time of Day', 'Process Name', 'PID', 'Operation', 'Path', 'Result', 'Detail', 'Date & Time', 'Duration', 'Event Class',
  'TID', 'Parent PID', 'Image Path', 'Command Line', 'User', 'Integrity', 'Session', 'Architecture', 'Category',
  'Authentication ID', 'Sequence', 'Company',
];
const REQUIRED = ['Time of Day', 'Process Name', 'Operation'];

const tricky = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '""', '\n', '\r\n', 'é', '中', ':', '.', '1', 'n/a'), maxLength: 12 });
const often = <T,>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>): fc.Arbitrary<T> => fc.oneof({ weight: 5, arbitrary: usual }, { weight: 1, arbitrary: odd });

/** Values by column: mostly what Procmon writes, now and then what breaks readers. */
function valueFor(column: string): fc.Arbitrary<string> {
  switch (column) {
    case 'Time of Day':
      return often(
        fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 9_999_999 }), fc.constantFrom('AM', 'PM')).map(
          ([h, m, f, ap]) => `${h}:${String(m).padStart(2, '0')}:07.${String(f).padStart(7, '0')} ${ap}`,
        ),
        fc.constantFrom('12:00:00 AM', '13:00:00 PM', '23:59:60', '1:2:3', '9:05:07,5 am', '25:00:00', '7:37:26.6320951AM', 'noon', ''),
      );
    case 'Date & Time':
      return often(
        fc.constantFrom('7/11/2020 4:33:22 PM', '7/11/2020 4:33:23 PM', '31.07.2020 07:37:18', '2020-07-31 07:37:18'),
        fc.constantFrom('13/31/2020 1:00:00 AM', '7/11/20 4:33 PM', '2/30/2020 1:00:00 PM', '', '7/11/2020'),
      );
    case 'PID':
    case 'TID':
    case 'Parent PID':
      return often(fc.constantFrom('1320', '4', '3728', '0'), fc.constantFrom('12a', ' 7 ', '-3', '007', '', '1234567890123456789', '4294967296'));
    case 'Operation':
      return often(
        fc.constantFrom('RegQueryValue', 'Process Create', 'TCP Send', 'UDP Receive', 'Load Image', 'ReadFile', 'DeviceIoControl', 'Thread Profiling'),
        fc.constantFrom('', ' ', 'Reg"Odd"', 'a,b'),
      );
    case 'Duration':
      return often(fc.constantFrom('0.0000005', '1', '0.25'), fc.constantFrom('1.', '.5', ' 0.25 ', 'abc', ''));
    case 'Event Class':
      return often(fc.constantFrom('Registry', 'File System', 'Process', 'Network', 'Profiling'), fc.constantFrom(' Registry ', 'Bogus', ''));
    case 'Path':
      return often(fc.constantFrom('C:\\Windows\\x.dll', 'HKCR\\a', '10.0.0.1:502 -> 10.0.0.2:49152', '[::1]:80 -> [::1]:5000'), tricky);
    case 'Detail':
      return often(fc.constantFrom('Length: 144', 'PID: 42, Command line: "x.exe" -a', ''), tricky);
    case 'Result':
      return often(fc.constantFrom('SUCCESS', 'NAME NOT FOUND', ''), tricky);
    default:
      return often(fc.constantFrom('C:\\Windows\\Explorer.EXE', '"C:\\x.exe" -a', 'n/a', '', 'Medium', '32-bit', 'WIN\\test'), tricky);
  }
}

type Write = 'quoted' | 'bare' | 'trailing-text';
/** How a field is written: quoted with doubled quotes (Procmon), bare, or malformed on purpose. */
const writeArb = fc.oneof({ weight: 30, arbitrary: fc.constant<Write>('quoted') }, { weight: 3, arbitrary: fc.constant<Write>('bare') }, { weight: 1, arbitrary: fc.constant<Write>('trailing-text') });

function writeField(value: string, how: Write): string {
  const quoted = `"${value.replaceAll('"', '""')}"`;
  return how === 'bare' ? value : how === 'trailing-text' ? `${quoted}x` : quoted;
}

const exportArb = fc
  .record({
    extra: fc.shuffledSubarray(COLUMNS.filter((c) => !REQUIRED.includes(c))),
    order: fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
    dropTime: fc.boolean(),
  })
  .chain(({ extra, order, dropTime }) => {
    const names = [...(dropTime && extra.includes('Date & Time') ? REQUIRED.slice(1) : REQUIRED), ...extra];
    const header = names.map((n, i) => ({ n, k: order[i] ?? 0 })).sort((a, b) => a.k - b.k).map((x) => x.n);
    const row = fc.record({
      values: fc.tuple(...header.map(valueFor)),
      width: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1) }),
      writes: fc.array(writeArb, { minLength: header.length + 1, maxLength: header.length + 1 }),
      blankBefore: fc.constantFrom(false, false, false, false, false, true),
    });
    // Rows of few PIDs repeating their columns, as Procmon's do, so the repeat cache is exercised.
    const repeated = fc.array(row, { minLength: 1, maxLength: 12 }).chain((rows) => fc.array(fc.constantFrom(...rows), { minLength: 1, maxLength: 30 }));
    return fc.record({ header: fc.constant(header), rows: repeated });
  });

function render(e: { header: string[]; rows: { values: string[]; width: number; writes: Write[]; blankBefore: boolean }[] }): string {
  const lines = [e.header.map((h) => writeField(h, 'quoted')).join(',')];
  for (const r of e.rows) {
    if (r.blankBefore) lines.push('');
    const values = r.width < 0 ? r.values.slice(1) : r.width > 0 ? [...r.values, 'extra'] : r.values;
    lines.push(values.map((v, i) => writeField(v, r.writes[i] ?? 'quoted')).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

describe('procmon-csv fast rows: property', () => {
  it('report exactly what the general reader reports, for any export', () => {
    fc.assert(
      fc.property(exportArb, fc.constantFrom('UTC', 'Europe/Berlin'), (e, tz) => {
        const { fast, general } = both(textLines(render(e)), { tz });
        expect(fast).toEqual(general);
      }),
      { numRuns: 400 },
    );
  });

  it('the generator makes rows of every fate (events, rejects, continuations, skips)', () => {
    const totals = { events: 0, rejects: 0, continuations: 0, skips: 0 };
    fc.assert(
      fc.property(exportArb, (e) => {
        const { fast } = both(textLines(render(e)));
        totals.events += fast.events.length;
        totals.rejects += fast.rejects.length;
        totals.continuations += fast.continuations.length;
        totals.skips += fast.skips.length;
      }),
      { numRuns: 200, seed: 7 },
    );
    expect(totals.events).toBeGreaterThan(100);
    expect(totals.rejects).toBeGreaterThan(100);
    expect(totals.continuations).toBeGreaterThan(10);
    expect(totals.skips).toBeGreaterThan(200);
  });
});
