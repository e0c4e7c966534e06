// Imports one capture file into a case: detect the format from content, parse it in a worker
// thread (which streams the file once, hashing the same bytes it parses), and write everything
// in one transaction on this thread. The source is opened read-only and never changed.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { closestFormats, forceFormatHint, undetectedReason, type FormatCandidate } from '../importers/candidates.ts';
import { detectFormat, importerByFormat, makeDetectSample, SAMPLE_BYTES } from '../importers/registry.ts';
import type { ImportContext, Importer } from '../importers/types.ts';
import { recordOfferedFile } from '../store/offered-files.ts';
import { CaptureWriter, type CaptureSummary } from '../store/capture-writer.ts';
import type { CaseStore } from '../store/case-store.ts';
import { dateBasisOf, startBasisOf } from '../model/date-basis.ts';
import { dateToUtcUs, isValidZone, usToIso } from '../util/time.ts';
import { OFFERED_HASH_LIMIT, sha256OfFile } from './hash-file.ts';
import { startParse, type ParseTally, type StartedParse } from './parse-in-worker.ts';
import { abortError } from './parse-source.ts';
import { readHead } from './read-head.ts';

/** The basis recorded when relative times are anchored at the file's modification time. */
export const START_DEFAULT_BASIS = 'file modification time';

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
    /** The message without the file name and line. */
    readonly detail: string,
    readonly line?: number,
  ) {
    super(`${fileName}${line !== undefined ? `:${line}` : ''}: ${detail}`);
    this.name = 'ImportError';
  }
}

export class AmbiguousFormatError extends ImportError {
  constructor(
    fileName: string,
    readonly candidates: { format: string; confidence: number }[],
    hint = 'choose one with --format',
  ) {
    super(
      fileName,
      `the content fits several formats: ${candidates
        .map((c) => `${c.format} (${c.confidence.toFixed(2)})`)
        .join(', ')}; ${hint}`,
    );
  }
}

/** No importer recognised the file: names the closest formats and how to force one. */
export class UnrecognisedFormatError extends ImportError {
  constructor(
    fileName: string,
    readonly closest: FormatCandidate[],
    reason: string,
    hint: string,
  ) {
    super(fileName, `${reason}; ${hint}`);
  }
}

/** The first bytes of a file, as much as format detection looks at. */
export function readDetectionHead(path: string): Promise<Uint8Array> {
  return readHead(path, SAMPLE_BYTES);
}

/** Chooses the importer: the named one, or the single best content match. */
export async function chooseImporter(path: string, format?: string, displayName?: string): Promise<Importer> {
  const fileName = displayName ?? basename(path);
  if (format) {
    const imp = importerByFormat(format);
    if (!imp) throw new ImportError(fileName, `unknown format "${format}" (see: tracebench formats)`);
    return imp;
  }
  const sample = makeDetectSample(fileName, await readDetectionHead(path));
  const detection = detectFormat(sample);
  if (detection.status === 'found') return detection.importer;
  if (detection.status === 'ambiguous') throw new AmbiguousFormatError(fileName, detection.candidates, forceFormatHint(sample));
  throw new UnrecognisedFormatError(fileName, closestFormats(sample), undetectedReason(detection, sample), forceFormatHint(sample));
}

/**
 * Records a file that was offered but did not become a capture, with its SHA-256 when it is
 * small enough to read at once. Never throws: the import's own error is what the caller reports.
 */
export async function recordNotImported(store: CaseStore, path: string, fileName: string, sizeBytes: number, reason: string): Promise<void> {
  try {
    const sha256 = sizeBytes <= OFFERED_HASH_LIMIT ? await sha256OfFile(path).catch(() => null) : null;
    await recordOfferedFile(store, { file_name: fileName, file_path: path, size_bytes: sizeBytes, sha256, reason });
  } catch {
    // A case that cannot take the record (closed meanwhile) still reports the import error.
  }
}

export async function importFile(
  store: CaseStore,
  path: string,
  options: ImportOptions = {},
  hooks: ImportHooks = {},
): Promise<CaptureSummary> {
  return writePrepared(store, prepareImport(path, options, hooks));
}

/**
 * An import whose parse has started (the file is being read, hashed and parsed in its worker) but
 * which is not written yet: several can parse at once while their captures are written one after
 * another (import-pipeline.ts). Errors so far surface from writePrepared.
 */
export interface PreparedImport {
  readonly path: string;
  readonly fileName: string;
  readonly hooks: ImportHooks;
  /** The file's size and time; rejects (not recorded as offered) when it is not a readable file. */
  readonly info: Promise<{ size: number; mtimeMs: number }>;
  /** The chosen importer and its parse, under way. */
  readonly started: Promise<{ importer: Importer; ctx: ImportContext; parse: StartedParse }>;
  /** Stops the parse of an import that will not be written. */
  cancel(): void;
}

/** Checks the file, chooses its importer and starts parsing it; nothing is written to the case. */
export function prepareImport(path: string, options: ImportOptions = {}, hooks: ImportHooks = {}): PreparedImport {
  const fileName = options.displayName ?? basename(path);
  const info = stat(path).then(
    (s) => {
      if (!s.isFile()) throw new ImportError(fileName, `${path} is not a file`);
      return { size: s.size, mtimeMs: s.mtimeMs };
    },
    () => {
      throw new ImportError(fileName, `cannot read ${path}`);
    },
  );
  let cancelled = false;
  const started = info.then(async ({ size, mtimeMs }) => {
    const importer = await chooseImporter(path, options.format, fileName);
    const ctx = buildContext(fileName, options, mtimeMs);
    if (cancelled) throw abortError();
    const parse = startParse({ path, size, format: importer.format, module: importer.module, ctx }, hooks.signal);
    return { importer, ctx, parse };
  });
  // Both are awaited by writePrepared; until then a failure is not unhandled.
  info.catch(() => undefined);
  started.catch(() => undefined);
  return {
    path,
    fileName,
    hooks,
    info,
    started,
    cancel: () => {
      cancelled = true;
      void started.then((s) => s.parse.cancel(), () => undefined);
    },
  };
}

/** Writes a prepared import into the case as one capture (one transaction), or records why not. */
export async function writePrepared(store: CaseStore, prepared: PreparedImport): Promise<CaptureSummary> {
  const { path, fileName } = prepared;
  const info = await prepared.info;
  try {
    const { importer, ctx, parse } = await prepared.started;
    return await writeCapture(store, prepared, info, importer, ctx, parse);
  } catch (err) {
    // The file was offered and is not in the case: the report lists it under blind spots.
    const reason = isAbort(err) ? 'import cancelled by the analyst' : err instanceof ImportError ? err.detail : err instanceof Error ? err.message : String(err);
    await recordNotImported(store, path, fileName, info.size, reason);
    throw err;
  }
}

async function writeCapture(
  store: CaseStore,
  prepared: PreparedImport,
  info: { size: number; mtimeMs: number },
  importer: Importer,
  ctx: ImportContext,
  parse: StartedParse,
): Promise<CaptureSummary> {
  const { path, fileName, hooks } = prepared;
  const warnings: string[] = [];

  const writer = await CaptureWriter.begin(store, {
    fileName,
    filePath: path,
    format: importer.format,
    importerVersion: `${importer.format}@${importer.version}`,
    host: ctx.host,
    dateBasis: null,
    tz: ctx.tz,
  }).catch((err: unknown) => {
    parse.cancel();
    throw err;
  });
  const tally: ParseTally = { continuations: 0, skips: 0, warnings, usedDate: false, usedStart: false };
  const progress = (bytesDone: number): void =>
    hooks.onProgress?.({
      fileName,
      bytesDone,
      bytesTotal: info.size,
      events: writer.eventCount,
      rejected: writer.rejectCount,
    });

  try {
    const sha256 = await parse.into(writer, tally, progress);
    const bases: string[] = [];
    if (tally.usedDate) {
      const dateBasis = dateBasisOf(ctx.date, ctx.dateBasis);
      bases.push(dateBasis);
      // Importers usually say themselves which date they assumed; say it once if one did not.
      if (ctx.dateBasis !== 'user' && !warnings.some((w) => w.includes(ctx.date))) {
        warnings.push(`times in this capture carry no date; assumed ${dateBasis}. Re-import with --date if that is wrong.`);
      }
    }
    if (tally.usedStart) {
      const startIso = usToIso(ctx.startUs ?? ctx.fileModifiedUs);
      bases.push(startBasisOf(startIso, ctx.startUs !== null ? 'user' : START_DEFAULT_BASIS));
      if (ctx.startUs === null && !warnings.some((w) => w.includes(startIso))) {
        warnings.push(`times in this capture are relative to an unknown start; assumed ${startIso} (${START_DEFAULT_BASIS}). Correct it with tracebench align or re-import with --start.`);
      }
    }
    const dateBasis = bases.length > 0 ? bases.join('; ') : null;
    return await writer.commit({ sha256, sizeBytes: info.size, continuationLines: tally.continuations, skippedLines: tally.skips, warnings, dateBasis });
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
    fileModifiedUs: Math.round(mtimeMs * 1000),
    map: options.map ?? {},
  };
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}
