// Line endings read from the content: CR-only files (classic Mac OS) split into lines, LF and CRLF
// as before, and a lone CR inside a CRLF file (a quoted CSV field) stays data.
import { statSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CollectingSink, testContext } from '../testing/collecting-sink.ts';
import { tempDir } from '../testing/temp.ts';
import { delimitedImporter } from '../importers/delimited.ts';
import { detectFormat, makeDetectSample } from '../importers/registry.ts';
import { DETECT_WINDOW, detectLineEnding, splitLinesByEnding } from '../util/line-ending.ts';
import { LineSplitter } from './line-splitter.ts';
import { parseSource } from './parse-source.ts';
import { cutAt } from '../testing/cut-text.ts';

/** Lines as the splitter hands them over, the text fed in the given chunks. */
function splitChunks(chunks: string[]): string[] {
  const lines: string[] = [];
  let misnumbered = 0;
  const splitter = new LineSplitter({
    line: (text, n) => {
      if (n !== lines.length + 1) misnumbered++;
      lines.push(text);
    },
    overlong: () => {
      throw new Error('no line here is over-long');
    },
  });
  for (const c of chunks) splitter.push(c);
  splitter.end();
  expect(misnumbered).toBe(0);
  return lines;
}

/** `text` cut at the given fractions of its length. */
function cut(text: string, points: number[]): string[] {
  return cutAt(text, points.map((p) => Math.floor(p * text.length)));
}

describe('detectLineEnding', () => {
  it('says CR only for text with a CR and no LF in its first 64 Ki characters', () => {
    expect(detectLineEnding('a\rb\rc', true)).toBe('cr');
    expect(detectLineEnding('a\r\nb', true)).toBe('lf');
    expect(detectLineEnding('a\rb\nc', true)).toBe('lf'); // a lone CR before the first LF is data
    expect(detectLineEnding('abc', true)).toBe('lf');
    expect(detectLineEnding('a\rb', false)).toBeNull(); // more may come
    expect(detectLineEnding(`${'x\r'.repeat(DETECT_WINDOW)}\n`, false)).toBe('cr');
  });

  it('splits a detection sample by its own ending', () => {
    expect(splitLinesByEnding('a\rb\r\rc')).toEqual(['a', 'b', '', 'c']);
    expect(splitLinesByEnding('a\r\nb\rc\n')).toEqual(['a', 'b\rc', '']);
    const sample = makeDetectSample('old-mac.csv', new TextEncoder().encode('time_utc,tag,value\r2026-11-26T06:13:22Z,FIC101,5\r'));
    expect(sample.lines).toEqual(['time_utc,tag,value', '2026-11-26T06:13:22Z,FIC101,5', '']);
  });
});

describe('LineSplitter line endings', () => {
  const lineText = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', 'é', '\t', 'x'), maxLength: 30 });

  it('gives the same lines for the LF, CRLF and CR versions of a text, however it is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(lineText, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        (lines, trailingBreak, points) => {
          const expected = trailingBreak || lines.at(-1) !== '' ? lines : lines.slice(0, -1);
          for (const eol of ['\n', '\r\n', '\r']) {
            const text = lines.join(eol) + (trailingBreak ? eol : '');
            expect(splitChunks(cut(text, points))).toEqual(expected);
          }
        },
      ),
    );
  });

  it('decides after 64 Ki characters without an LF, and keeps splitting a long CR-only file', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `row ${i},value ${i * 7}`);
    const text = lines.join('\r');
    expect(text.length).toBeGreaterThan(4 * DETECT_WINDOW);
    expect(splitChunks(cut(text, [0.1, 0.2, 0.5, 0.9]))).toEqual(lines);
  });

  it('once a file is CR-only, takes a CRLF (even split across two chunks) as one break', () => {
    const head = Array.from({ length: DETECT_WINDOW / 8 }, (_, i) => `r${String(i).padStart(6, '0')}`);
    expect(splitChunks([head.join('\r'), '\ra\rb\r', '\nc\r\nd\ne'])).toEqual([...head, 'a', 'b', 'c', 'd', 'e']);
  });

  it('keeps a lone CR inside a line of an LF or CRLF file', () => {
    expect(splitChunks(['h1,h2\r\n1,"one\rtwo"\r\n', '2,x\r\n'])).toEqual(['h1,h2', '1,"one\rtwo"', '2,x']);
    expect(splitChunks(['progress 10%\r20%\r100%\ndone\n'])).toEqual(['progress 10%\r20%\r100%', 'done']);
  });
});

describe('import of CR-only, CRLF and LF files', () => {
  const dir = tempDir('tracebench-eol-');
  afterAll(() => dir.remove());

  async function importText(name: string, text: string): Promise<CollectingSink['collected']> {
    const path = dir.file(name);
    writeFileSync(path, text);
    const detection = detectFormat(makeDetectSample(name, new TextEncoder().encode(text)));
    expect(detection.status === 'found' && detection.importer.format).toBe('csv');
    const sink = new CollectingSink();
    await parseSource(path, statSync(path).size, delimitedImporter, testContext({ fileName: name }), sink, {
      progress: () => undefined,
      pause: async () => undefined,
      aborted: () => false,
    });
    return sink.collected;
  }

  const rows = ['time_utc,tag,value,note', '2026-11-26T06:13:22.630Z,FIC101,5,"ok"', '2026-11-26T06:13:23.630Z,FIC101,6,"high"', '2026-11-26T06:13:24.630Z,LIC200,7,"low"'];

  it('imports one event per row whatever the line ending', async () => {
    const byEnding = await Promise.all(['\n', '\r\n', '\r'].map((eol, i) => importText(`rows-${i}.csv`, rows.join(eol) + eol)));
    for (const got of byEnding) {
      expect(got.rejects).toEqual([]);
      expect(got.events.map((e) => e.source_line)).toEqual([2, 3, 4]);
    }
    expect(byEnding[2]?.events).toEqual(byEnding[0]?.events);
    expect(byEnding[1]?.events).toEqual(byEnding[0]?.events);
  });

  it('keeps a CR inside a quoted field of a CRLF file as data, as before', async () => {
    const withCr = [...rows.slice(0, 2), '2026-11-26T06:13:23.630Z,FIC101,6,"first\rsecond"', rows[3] ?? ''];
    const got = await importText('cr-in-field.csv', withCr.join('\r\n') + '\r\n');
    expect(got.rejects).toEqual([]);
    expect(got.events.map((e) => e.source_line)).toEqual([2, 3, 4]);
    expect(JSON.stringify(got.events[1])).toContain('first\\rsecond');
  });
});
