// Test support for the Windows-event importers: runs an importer over a file or inline text and
// collects what it reports, so tests read as "import this, expect that".
import { readFileSync } from 'node:fs';
import type { CanonicalEvent } from '../../model/event.ts';
import type { BinaryImporter, ImportContext, ImportSink, TextImporter } from '../types.ts';

export interface Collected {
  events: CanonicalEvent[];
  rejects: { line: number; reason: string; raw: string }[];
  continuations: number[];
  skips: number[];
  warnings: string[];
}

export function testContext(overrides: Partial<ImportContext> = {}): ImportContext {
  return { fileName: 'test', date: '2020-01-01', dateBasis: 'user', tz: 'UTC', host: null, startUs: null, map: {}, ...overrides };
}

function collector(): { sink: ImportSink; out: Collected } {
  const out: Collected = { events: [], rejects: [], continuations: [], skips: [], warnings: [] };
  const sink: ImportSink = {
    event: (e) => void out.events.push(e),
    reject: (line, reason, raw) => void out.rejects.push({ line, reason, raw }),
    continuation: (n) => void out.continuations.push(n),
    skip: (n) => void out.skips.push(n),
    warn: (m) => void out.warnings.push(m),
    usedDate: () => undefined,
  };
  return { sink, out };
}

export async function runBinary(importer: BinaryImporter, bytes: Uint8Array, ctx = testContext()): Promise<Collected> {
  const { sink, out } = collector();
  await importer.parse({ size: bytes.length, read: async (o, l) => bytes.subarray(o, Math.min(bytes.length, o + l)) }, ctx, sink);
  return out;
}

/** Splits like the ingest layer (CRLF or LF) and feeds lines numbered from 1. */
export function runText(importer: TextImporter, text: string, ctx = testContext()): Collected {
  const { sink, out } = collector();
  const parser = importer.open(ctx, sink);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((l, i) => parser.line(l, i + 1));
  parser.end();
  return out;
}

export function runTextFile(importer: TextImporter, path: string, ctx = testContext()): Collected {
  return runText(importer, readFileSync(path, 'utf8'), ctx);
}
