// Procmon "Save → CSV" exports. Columns are bound by header name (their order differs between
// Procmon versions and column choices); times are the exporting machine's local wall clock, a
// 12-hour time of day with 7 decimals and, only when the optional "Date & Time" column was
// exported, a locale-formatted date. See docs/formats/procmon.md.
import type { ImportContext, ImportSink, LineParser, TextImporter } from './types.ts';
import { procmonRecordToEvent, type ProcmonRecord } from './procmon-ops.ts';
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
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      // Quoted field: copy runs between quotes with slice, not character by character.
      let field = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) return { complete: false };
        field += text.slice(from, q);
        if (text[q + 1] === '"') {
          field += '"';
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      // Anything between the closing quote and the comma is kept, as lenient readers do.
      const comma = text.indexOf(',', i);
      const tail = comma < 0 ? text.slice(i) : text.slice(i, comma);
      fields.push(field + tail);
      if (comma < 0) return { complete: true, fields };
      i = comma + 1;
    } else {
      const comma = text.indexOf(',', i);
      if (comma < 0) {
        fields.push(text.slice(i));
        return { complete: true, fields };
      }
      fields.push(text.slice(i, comma));
      i = comma + 1;
    }
  }
}

/** "3:12:45.1234567 PM" or "15:12:45.1234567" → µs since midnight, or null. */
export function procmonTimeOfDayToUs(text: string): number | null {
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
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

function isProcmonHeader(fields: string[]): boolean {
  const names = new Set(fields.map((f) => f.trim()));
  return names.has(COL.operation) && (names.has(COL.timeOfDay) || names.has(COL.dateTime)) && names.has(COL.process);
}

class ProcmonCsvParser implements LineParser {
  private columns: Map<string, number> | null = null;
  private pending: { text: string; firstLine: number; lines: number } | null = null;
  private dayUs: number;
  private previousWallUs: number | null = null;
  private hasDateColumn = false;

  constructor(
    private readonly ctx: ImportContext,
    private readonly sink: ImportSink,
  ) {
    this.dayUs = dateToUtcUs(ctx.date) ?? 0;
  }

  line(text: string, n: number): void {
    if (this.pending) {
      this.pending.text += `\n${text}`;
      this.pending.lines++;
      this.sink.continuation(n);
      if (this.pending.lines > MAX_RECORD_LINES) {
        const { firstLine, text: raw } = this.pending;
        this.pending = null;
        this.sink.reject(firstLine, `unterminated quoted field (more than ${MAX_RECORD_LINES} lines)`, raw.slice(0, 200));
        return;
      }
      this.tryRecord(this.pending.text, this.pending.firstLine);
      return;
    }
    if (text.trim() === '') return this.sink.skip(n);
    this.tryRecord(text, n);
  }

  end(): void {
    if (this.pending) {
      this.sink.reject(this.pending.firstLine, 'file ends inside a quoted field', this.pending.text.slice(0, 200));
      this.pending = null;
    }
  }

  private tryRecord(text: string, firstLine: number): void {
    const split = splitCsvRecord(text);
    if (!split.complete) {
      this.pending ??= { text, firstLine, lines: 1 };
      return;
    }
    this.pending = null;
    if (!this.columns) return this.readHeader(split.fields, firstLine);
    this.readRow(split.fields, firstLine, text);
  }

  private readHeader(fields: string[], n: number): void {
    if (!isProcmonHeader(fields)) {
      throw new Error(
        `not a Procmon CSV export: line ${n} should be the header with "Time of Day", "Process Name", "Operation" columns`,
      );
    }
    this.columns = new Map(fields.map((name, i) => [name.trim(), i]));
    this.hasDateColumn = this.columns.has(COL.dateTime);
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

  private get(fields: string[], column: string): string | undefined {
    const i = this.columns?.get(column);
    return i === undefined ? undefined : fields[i];
  }

  private readRow(fields: string[], n: number, raw: string): void {
    if (fields.length !== this.columns?.size) {
      return this.sink.reject(n, `expected ${this.columns?.size ?? 0} columns, found ${fields.length}`, raw);
    }
    const op = this.get(fields, COL.operation)?.trim() ?? '';
    if (op === '') return this.sink.reject(n, 'empty Operation', raw);
    const tsUs = this.timestamp(fields);
    if (tsUs === null) return this.sink.reject(n, 'unreadable Time of Day / Date & Time', raw);
    const pidText = this.get(fields, COL.pid);
    const pid = optionalInt(pidText);
    if (pidText !== undefined && pidText.trim() !== '' && pid === null) return this.sink.reject(n, `PID is not a number: "${pidText}"`, raw);
    const durationText = this.get(fields, COL.duration)?.trim();
    const durSeconds = durationText && /^\d+(\.\d+)?$/.test(durationText) ? Number(durationText) : null;
    const extra: ProcmonRecord['extra'] = {};
    for (const [key, column] of Object.entries(EXTRA_COLUMNS)) {
      const v = this.get(fields, column);
      if (v !== undefined && v !== '' && v !== 'n/a') extra[key] = v;
    }
    const record: ProcmonRecord = {
      tsUs,
      durUs: durSeconds === null ? null : Math.round(durSeconds * TIME.US_PER_SECOND),
      pid,
      tid: optionalInt(this.get(fields, COL.tid)),
      ppid: optionalInt(this.get(fields, COL.ppid)),
      process: this.get(fields, COL.process) || null,
      op,
      eventClass: this.get(fields, COL.eventClass),
      path: this.get(fields, COL.path) ?? '',
      result: this.get(fields, COL.result) ?? '',
      detail: this.get(fields, COL.detail) ?? '',
      host: this.ctx.host,
      extra,
    };
    this.sink.event(procmonRecordToEvent(record, n));
  }

  /** µs UTC from Time of Day (precise) and the date of Date & Time, read in ctx.tz. */
  private timestamp(fields: string[]): number | null {
    const tod = this.get(fields, COL.timeOfDay);
    const dt = this.get(fields, COL.dateTime);
    let dayUs: number | null = null;
    let timeUs: number | null = tod !== undefined ? procmonTimeOfDayToUs(tod) : null;
    if (dt !== undefined && dt.trim() !== '') {
      const parts = procmonDatePart(dt);
      if (!parts) return null;
      dayUs = dateToUtcUs(parts.date);
      if (dayUs === null) return null;
      timeUs ??= procmonTimeOfDayToUs(parts.time);
    }
    if (timeUs === null) return null;
    if (dayUs === null) dayUs = this.rollDay(timeUs);
    return wallClockToUtcUs(dayUs + timeUs, this.ctx.tz);
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

export const procmonCsvImporter: TextImporter = {
  mode: 'text',
  format: 'procmon-csv',
  title: 'Sysinternals Process Monitor CSV export',
  reads: 'Procmon "Save as CSV" (any column order, UTF-8 or UTF-16; Time of Day with or without Date & Time)',
  version: '1.0.0',
  detect(sample) {
    const first = sample.lines.find((l) => l.trim() !== '');
    if (first === undefined) return 0;
    const split = splitCsvRecord(first);
    if (!split.complete) return 0;
    const names = new Set(split.fields.map((f) => f.trim()));
    const signature = ['Time of Day', 'Process Name', 'PID', 'Operation', 'Path', 'Result', 'Detail'];
    const present = signature.filter((c) => names.has(c)).length;
    if (present === signature.length) return 0.95;
    return isProcmonHeader(split.fields) ? 0.8 : 0;
  },
  // Without the optional "Date & Time" column, rows carry a time of day only.
  needsDate: (sample) => !(sample.lines.find((l) => l.trim() !== '') ?? '').includes('Date & Time'),
  open: (ctx, sink) => new ProcmonCsvParser(ctx, sink),
};
