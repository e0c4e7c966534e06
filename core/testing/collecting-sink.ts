// Test support for the importers: one ImportSink that records everything an importer reports,
// and runners that feed a text importer lines the way the ingest layer does (BOM removed, split
// on "\n", a trailing "\r" removed, no trailing empty line, numbered from 1) or hand a binary
// importer bytes. Tests read as "import this, expect that". Tests only; never imported by
// production code.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CanonicalEvent } from '../model/event.ts';
import type { BinaryImporter, ByteSource, ImportContext, ImportSink, TextImporter } from '../importers/types.ts';

export interface Reject {
  line: number;
  reason: string;
  raw: string;
}

/** Everything a sink received, in the order received per kind. */
export interface Collected {
  events: CanonicalEvent[];
  rejects: Reject[];
  continuations: number[];
  skips: number[];
  warnings: string[];
  /** Whether the importer called usedDate() (completed a time with ctx.date). */
  usedDate: boolean;
  /** Whether the importer called usedStart() (anchored relative times at a start). */
  usedStart: boolean;
}

/** A text run also returns the lines it fed (index 0 = line 1), for checks against the source. */
export interface TextRun extends Collected {
  lines: string[];
}

/** An ImportSink that records what it receives in `collected`. */
export class CollectingSink implements ImportSink {
  readonly collected: Collected = { events: [], rejects: [], continuations: [], skips: [], warnings: [], usedDate: false, usedStart: false };

  event(event: CanonicalEvent): void {
    this.collected.events.push(event);
  }
  reject(line: number, reason: string, raw: string): void {
    this.collected.rejects.push({ line, reason, raw });
  }
  continuation(line: number): void {
    this.collected.continuations.push(line);
  }
  skip(line: number): void {
    this.collected.skips.push(line);
  }
  warn(message: string): void {
    this.collected.warnings.push(message);
  }
  usedDate(): void {
    this.collected.usedDate = true;
  }
  usedStart(): void {
    this.collected.usedStart = true;
  }
}

/** The context the ingest would give, with the analyst's options overridable per test. */
export function testContext(overrides: Partial<ImportContext> = {}): ImportContext {
  return { fileName: 'test.log', date: '2026-11-26', dateBasis: 'user', tz: 'UTC', host: null, startUs: null, fileModifiedUs: Date.parse('2026-11-26T12:00:00Z') * 1000, map: {}, ...overrides };
}

/** Text split into lines as the ingest layer hands them over. */
export function textLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** A file's lines as the ingest layer hands them over. */
export function fileLines(path: string): string[] {
  return textLines(readFileSync(path, 'utf8'));
}

/** Feeds `lines` as given, numbered from 1, then calls end(). */
export function runLines(importer: TextImporter, lines: string[], overrides: Partial<ImportContext> = {}): TextRun {
  const sink = new CollectingSink();
  const parser = importer.open(testContext(overrides), sink);
  lines.forEach((l, i) => parser.line(l, i + 1));
  parser.end();
  return { ...sink.collected, lines };
}

export function runText(importer: TextImporter, text: string, overrides: Partial<ImportContext> = {}): TextRun {
  return runLines(importer, textLines(text), overrides);
}

/** Imports a file's lines; ctx.fileName is the file's base name unless overridden. */
export function runFile(importer: TextImporter, path: string, overrides: Partial<ImportContext> = {}): TextRun {
  return runLines(importer, fileLines(path), { fileName: basename(path), ...overrides });
}

/** Bytes in memory as a ByteSource. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)) };
}

export async function runBinary(importer: BinaryImporter, input: Uint8Array | ByteSource, overrides: Partial<ImportContext> = {}): Promise<Collected> {
  const sink = new CollectingSink();
  await importer.parse(input instanceof Uint8Array ? bytesSource(input) : input, testContext(overrides), sink);
  return sink.collected;
}

/** Events + rejects + continuations + skips: equals the line count when nothing vanished. */
export function accounted(run: Collected): number {
  return run.events.length + run.rejects.length + run.continuations.length + run.skips.length;
}

/** Line number → what it became ("event", "continuation", "skip", "reject"); each should have one. */
export function lineFates(run: Collected): Map<number, string[]> {
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

/** Rejects as { line, reason } only, for tests that compare whole rejects without the raw text. */
export function rejectReasons(run: Collected): { line: number; reason: string }[] {
  return run.rejects.map(({ line, reason }) => ({ line, reason }));
}
