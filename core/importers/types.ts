// The importer contract. An importer is pure: it never opens files. Text importers receive
// lines one at a time (the ingest layer streams and splits the file); binary importers receive a
// random-access byte source. Both report to a sink, so nothing is ever held whole in memory and
// every line or record is accounted for as an event, a continuation or a reject.
import type { CanonicalEvent } from '../model/event.ts';

export interface ImportSink {
  event(event: CanonicalEvent): void;
  /** A line or record that could not be read. `raw` is truncated by the store. */
  reject(sourceLine: number, reason: string, raw: string): void;
  /** A line folded into an event started on another line (resumed call, continuation line). */
  continuation(sourceLine: number): void;
  /** A line that carries no event by design (header, comment, blank). */
  skip(sourceLine: number): void;
  /** A warning for the analyst about the whole capture (shown in the summary and report). */
  warn(message: string): void;
  /**
   * Call when a time was completed with ctx.date (the source gave a time of day, or no year).
   * The capture then records which date was used and on what basis, for the report.
   */
  usedDate(): void;
  /**
   * Call when relative times were anchored at the start (ctx.startUs, or ctx.fileModifiedUs when
   * the analyst gave none). The capture then records which start was used and on what basis.
   */
  usedStart(): void;
}

/** What the analyst (or the defaults) told the import. */
export interface ImportContext {
  fileName: string;
  /** Date for time-of-day-only sources, "YYYY-MM-DD". Always set by the ingest layer. */
  date: string;
  /** Where `date` came from: "user" (--date) or a documented default such as "file-mtime". */
  dateBasis: string;
  /** Zone for local times without an offset; "UTC" unless the analyst says otherwise. */
  tz: string;
  /** Host name from --host, when given; importers fall back to it when the source has none. */
  host: string | null;
  /** Anchor for sources with relative times (frida-trace) given by the analyst (--start): µs UTC. */
  startUs: number | null;
  /**
   * The file's modification time, µs UTC: the start assumed for relative times when startUs is
   * null (a documented default, like the date of time-of-day captures).
   */
  fileModifiedUs: number;
  /** Column mapping for delimited/JSON logs: canonical field → source column name. */
  map: Record<string, string>;
}

/** The first bytes of a file, for content-based detection. */
export interface DetectSample {
  fileName: string;
  bytes: Uint8Array;
  /** `bytes` decoded as UTF-8 (BOM removed) and split into lines; the last may be partial. */
  lines: string[];
}

interface ImporterBase {
  /** Stable name used by --format and stored in captures.format. */
  format: string;
  /** One line for `tracebench formats`. */
  title: string;
  /** What it reads, e.g. "strace -f/-ff, -t/-tt/-ttt, -T, -y/-yy". */
  reads: string;
  version: string;
  /**
   * URL of the module defining this importer (its `import.meta.url`), so the parse worker can
   * load this one importer instead of the whole registry (~0.1 s less before parsing starts).
   */
  module: string;
  /** 0 (not this format) … 1 (certain), judged from content only. */
  detect(sample: DetectSample): number;
  /**
   * Whether the capture's times lack a date, so the analyst should be asked for one: fixed for
   * the format, or judged from the sample (strace -tt needs a date, -ttt does not).
   */
  needsDate?: boolean | ((sample: DetectSample) => boolean);
}

export interface LineParser {
  line(text: string, lineNumber: number): void;
  /** Called once after the last line: flush pending state (unfinished calls, open records). */
  end(): void;
}

export interface TextImporter extends ImporterBase {
  mode: 'text';
  open(ctx: ImportContext, sink: ImportSink): LineParser;
}

export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface BinaryImporter extends ImporterBase {
  mode: 'binary';
  /** Reads records from `source`; record numbers go into source_line. */
  parse(source: ByteSource, ctx: ImportContext, sink: ImportSink): Promise<void>;
}

export type Importer = TextImporter | BinaryImporter;
