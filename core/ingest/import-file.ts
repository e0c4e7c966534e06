// Imports one capture file into a case: detect the format from content, stream the file once
// (hashing the same bytes that are parsed), hand lines or bytes to the pure importer, and write
// everything in one transaction. The source is opened read-only and never changed.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { detectFormat, importerByFormat, makeDetectSample, SAMPLE_BYTES } from '../importers/registry.ts';
import type { ByteSource, ImportContext, ImportSink, Importer } from '../importers/types.ts';
import { CaptureWriter, type CaptureSummary } from '../store/capture-writer.ts';
import type { CaseStore } from '../store/case-store.ts';
import { sniffEncoding } from '../util/encoding.ts';
import { dateToUtcUs, isValidZone, usToIso } from '../util/time.ts';
import { LineSplitter } from './line-splitter.ts';

export interface ImportOptions {
  /** Importer name; detected from content when absent. */
  format?: string;
  /** "YYYY-MM-DD" for time-of-day-only sources. Default: the file's modification date (UTC). */
  date?: string;
  tz?: string;
  host?: string;
  /** Anchor (ISO 8601) for sources with relative times. */
  start?: string;
  map?: Record<string, string>;
  /** Name stored for the capture (default: the file's base name). */
  displayName?: string;
}

export interface ImportProgress {
  fileName: string;
  bytesDone: number;
  bytesTotal: number;
  events: number;
  rejected: number;
}

export interface ImportHooks {
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
}

/** An error the analyst can act on: names the file and, where known, the line. */
export class ImportError extends Error {
  constructor(
    readonly fileName: string,
    message: string,
    readonly line?: number,
  ) {
    super(`${fileName}${line !== undefined ? `:${line}` : ''}: ${message}`);
    this.name = 'ImportError';
  }
}

export class AmbiguousFormatError extends ImportError {
  constructor(
    fileName: string,
    readonly candidates: { format: string; confidence: number }[],
  ) {
    super(
      fileName,
      `the content fits several formats: ${candidates
        .map((c) => `${c.format} (${c.confidence.toFixed(2)})`)
        .join(', ')}; choose one with --format`,
    );
  }
}

const CHUNK_BYTES = 256 * 1024;

export async function readHead(path: string): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SAMPLE_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Chooses the importer: the named one, or the single best content match. */
export async function chooseImporter(path: string, format?: string, displayName?: string): Promise<Importer> {
  const fileName = displayName ?? basename(path);
  if (format) {
    const imp = importerByFormat(format);
    if (!imp) throw new ImportError(fileName, `unknown format "${format}" (see: tracebench formats)`);
    return imp;
  }
  const detection = detectFormat(makeDetectSample(fileName, await readHead(path)));
  if (detection.status === 'found') return detection.importer;
  if (detection.status === 'ambiguous') throw new AmbiguousFormatError(fileName, detection.candidates);
  throw new ImportError(fileName, 'format not recognised from its content; name it with --format (see: tracebench formats)');
}

export async function importFile(
  store: CaseStore,
  path: string,
  options: ImportOptions = {},
  hooks: ImportHooks = {},
): Promise<CaptureSummary> {
  const fileName = options.displayName ?? basename(path);
  const info = await stat(path).catch(() => {
    throw new ImportError(fileName, `cannot read ${path}`);
  });
  if (!info.isFile()) throw new ImportError(fileName, `${path} is not a file`);
  const importer = await chooseImporter(path, options.format, fileName);
  const ctx = buildContext(fileName, options, info.mtimeMs);
  const warnings: string[] = [];

  const writer = await CaptureWriter.begin(store, {
    fileName,
    filePath: path,
    format: importer.format,
    importerVersion: `${importer.format}@${importer.version}`,
    host: options.host ?? null,
    dateBasis: null,
    tz: ctx.tz,
  });
  let continuationLines = 0;
  let skippedLines = 0;
  let usedDate = false;
  const sink: ImportSink = {
    event: (e) => writer.addEvent(e),
    reject: (line, reason, raw) => writer.addReject(line, reason, raw),
    continuation: () => void continuationLines++,
    skip: () => void skippedLines++,
    warn: (m) => void warnings.push(m),
    usedDate: () => void (usedDate = true),
  };
  const progress = (bytesDone: number): void =>
    hooks.onProgress?.({
      fileName,
      bytesDone,
      bytesTotal: info.size,
      events: writer.eventCount,
      rejected: writer.rejectCount,
    });

  try {
    const sha256 =
      importer.mode === 'text'
        ? await streamText(path, importer.open(ctx, sink), sink, progress, hooks.signal)
        : await parseBinary(path, info.size, importer, ctx, sink, progress, hooks.signal);
    let dateBasis: string | null = null;
    if (usedDate) {
      dateBasis = `${ctx.date} (${ctx.dateBasis})`;
      // Importers usually say themselves which date they assumed; say it once if one did not.
      if (ctx.dateBasis !== 'user' && !warnings.some((w) => w.includes(ctx.date))) {
        warnings.push(`times in this capture carry no date; assumed ${dateBasis}. Re-import with --date if that is wrong.`);
      }
    }
    return await writer.commit({ sha256, sizeBytes: info.size, continuationLines, skippedLines, warnings, dateBasis });
  } catch (err) {
    await writer.abort();
    if (err instanceof ImportError || isAbort(err)) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new ImportError(fileName, message);
  }
}

function buildContext(fileName: string, options: ImportOptions, mtimeMs: number): ImportContext {
  if (options.date !== undefined && dateToUtcUs(options.date) === null) {
    throw new ImportError(fileName, `--date must be YYYY-MM-DD, got "${options.date}"`);
  }
  const tz = options.tz ?? 'UTC';
  if (!isValidZone(tz)) throw new ImportError(fileName, `unknown time zone "${tz}"`);
  let startUs: number | null = null;
  if (options.start !== undefined) {
    const parsed = Date.parse(options.start);
    if (Number.isNaN(parsed)) throw new ImportError(fileName, `--start must be an ISO 8601 time, got "${options.start}"`);
    startUs = parsed * 1000;
  }
  return {
    fileName,
    date: options.date ?? usToIso(mtimeMs * 1000).slice(0, 10),
    dateBasis: options.date !== undefined ? 'user' : 'file modification date',
    tz,
    host: options.host ?? null,
    startUs,
    map: options.map ?? {},
  };
}

async function streamText(
  path: string,
  parser: { line(text: string, n: number): void; end(): void },
  sink: ImportSink,
  progress: (bytes: number) => void,
  signal: AbortSignal | undefined,
): Promise<string> {
  const hash = createHash('sha256');
  const head = await readHead(path);
  const { encoding, bomLength } = sniffEncoding(head);
  const decoder = new TextDecoder(encoding, { fatal: false });
  const splitter = new LineSplitter({
    line: (text, n) => parser.line(text, n),
    overlong: (n, headText, length) => sink.reject(n, `line too long (${length} characters)`, headText),
  });
  let done = 0;
  let first = true;
  const stream = createReadStream(path, { flags: 'r', highWaterMark: CHUNK_BYTES });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (signal?.aborted) {
      stream.destroy();
      throw abortError();
    }
    hash.update(chunk);
    const body = first ? chunk.subarray(bomLength) : chunk;
    first = false;
    splitter.push(decoder.decode(body, { stream: true }));
    done += chunk.length;
    progress(done);
  }
  splitter.push(decoder.decode());
  splitter.end();
  parser.end();
  return hash.digest('hex');
}

async function parseBinary(
  path: string,
  size: number,
  importer: Extract<Importer, { mode: 'binary' }>,
  ctx: ImportContext,
  sink: ImportSink,
  progress: (bytes: number) => void,
  signal: AbortSignal | undefined,
): Promise<string> {
  const fh = await open(path, 'r');
  try {
    let furthest = 0;
    const source: ByteSource = {
      size,
      async read(offset, length) {
        if (signal?.aborted) throw abortError();
        const len = Math.max(0, Math.min(length, size - offset));
        const buf = Buffer.alloc(len);
        const { bytesRead } = await fh.read(buf, 0, len, offset);
        if (offset + bytesRead > furthest) {
          furthest = offset + bytesRead;
          progress(furthest);
        }
        return buf.subarray(0, bytesRead);
      },
    };
    await importer.parse(source, ctx, sink);
    // Binary parsers read out of order, so the hash is a separate sequential pass.
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path, { flags: 'r', highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
    }
    progress(size);
    return hash.digest('hex');
  } finally {
    await fh.close();
  }
}

function abortError(): Error {
  const e = new Error('import cancelled');
  e.name = 'AbortError';
  return e;
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}
