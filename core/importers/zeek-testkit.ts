// Test support for the network/ICS importers (zeek, tshark, ics-probe-csv tests): runs a text
// importer over a real capture or an inline fixture the way core/ingest does (lines numbered
// from 1, CR stripped) and collects everything the sink receives. Tests only; never imported
// by production code.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CanonicalEvent } from '../model/event.ts';
import type { ImportContext, TextImporter } from './types.ts';

export interface ImportRun {
  events: CanonicalEvent[];
  rejects: { line: number; reason: string; raw: string }[];
  continuations: number;
  skips: number;
  warnings: string[];
  /** Number of input lines, for the "every line accounted for" check. */
  lines: number;
  /** The input lines (index 0 = line 1), for spot checks against the source. */
  text: string[];
}

export function testContext(overrides: Partial<ImportContext> = {}): ImportContext {
  return { fileName: 'fixture.log', date: '2026-11-26', dateBasis: 'user', tz: 'UTC', host: null, startUs: null, map: {}, ...overrides };
}

export function runText(importer: TextImporter, content: string, overrides: Partial<ImportContext> = {}): ImportRun {
  const text = content.split('\n');
  if (text.at(-1) === '') text.pop();
  const run: ImportRun = { events: [], rejects: [], continuations: 0, skips: 0, warnings: [], lines: text.length, text };
  const parser = importer.open(testContext(overrides), {
    event: (e) => run.events.push(e),
    reject: (line, reason, raw) => run.rejects.push({ line, reason, raw }),
    continuation: () => void run.continuations++,
    skip: () => void run.skips++,
    warn: (m) => void run.warnings.push(m),
    usedDate: () => undefined,
  });
  text.forEach((line, i) => {
    text[i] = line.endsWith('\r') ? line.slice(0, -1) : line;
    parser.line(text[i] ?? '', i + 1);
  });
  parser.end();
  return run;
}

export function runFile(importer: TextImporter, path: string, overrides: Partial<ImportContext> = {}): ImportRun {
  return runText(importer, readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), { fileName: basename(path), ...overrides });
}

/** Events + rejects + continuations + skips: equals the line count when nothing vanished. */
export function accounted(run: ImportRun): number {
  return run.events.length + run.rejects.length + run.continuations + run.skips;
}

/** "1693979103.320536" → µs by string arithmetic, independent of the importers' parsing. */
export function epochTextToUs(text: string): number {
  const [sec, frac = ''] = text.split('.');
  return Number(sec) * 1_000_000 + Number(frac.padEnd(6, '0').slice(0, 6));
}
