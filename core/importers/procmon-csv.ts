// Procmon "Save → CSV" exports. Columns are bound by header name (their order differs between
// Procmon versions and column choices); times are the exporting machine's local wall clock, a
// 12-hour time of day with 7 decimals and, only when the optional "Date & Time" column was
// exported, a locale-formatted date. See docs/formats/procmon.md.
import type { ImportContext, ImportSink, LineParser, TextImporter } from './types.ts';
import { procmonRecordToEvent, type ProcmonRecord } from './procmon-ops.ts';
import { ProcmonFastRows, type ProcmonColumns } from './procmon-csv-fast.ts';
import { CsvRecordReader, RFC4180, splitCsv } from './csv-split.ts';
import { dateToUtcUs, fractionToUs, TIME, wallClockToUtcUs } from '../util/time.ts';

/** Columns the importer reads by name; everything else it keeps in `fields` when useful. */
const COL = {
  timeOfDay: 'Time of Day',
  dateTime: 'Date & Time',
  process: 'Process Name',
  pid: 'PID',
  tid: 'TID',
  ppid: 'Parent PID',
  operation: 'Operation',
  path: 'Path',
  result: 'Result',
  detail: 'Detail',
  duration: 'Duration',
  eventClass: 'Event Class',
} as const;

/** Source columns copied into `fields` (name in fields ← column). */
const EXTRA_COLUMNS: Record<string, string> = {
  image_path: 'Image Path',
  command_line: 'Command Line',
  user: 'User',
  integrity: 'Integrity',
  session: 'Session',
  architecture: 'Architecture',
  procmon_category: 'Category',
  auth_id: 'Authentication ID',
};

/** A record spanning more lines than this has an unterminated quote, not a long Detail. */
const MAX_RECORD_LINES = 1000;

type CsvSplit = { complete: true; fields: string[] } | { complete: false };

/** Splits one CSV record (RFC 4180 quoting, "" for a quote); incomplete when a quote is open. */
export function splitCsvRecord(text: string): CsvSplit {
  const fields = splitCsv(text, RFC4180);
  return fields === null ? { complete: false } : { complete: true, fields };
}

const DIGIT_0 = 48;
const COLON = 58;

/** Two ASCII digits at `i` as a number, or -1. */
function twoDigits(text: string, i: number): number {
  const a = text.charCodeAt(i) - DIGIT_0;
  const b = text.charCodeAt(i + 1) - DIGIT_0;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The usual shape "h:mm:ss[.fffffff][ ][AM|PM]" read without a regex: µs since midnight, null
 * for an impossible clock, undefined for any other shape (the regex then decides).
 */
function fastTimeOfDayUs(t: string): number | null | undefined {
  const n = t.length;
  let h = t.charCodeAt(0) - DIGIT_0;
  if (!(h >= 0 && h <= 9)) return undefined;
  let i = 1;
  const d2 = t.charCodeAt(1) - DIGIT_0;
  if (d2 >= 0 && d2 <= 9) {
    h = h * 10 + d2;
    i = 2;
  }
  if (t.charCodeAt(i) !== COLON || t.charCodeAt(i + 3) !== COLON) return undefined;
  const mi = twoDigits(t, i + 1);
  const s = twoDigits(t, i + 4);
  if (mi < 0 || s < 0) return undefined;
  i += 6;
  let fraction = 0;
  const sep = t.charCodeAt(i);
  if (sep === 46 || sep === 44) {
    // "." or ","; µs from the first 6 digits, truncated (as fractionToUs)
    let digits = 0;
    let scale = 100_000;
    for (i++; i < n; i++) {
      const d = t.charCodeAt(i) - DIGIT_0;
      if (!(d >= 0 && d <= 9)) break;
      if (digits < 6) fraction += d * scale;
      scale /= 10;
      digits++;
    }
    if (digits === 0) return undefined;
  }
  let ampm = 0; // 1 AM, 2 PM
  if (i < n) {
    while (t.charCodeAt(i) === 32) i++;
    if (i !== n - 2) return undefined;
    const a = t.charCodeAt(i) | 0x20;
    if ((a !== 97 && a !== 112) || (t.charCodeAt(i + 1) | 0x20) !== 109) return undefined;
    ampm = a === 97 ? 1 : 2;
  }
  if (ampm !== 0) {
    if (h < 1 || h > 12) return null;
    if (ampm === 1 && h === 12) h = 0;
    if (ampm === 2 && h !== 12) h += 12;
  }
  if (h > 23 || mi > 59 || s > 60) return null;
  return (h * 3600 + mi * 60 + s) * TIME.US_PER_SECOND + Math.round(fraction);
}

/** "3:12:45.1234567 PM" or "15:12:45.1234567" → µs since midnight, or null. */
export function procmonTimeOfDayToUs(text: string): number | null {
  const fast = fastTimeOfDayUs(text);
  if (fast !== undefined) return fast;
  const m = /^(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*([AaPp][Mm])?$/.exec(text.trim());
  if (!m) return null;
  let h = Number(m[1]);
  const mi = Number(m[2]);
  const s = Number(m[3]);
  const ampm = m[5]?.toUpperCase();
  if (ampm) {
    if (h < 1 || h > 12) return null;
    if (ampm === 'AM' && h === 12) h = 0;
    if (ampm === 'PM' && h !== 12) h += 12;
  }
  if (h > 23 || mi > 59 || s > 60) return null;
  return (h * 3600 + mi * 60 + s) * TIME.US_PER_SECOND + fractionToUs(m[4]);
}

/**
 * The date part of "Date & Time" ("7/31/2020 7:37:18 AM", "31.07.2020 07:37:18",
 * "2020-07-31 07:37:18") → "YYYY-MM-DD". Slashes are read month first (Procmon's US default)
 * unless the first number cannot be a month; dots are day first, as the locales that use them.
 */
export function procmonDatePart(text: string): { date: string; time: string } | null {
  const t = text.trim();
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s+(.+)$/.exec(t);
  if (iso?.[1] && iso[2] && iso[3] && iso[4]) return { date: ymd(iso[1], iso[2], iso[3]), time: iso[4] };
  const m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})\s+(.+)$/.exec(t);
  if (!m?.[1] || !m[3] || !m[4] || !m[5]) return null;
  const a = Number(m[1]);
  const b = Number(m[3]);
  const dayFirst = m[2] === '.' || a > 12;
  return { date: dayFirst ? ymd(m[4], String(b), String(a)) : ymd(m[4], String(a), String(b)), time: m[5] };
}

function ymd(y: string, mo: string, d: string): string {
  return `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

function optionalInt(text: string | undefined): number | null {
  if (text === undefined) return null;
  // Plain digits (the usual case) without trim or regex; exact below 16 digits.
  const n = text.length;
  if (n > 0 && n < 16) {
    let v = 0;
    let i = 0;
    for (; i < n; i++) {
      const d = text.charCodeAt(i) - DIGIT_0;
      if (!(d >= 0 && d <= 9)) break;
      v = v * 10 + d;
    }
    if (i === n) return v;
  }
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

function isProcmonHeader(fields: string[]): boolean {
  const names = new Set(fields.map((f) => f.trim()));
  return names.has(COL.operation) && (names.has(COL.timeOfDay) || names.has(COL.dateTime)) && names.has(COL.process);
}

/** The last "Date & Time" text read and what it gave (rows of one second share it). */
interface DateCache {
  text: string;
  /** Midnight of its date in µs, null when the date is unreadable. */
  dayUs: number | null;
  /** Its time part, for rows without Time of Day. */
  time: string;
}

class ProcmonCsvParser implements LineParser {
  private columns: Map<string, number> | null = null;
  /** The usual row's reader, once the header is known (null: every line through `reader`). */
  private fast: ProcmonFastRows | null = null;
  private col: ProcmonColumns | null = null;
  private readonly reader = new CsvRecordReader(RFC4180);
  private firstLine = 0;
  private dayUs: number;
  private previousWallUs: number | null = null;
  private hasDateColumn = false;
  private dateCache: DateCache | null = null;

  constructor(
    private readonly ctx: ImportContext,
    private readonly sink: ImportSink,
    /** Whether rows may take the fast path (procmon-csv-fast.ts); off only to test it against this one. */
    private readonly fastRows = true,
  ) {
    this.dayUs = dateToUtcUs(ctx.date) ?? 0;
  }

  line(text: string, n: number): void {
    const reader = this.reader;
    if (reader.openLines > 0) {
      this.sink.continuation(n);
      const raw = `${reader.openText}\n${text}`;
      if (reader.openLines + 1 > MAX_RECORD_LINES) {
        reader.reset();
        this.sink.reject(this.firstLine, `unterminated quoted field (more than ${MAX_RECORD_LINES} lines)`, raw.slice(0, 200));
        return;
      }
      const fields = reader.push(text);
      if (fields) this.record(fields, this.firstLine, raw);
      return;
    }
    if (this.fast?.row(text, n)) return;
    if (text.trim() === '') return this.sink.skip(n);
    const fields = reader.push(text);
    if (fields) this.record(fields, n, text);
    else this.firstLine = n;
  }

  end(): void {
    if (this.reader.openLines > 0) {
      this.sink.reject(this.firstLine, 'file ends inside a quoted field', this.reader.openText.slice(0, 200));
      this.reader.reset();
    }
  }

  private record(fields: string[], firstLine: number, text: string): void {
    if (!this.col) return this.readHeader(fields, firstLine);
    this.readRow(this.col, fields, firstLine, text);
  }

  private readHeader(fields: string[], n: number): void {
    if (!isProcmonHeader(fields)) {
      throw new Error(
        `not a Procmon CSV export: line ${n} should be the header with "Time of Day", "Process Name", "Operation" columns`,
      );
    }
    const columns = new Map(fields.map((name, i) => [name.trim(), i]));
    const at = (name: string): number => columns.get(name) ?? -1;
    this.columns = columns;
    this.col = {
      timeOfDay: at(COL.timeOfDay),
      dateTime: at(COL.dateTime),
      process: at(COL.process),
      pid: at(COL.pid),
      tid: at(COL.tid),
      ppid: at(COL.ppid),
      operation: at(COL.operation),
      path: at(COL.path),
      result: at(COL.result),
      detail: at(COL.detail),
      duration: at(COL.duration),
      eventClass: at(COL.eventClass),
      extra: Object.entries(EXTRA_COLUMNS)
        .map(([key, column]): [string, number] => [key, at(column)])
        .filter(([, i]) => i >= 0),
    };
    this.hasDateColumn = columns.has(COL.dateTime);
    if (this.fastRows) {
      this.fast = new ProcmonFastRows({
        col: this.col,
        width: columns.size,
        host: this.ctx.host,
        sink: this.sink,
        timestamp: (tod, dt) => this.timestampOf(tod, dt),
        lastDateText: () => this.dateCache?.text,
      });
    }
    this.sink.skip(n);
    if (!this.hasDateColumn) this.sink.usedDate();
    if (!this.hasDateColumn && this.ctx.dateBasis !== 'user') {
      this.sink.warn(
        `Procmon CSV without the "Date & Time" column: times carry no date; assumed ${this.ctx.date} (${this.ctx.dateBasis}). Re-import with --date if that is wrong.`,
      );
    }
    if (this.ctx.tz === 'UTC') {
      this.sink.warn(
        'Procmon writes the capturing machine\'s local time without a zone; read as UTC. Re-import with --tz if that machine was set to another zone.',
      );
    }
  }

  private readRow(col: ProcmonColumns, fields: string[], n: number, raw: string): void {
    const width = this.columns?.size ?? 0;
    if (fields.length !== width) {
      return this.sink.reject(n, `expected ${width} columns, found ${fields.length}`, raw);
    }
    const op = field(fields, col.operation)?.trim() ?? '';
    if (op === '') return this.sink.reject(n, 'empty Operation', raw);
    const tsUs = this.timestamp(col, fields);
    if (tsUs === null) return this.sink.reject(n, 'unreadable Time of Day / Date & Time', raw);
    const pidText = field(fields, col.pid);
    const pid = optionalInt(pidText);
    if (pid === null && pidText !== undefined && pidText.trim() !== '') return this.sink.reject(n, `PID is not a number: "${pidText}"`, raw);
    const durationText = field(fields, col.duration)?.trim();
    const durSeconds = durationText && DURATION.test(durationText) ? Number(durationText) : null;
    const extra: ProcmonRecord['extra'] = {};
    for (const [key, i] of col.extra) {
      const v = fields[i];
      if (v !== undefined && v !== '' && v !== 'n/a') extra[key] = v;
    }
    const record: ProcmonRecord = {
      tsUs,
      durUs: durSeconds === null ? null : Math.round(durSeconds * TIME.US_PER_SECOND),
      pid,
      tid: optionalInt(field(fields, col.tid)),
      ppid: optionalInt(field(fields, col.ppid)),
      process: field(fields, col.process) || null,
      op,
      eventClass: field(fields, col.eventClass),
      path: field(fields, col.path) ?? '',
      result: field(fields, col.result) ?? '',
      detail: field(fields, col.detail) ?? '',
      host: this.ctx.host,
      extra,
    };
    this.sink.event(procmonRecordToEvent(record, n));
  }

  /** µs UTC from Time of Day (precise) and the date of Date & Time, read in ctx.tz. */
  private timestamp(col: ProcmonColumns, fields: string[]): number | null {
    return this.timestampOf(field(fields, col.timeOfDay), field(fields, col.dateTime));
  }

  private timestampOf(tod: string | undefined, dt: string | undefined): number | null {
    let dayUs: number | null = null;
    let timeUs: number | null = tod !== undefined ? procmonTimeOfDayToUs(tod) : null;
    if (dt !== undefined && dt.trim() !== '') {
      const date = this.dateOf(dt);
      if (date.dayUs === null) return null;
      dayUs = date.dayUs;
      timeUs ??= procmonTimeOfDayToUs(date.time);
    }
    if (timeUs === null) return null;
    if (dayUs === null) dayUs = this.rollDay(timeUs);
    return wallClockToUtcUs(dayUs + timeUs, this.ctx.tz);
  }

  /** The date of a "Date & Time" text, remembered for the rows that repeat it. */
  private dateOf(dt: string): DateCache {
    if (this.dateCache?.text === dt) return this.dateCache;
    const parts = procmonDatePart(dt);
    this.dateCache = { text: dt, dayUs: parts ? dateToUtcUs(parts.date) : null, time: parts?.time ?? '' };
    return this.dateCache;
  }

  /** Without a date column, a time of day that jumps back by more than 12 h means midnight passed. */
  private rollDay(timeUs: number): number {
    if (this.previousWallUs !== null && timeUs < this.previousWallUs - 12 * 3600 * TIME.US_PER_SECOND) {
      this.dayUs += TIME.US_PER_DAY;
    }
    this.previousWallUs = timeUs;
    return this.dayUs;
  }
}

const DURATION = /^\d+(\.\d+)?$/;

function field(fields: string[], i: number): string | undefined {
  return i >= 0 ? fields[i] : undefined;
}

export const procmonCsvImporter: TextImporter = {
  mode: 'text',
  format: 'procmon-csv',
  module: import.meta.url,
  title: 'Sysinternals Process Monitor CSV export',
  reads: 'Procmon "Save as CSV" (any column order, UTF-8 or UTF-16; Time of Day with or without Date & Time)',
  version: '1.0.0',
  detect(sample) {
    const first = sample.lines.find((l) => l.trim() !== '');
    if (first === undefined) return 0;
    const fields = splitCsv(first, RFC4180);
    if (fields === null) return 0;
    const names = new Set(fields.map((f) => f.trim()));
    const signature = ['Time of Day', 'Process Name', 'PID', 'Operation', 'Path', 'Result', 'Detail'];
    const present = signature.filter((c) => names.has(c)).length;
    if (present === signature.length) return 0.95;
    return isProcmonHeader(fields) ? 0.8 : 0;
  },
  // Without the optional "Date & Time" column, rows carry a time of day only.
  needsDate: (sample) => !(sample.lines.find((l) => l.trim() !== '') ?? '').includes('Date & Time'),
  open: (ctx, sink) => new ProcmonCsvParser(ctx, sink),
};

/**
 * The reader with every row through the general CSV reader: the reference its fast path is
 * tested against. A function, not an importer object: the worker picks a module's importer
 * among its exports (load-importer.ts).
 */
export function openProcmonCsvGeneralOnly(ctx: ImportContext, sink: ImportSink): LineParser {
  return new ProcmonCsvParser(ctx, sink, false);
}
