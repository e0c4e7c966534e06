// frida-trace importer on inline text: the public frida-trace samples carry no licence, so they stay
// in the corpus (frida-trace.test.ts) and the core suite uses this console log, laid out the way
// frida-trace prints one (preamble, /* TID */ markers, "N ms" lines, "|" nesting, handler lines).
import { describe, expect, it } from 'vitest';
import { detectFormat, makeDetectSample } from './registry.ts';
import { fridaTraceImporter } from './frida-trace.ts';
import { lineFates, runText } from '../testing/collecting-sink.ts';

const TRACE = [
  'Instrumenting...',
  'CreateFileW: Loaded handler at "/tmp/__handlers__/KERNELBASE.dll/CreateFileW.js"',
  'WriteFile: Loaded handler at "/tmp/__handlers__/KERNELBASE.dll/WriteFile.js"',
  'Started tracing 2 functions. Press Ctrl+C to stop.',
  '           /* TID 0x1a2c */',
  '   120 ms  CreateFileW()',
  '   120 ms  lpFileName:C:\\Recipes\\line2.rcp',
  '   121 ms     | NtCreateFile()',
  '   121 ms     | ret:0x0',
  '   122 ms  ret:0x2c8',
  '           /* TID 0x1b00 */',
  '   340 ms  0x1b00 WriteFile()',
  '   345 ms  0x1b00 ret:0x1',
  'Process terminated',
].join('\n');

const START = Date.parse('2024-05-01T10:00:00.000Z') * 1000;

describe('frida-trace importer on an inline console log', () => {
  it('makes one api event per call line and accounts for every line once', () => {
    const run = runText(fridaTraceImporter, TRACE, { startUs: START });
    expect(run.rejects).toEqual([]);
    expect(run.events.map((e) => [e.source_line, e.op])).toEqual([
      [6, 'CreateFileW'],
      [8, 'NtCreateFile'],
      [12, 'WriteFile'],
    ]);
    const fate = lineFates(run);
    for (let n = 1; n <= run.lines.length; n++) expect(fate.get(n)?.length, `line ${n}`).toBe(1);
  });

  it('times calls from --start, folds handler lines into args and ret, and keeps the thread', () => {
    const run = runText(fridaTraceImporter, TRACE, { startUs: START });
    const at = (n: number) => run.events.find((e) => e.source_line === n);
    expect(at(6)).toMatchObject({ ts_us: START + 120_000, tid: 0x1a2c, kind: 'api', category: 'file', args: 'lpFileName:C:\\Recipes\\line2.rcp', ret: '0x2c8', dur_us: 2000 });
    expect(at(8)).toMatchObject({ ts_us: START + 121_000, tid: 0x1a2c, ret: '0x0' });
    expect(at(12)).toMatchObject({ ts_us: START + 340_000, tid: 0x1b00, category: 'file', ret: '0x1', dur_us: 5000 });
  });

  it('is detected from content', () => {
    const d = detectFormat(makeDetectSample('trace.txt', new TextEncoder().encode(TRACE)));
    expect(d.status === 'found' ? d.importer.format : d.status).toBe('frida-trace');
  });
});
