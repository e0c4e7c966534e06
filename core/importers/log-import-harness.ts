// Test support for the log importers: feeds text to a TextImporter the way the ingest layer
// does (split on "\n", a trailing "\r" removed, lines numbered from 1) and collects what the
// sink receives, so tests can check that every line is accounted for.
import { readFileSync } from 'node:fs';
import type { CanonicalEvent } from '../model/event.ts';
import type { ImportContext, TextImporter } from './types.ts';

export interface HarnessResult {
  lines: number;
  events: CanonicalEvent[];
  rejects: { line: number; reason: string; raw: string }[];
  continuations: number[];
  skips: number[];
  warnings: string[];
}

export function testContext(over: Partial<ImportContext> = {}): ImportContext {
  return { fileName: 'test.log', date: '2026-11-26', dateBasis: 'user', tz: 'UTC', host: null, startUs: null, map: {}, ...over };
}

export function runText(importer: TextImporter, text: string, over: Partial<ImportContext> = {}): HarnessResult {
  const out: HarnessResult = { lines: 0, events: [], rejects: [], continuations: [], skips: [], warnings: [] };
  const parser = importer.open(testContext(over), {
    event: (e) => void out.events.push(e),
    reject: (line, reason, raw) => void out.rejects.push({ line, reason, raw }),
    continuation: (line) => void out.continuations.push(line),
    skip: (line) => void out.skips.push(line),
    warn: (m) => void out.warnings.push(m),
    usedDate: () => undefined,
  });
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((l, i) => parser.line(l.endsWith('\r') ? l.slice(0, -1) : l, i + 1));
  parser.end();
  out.lines = lines.length;
  return out;
}

export function runFile(importer: TextImporter, path: string, over: Partial<ImportContext> = {}): HarnessResult {
  return runText(importer, readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), over);
}

/** Every line ended as exactly one of event / continuation / skip / reject. */
export function accountedLines(r: HarnessResult): number {
  return r.events.length + r.continuations.length + r.skips.length + r.rejects.length;
}
