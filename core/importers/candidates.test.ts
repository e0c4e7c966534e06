// What the analyst is offered when content detection does not settle a file's format.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/corpus.ts';
import { closestFormats, forceFormatHint, GENERIC_FORMATS, previewLines, rankFormats, undetectedReason } from './candidates.ts';
import { detectFormat, IMPORTERS, makeDetectSample } from './registry.ts';

const sampleOf = (name: string, bytes: Uint8Array) => makeDetectSample(name, bytes);
const textSample = (text: string) => sampleOf('x.log', new TextEncoder().encode(text));
const stackTraces = () => sampleOf('flowview-stacktraces.log', readFileSync(fixture('logs/flowview-stacktraces.log')));

describe('format candidates', () => {
  it('ranks every importer once, best first, generic readers marked', () => {
    const ranked = rankFormats(stackTraces());
    expect(ranked.map((c) => c.format).sort()).toEqual(IMPORTERS.map((i) => i.format).sort());
    for (let i = 1; i < ranked.length; i++) expect(ranked[i - 1]!.confidence).toBeGreaterThanOrEqual(ranked[i]!.confidence);
    expect(ranked.filter((c) => c.generic).map((c) => c.format).sort()).toEqual([...GENERIC_FORMATS].sort());
  });

  it('a log that is mostly stack traces is not recognised, and the text-log reader is named closest with its confidence', () => {
    const sample = stackTraces();
    const detection = detectFormat(sample);
    expect(detection.status).toBe('unknown');
    if (detection.status === 'found') return;
    expect(closestFormats(sample).map((c) => [c.format, c.confidence])).toEqual([['textlog', 0.25]]);
    expect(undetectedReason(detection, sample)).toBe('format not recognised from its content: the closest formats were textlog (0.25), below the 0.30 needed');
    expect(forceFormatHint(sample)).toMatch(/^force one with --format NAME \(e\.g\. --format textlog; the generic readers are --format csv, --format jsonl, --format textlog/);
  });

  it('says plainly when no importer recognises any of the content', () => {
    const sample = textSample('26/11/2026 06:14:17 ALARM HIGH LEVEL tank T-100\n26/11/2026 06:14:18 INFO pump P-101 running\n');
    const detection = detectFormat(sample);
    expect(detection.status).toBe('unknown');
    if (detection.status === 'found') return;
    expect(closestFormats(sample)).toEqual([]);
    expect(undetectedReason(detection, sample)).toMatch(/no importer recognises any of its content/);
  });

  it('names the tied formats of an ambiguous file', () => {
    const sample = textSample('a');
    const reason = undetectedReason({ status: 'ambiguous', candidates: [{ format: 'csv', confidence: 0.5 }, { format: 'tshark-csv', confidence: 0.45 }] }, sample);
    expect(reason).toBe('the content fits several formats equally well: csv (0.50), tshark-csv (0.45)');
  });
});

describe('preview', () => {
  it('shows the first text lines, clipped, with control characters other than tab made visible', () => {
    const lines = previewLines(textSample(`first\tline\u0007\n${'x'.repeat(300)}\n` + 'more\n'.repeat(20)));
    expect(lines).toHaveLength(12);
    expect(lines[0]).toBe('first\tline·'); // tabs stay: they separate TSV columns
    expect(lines[1]).toBe(`${'x'.repeat(200)}…`);
  });

  it('shows a binary file as a hex dump', () => {
    const bytes = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, ...new TextEncoder().encode('This program')]);
    const [first] = previewLines(sampleOf('x.bin', bytes));
    expect(first).toBe('00000000  4d 5a 90 00 03 54 68 69 73 20 70 72 6f 67 72 61  MZ···This progra');
  });
});
