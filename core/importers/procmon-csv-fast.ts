// The Procmon CSV reader's fast path for the usual row: one physical line, every field either
// quoted without a doubled quote or unquoted, as many fields as the header, nothing to reject.
// Such a row is read from field positions in the line instead of an array of 27 sliced strings:
// only the columns an event needs are sliced, and the process columns Procmon repeats on every
// row (image path, command line, user…) are compared in place with the PID's last rows, so a
// repeat costs no string at all. Any other line (text after a closing quote, an open quote, a
// wrong width, something to reject) returns false and the general reader in
// procmon-csv.ts handles it, so both give the same events and rejects (procmon-csv-fast.test.ts).
import type { ImportSink } from './types.ts';
import { TIME } from '../util/time.ts';
import { classifyProcmonOperation, procmonRecordToEvent, procmonSharedFields, type ProcmonFields, type ProcmonRecord } from './procmon-ops.ts';

const QUOTE = 34;
const COMMA = 44;
const DIGIT_0 = 48;

/** Column positions of the header, -1 for an absent column (procmon-csv.ts builds it). */
export interface ProcmonColumns {
  timeOfDay: number;
  dateTime: number;
  process: number;
  pid: number;
  tid: number;
  ppid: number;
  operation: number;
  path: number;
  result: number;
  detail: number;
  duration: number;
  eventClass: number;
  /** [key in fields, column] for the extra columns present. */
  extra: [string, number][];
}

/** What the fast path needs from the reader that owns it. */
export interface ProcmonRowContext {
  readonly col: ProcmonColumns;
  /** Fields a row must have (distinct header names, as the general reader counts them). */
  readonly width: number;
  readonly host: string | null;
  readonly sink: ImportSink;
  /** µs UTC from the Time of Day and Date & Time texts (the reader's date cache and day roll). */
  timestamp(tod: string | undefined, dt: string | undefined): number | null;
  /** The last Date & Time text read, to recognise a repeat without slicing it. */
  lastDateText(): string | undefined;
}

/** Shared fields of one PID's recent rows, with the extra columns' source text they were made from. */
interface RecentFields {
  eventClass: string;
  /** Each extra column's whole field as written (quotes included), so equal text means equal value. */
  raw: string[];
  fields: ProcmonFields;
}

const RECENT_PER_PID = 6;
const NO_EXTRA: ProcmonRecord['extra'] = Object.freeze({});
const RECENT_PIDS_LIMIT = 20_000;
const DURATION = /^\d+(\.\d+)?$/;

export class ProcmonFastRows {
  /** Per field of the row: its text's bounds (inside the quotes), and the whole field's. */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly outerStarts: Int32Array;
  private readonly outerEnds: Int32Array;
  /** 1 where the quoted text holds doubled quotes, to be undoubled when sliced. */
  private readonly escaped: Uint8Array;
  private readonly recent = new Map<number | null, RecentFields[]>();

  constructor(private readonly ctx: ProcmonRowContext) {
    this.starts = new Int32Array(ctx.width + 1);
    this.ends = new Int32Array(ctx.width + 1);
    this.outerStarts = new Int32Array(ctx.width + 1);
    this.outerEnds = new Int32Array(ctx.width + 1);
    this.escaped = new Uint8Array(ctx.width + 1);
  }

  /** Reads one complete, non-blank line as a row; false when the general reader must do it. */
  row(text: string, n: number): boolean {
    const ctx = this.ctx;
    const col = ctx.col;
    if (this.scan(text) !== ctx.width) return false;
    const opText = this.slice(text, col.operation);
    const op = opText === undefined ? '' : opText.trim();
    if (op === '') return false;
    const pid = this.int(text, col.pid);
    if (pid === undefined) return false;
    const tsUs = ctx.timestamp(this.slice(text, col.timeOfDay), this.dateText(text));
    if (tsUs === null) return false;
    const durationText = this.slice(text, col.duration)?.trim();
    const durSeconds = durationText && DURATION.test(durationText) ? Number(durationText) : null;
    const eventClass = this.slice(text, col.eventClass);
    const record: ProcmonRecord = {
      tsUs,
      durUs: durSeconds === null ? null : Math.round(durSeconds * TIME.US_PER_SECOND),
      pid,
      tid: this.int(text, col.tid) ?? null,
      ppid: this.int(text, col.ppid) ?? null,
      process: this.slice(text, col.process) || null,
      op,
      eventClass,
      path: this.slice(text, col.path) ?? '',
      result: this.slice(text, col.result) ?? '',
      detail: this.slice(text, col.detail) ?? '',
      host: ctx.host,
      // The extra columns reach the event through `shared` below, not through the record.
      extra: NO_EXTRA,
    };
    const classified = classifyProcmonOperation(op, eventClass);
    const shared = this.sharedFields(text, classified.eventClass, pid);
    ctx.sink.event(procmonRecordToEvent(record, n, shared, classified));
    return true;
  }

  /**
   * Finds the fields of `text` as the general splitter would (csv-split.ts, RFC 4180 without
   * trimming): their count, or -1 for anything the general reader must see (text after a
   * closing quote, an open quote, more fields than the header).
   */
  private scan(text: string): number {
    const { starts, ends, outerStarts, outerEnds, escaped } = this;
    const max = this.ctx.width;
    const end = text.length;
    let i = 0;
    for (let k = 0; ; k++) {
      if (k >= max) return -1;
      outerStarts[k] = i;
      if (text.charCodeAt(i) === QUOTE) {
        let q = text.indexOf('"', i + 1);
        if (q < 0) return -1;
        let doubled = 0;
        while (text.charCodeAt(q + 1) === QUOTE) {
          doubled = 1;
          q = text.indexOf('"', q + 2);
          if (q < 0) return -1;
        }
        starts[k] = i + 1;
        ends[k] = q;
        outerEnds[k] = q + 1;
        escaped[k] = doubled;
        if (q + 1 >= end) return k + 1;
        if (text.charCodeAt(q + 1) !== COMMA) return -1;
        i = q + 2;
      } else {
        const next = text.indexOf(',', i);
        starts[k] = i;
        ends[k] = outerEnds[k] = next < 0 ? end : next;
        escaped[k] = 0;
        if (next < 0) return k + 1;
        i = next + 1;
      }
    }
  }

  /** A field's value: its text, doubled quotes undoubled (as the general splitter gives it). */
  private slice(text: string, column: number): string | undefined {
    if (column < 0) return undefined;
    const value = text.slice(this.starts[column], this.ends[column]);
    return this.escaped[column] === 1 ? value.replaceAll('""', '"') : value;
  }

  /** The Date & Time text; the reader's last one itself when the row repeats it. */
  private dateText(text: string): string | undefined {
    const column = this.ctx.col.dateTime;
    if (column < 0) return undefined;
    const last = this.ctx.lastDateText();
    const value = this.slice(text, column)!;
    return value === last ? last : value;
  }

  /**
   * An optional integer column as the general reader reads it: plain digits here, anything else
   * through the same rules on the sliced text; undefined when it is neither a number nor blank
   * (the general reader rejects such a PID).
   */
  private int(text: string, column: number): number | null | undefined {
    if (column < 0) return null;
    const start = this.starts[column]!;
    const end = this.ends[column]!;
    if (end > start && end - start < 16 && this.escaped[column] === 0) {
      let v = 0;
      let i = start;
      for (; i < end; i++) {
        const d = text.charCodeAt(i) - DIGIT_0;
        if (!(d >= 0 && d <= 9)) break;
        v = v * 10 + d;
      }
      if (i === end) return v;
    }
    const t = this.slice(text, column)!.trim();
    if (/^\d+$/.test(t)) return Number(t);
    return t === '' ? null : undefined;
  }

  /** The row's shared fields: a recent row of the PID with the same extra columns gives its own. */
  private sharedFields(text: string, eventClass: string, pid: number | null): ProcmonFields {
    const extra = this.ctx.col.extra;
    let recent = this.recent.get(pid);
    if (recent) {
      for (const entry of recent) if (entry.eventClass === eventClass && this.sameRaw(text, entry.raw)) return entry.fields;
    } else {
      if (this.recent.size >= RECENT_PIDS_LIMIT) this.recent.clear();
      recent = [];
      this.recent.set(pid, recent);
    }
    const raw: string[] = [];
    const values: ProcmonRecord['extra'] = {};
    for (const [key, column] of extra) {
      raw.push(text.slice(this.outerStarts[column], this.outerEnds[column]));
      const v = this.slice(text, column)!;
      if (v !== '' && v !== 'n/a') values[key] = v;
    }
    const fields = procmonSharedFields(eventClass as Parameters<typeof procmonSharedFields>[0], values, pid);
    if (recent.length >= RECENT_PER_PID) recent.pop();
    recent.unshift({ eventClass, raw, fields });
    return fields;
  }

  /** Whether the row's extra columns are written exactly as `raw`, compared in place. */
  private sameRaw(text: string, raw: string[]): boolean {
    const extra = this.ctx.col.extra;
    for (let k = 0; k < extra.length; k++) {
      const column = extra[k]![1];
      const start = this.outerStarts[column]!;
      const value = raw[k]!;
      // A slice and === (V8 compares flat strings faster than startsWith at a position).
      if (this.outerEnds[column]! - start !== value.length || text.slice(start, this.outerEnds[column]) !== value) return false;
    }
    return true;
  }
}
