// Test support for the trace importers: runs a text importer over lines in memory and records
// what the sink received, so tests can check every line's fate.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CanonicalEvent } from '../model/event.ts';
import type { ImportContext, TextImporter } from './types.ts';

export interface ImportRun {
  events: CanonicalEvent[];
  rejects: { line: number; reason: string; raw: string }[];
  continuations: number[];
  skips: number[];
  warnings: string[];
}

export function context(overrides: Partial<ImportContext> = {}): ImportContext {
  return { fileName: 'trace.log', date: '2026-11-26', dateBasis: 'user', tz: 'UTC', host: null, startUs: null, map: {}, ...overrides };
}

export function runLines(importer: TextImporter, lines: string[], ctx: ImportContext = context()): ImportRun {
  const run: ImportRun = { events: [], rejects: [], continuations: [], skips: [], warnings: [] };
  const parser = importer.open(ctx, {
    event: (e) => void run.events.push(e),
    reject: (line, reason, raw) => void run.rejects.push({ line, reason, raw }),
    continuation: (line) => void run.continuations.push(line),
    skip: (line) => void run.skips.push(line),
    warn: (m) => void run.warnings.push(m),
    usedDate: () => undefined,
  });
  lines.forEach((l, i) => parser.line(l, i + 1));
  parser.end();
  return run;
}

/** The lines of a file as the ingest layer hands them over (no trailing empty line). */
export function fileLines(path: string): string[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

export function runFile(importer: TextImporter, path: string, overrides: Partial<ImportContext> = {}): ImportRun & { lines: string[] } {
  const lines = fileLines(path);
  return { ...runLines(importer, lines, context({ fileName: basename(path), ...overrides })), lines };
}

/** Line numbers that appear as an event's source line, a continuation, a skip or a reject. */
export function accountedLines(run: ImportRun): Map<number, string[]> {
  const fate = new Map<number, string[]>();
  const add = (n: number, what: string): void => {
    const list = fate.get(n);
    if (list) list.push(what);
    else fate.set(n, [what]);
  };
  for (const n of new Set(run.events.map((e) => e.source_line))) add(n, 'event');
  for (const n of run.continuations) add(n, 'continuation');
  for (const n of run.skips) add(n, 'skip');
  for (const r of run.rejects) add(r.line, 'reject');
  return fate;
}
