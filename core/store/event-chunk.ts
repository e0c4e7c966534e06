// Events packed column by column in DuckDB's own vector layout, ready to be copied into a
// DuckDB data chunk with one native call per column. Why: appending row by row costs ~20
// native calls per event, which capped imports at ~150k events/s; packing here (on the parse
// worker's thread, in plain JavaScript) leaves the importing thread one copy per column plus
// one call per string too long to sit inline. Nothing here touches DuckDB, so the packing can
// run in any thread and the chunk's buffers can be transferred between threads without copying.
import type { CanonicalEvent } from '../model/event.ts';

/** Rows per chunk: DuckDB's standard vector size (checked against the library when appending). */
export const CHUNK_ROWS = 2048;

/** The physical type of an event_rows column, as DuckDB lays out its vectors. */
export type ColumnLayout = 'bigint' | 'integer' | 'double' | 'varchar';

/** event_rows' columns in table order (migrations 1 and 6); the packer fills them in this order. */
export const EVENT_ROW_LAYOUT: readonly ColumnLayout[] = [
  'bigint', // event_id (set by the writer)
  'integer', // capture_id (set by the writer)
  'bigint', // ts_us
  'bigint', // ts_raw_us
  'double', // dur_us
  'varchar', // host
  'integer', // pid
  'integer', // tid
  'integer', // ppid
  'varchar', // process
  'varchar', // kind
  'varchar', // op
  'varchar', // category
  'varchar', // target
  'varchar', // args
  'varchar', // ret
  'varchar', // error
  'bigint', // source_line
  'varchar', // fields
  'varchar', // level (migration 6)
];

export const COL_EVENT_ID = 0;
export const COL_CAPTURE_ID = 1;
const COL_FIELDS = 18;
const COL_LEVEL = 19;

const BYTES: Record<ColumnLayout, number> = { bigint: 8, integer: 4, double: 8, varchar: 16 };
const VARCHAR_COLUMNS = EVENT_ROW_LAYOUT.filter((l) => l === 'varchar').length;

/** DuckDB keeps strings of at most this many UTF-8 bytes inside the 16-byte string_t itself. */
const INLINE_STRING_BYTES = 12;
const TWO_32 = 4294967296;

/**
 * Where each column lives in a chunk's one buffer: its values in DuckDB's vector layout
 * (string_t for VARCHAR) at DATA_OFFSET, its validity bitmask (bit set = not NULL) at
 * VALIDITY_OFFSET. One buffer per chunk so it can be transferred and recycled whole.
 */
export const DATA_OFFSET: readonly number[] = offsets(EVENT_ROW_LAYOUT.map((l) => CHUNK_ROWS * BYTES[l]), 0);
const VALIDITY_BYTES = CHUNK_ROWS / 8;
export const VALIDITY_OFFSET: readonly number[] = offsets(
  EVENT_ROW_LAYOUT.map(() => VALIDITY_BYTES),
  EVENT_ROW_LAYOUT.reduce((sum, l) => sum + CHUNK_ROWS * BYTES[l], 0),
);
export const CHUNK_BYTES = VALIDITY_OFFSET[VALIDITY_OFFSET.length - 1]! + VALIDITY_BYTES;

function offsets(sizes: number[], start: number): number[] {
  const out: number[] = [];
  let at = start;
  for (const size of sizes) {
    out.push(at);
    at += size;
  }
  return out;
}

/** One chunk of events; `buffer` is transferable. */
export interface EventChunk {
  rows: number;
  buffer: ArrayBuffer;
  /**
   * Strings that do not fit inline — DuckDB must store these itself: `cells` holds each one's
   * column and row (pairs), `utf8` their UTF-8 bytes one after another and `ends` where each one
   * ends in it. Typed, so that handing a chunk to another thread transfers them instead of
   * cloning every string (and the writer passes DuckDB bytes it need not convert from a string).
   */
  outOfLine: { cells: Int32Array<ArrayBuffer>; utf8: Uint8Array<ArrayBuffer>; ends: Int32Array<ArrayBuffer> };
  /**
   * Out-of-line strings equal to an earlier row's of the same column and chunk, as (column, row,
   * earlier row) triples: the writer copies that row's string_t (which points into the chunk's
   * own string heap) instead of storing the text again. Procmon repeats a process's fields on
   * every row; sending and storing each once saves both threads work.
   */
  repeats: Int32Array<ArrayBuffer>;
  minTsUs: number;
  maxTsUs: number;
  /** Events per host (the importer's or the default), for the capture's host. */
  hosts: Map<string, number>;
}

export function bytesPerValue(col: number): number {
  return BYTES[EVENT_ROW_LAYOUT[col] ?? 'bigint'];
}

/** Packs events into chunks; `take()` hands over the current chunk and starts a new one. */
export class EventChunkPacker {
  private buffer = new ArrayBuffer(0);
  private readonly spare: ArrayBuffer[] = [];
  private u8: Uint8Array[] = [];
  private u32: Uint32Array[] = [];
  private i32: Int32Array[] = [];
  private f64: Float64Array[] = [];
  private valid: Uint8Array[] = [];
  /** This chunk's out-of-line cells (column, row pairs) and repeats (column, row, from triples) so far. */
  private readonly cells = new Int32Array(CHUNK_ROWS * VARCHAR_COLUMNS * 2);
  private cellCount = 0;
  private texts: string[] = [];
  private readonly repeatCells = new Int32Array(CHUNK_ROWS * VARCHAR_COLUMNS * 3);
  private repeatCount = 0;
  /** Per column, the last out-of-line string stored in this chunk and its row. */
  private lastText: (string | undefined)[] = [];
  private lastRow: number[] = [];
  /** The row of each distinct `fields` text stored in this chunk. */
  private fieldsRows = new Map<string, number>();
  private rowCount = 0;
  private minTs = Number.POSITIVE_INFINITY;
  private maxTs = Number.NEGATIVE_INFINITY;
  private hosts = new Map<string, number>();
  private readonly sharedFields = new WeakMap<object, string>();

  constructor(private readonly defaultHost: string | null) {
    this.reset();
  }

  get rows(): number {
    return this.rowCount;
  }

  get full(): boolean {
    return this.rowCount === CHUNK_ROWS;
  }

  /** Adds one event; the caller takes the chunk when `full`. */
  add(e: CanonicalEvent): void {
    if (this.full) throw new Error('event chunk is full: take() it first');
    const r = this.rowCount++;
    const ts = Math.round(e.ts_us);
    const host = e.host ?? this.defaultHost;
    this.setBigint(2, r, ts);
    this.setBigint(3, r, ts);
    this.setDouble(4, r, e.dur_us);
    this.setString(5, r, host);
    this.setInteger(6, r, e.pid);
    this.setInteger(7, r, e.tid);
    this.setInteger(8, r, e.ppid);
    this.setString(9, r, e.process);
    this.setString(10, r, e.kind);
    this.setString(11, r, e.op);
    this.setString(12, r, e.category);
    this.setString(13, r, e.target);
    this.setString(14, r, e.args);
    this.setString(15, r, e.ret);
    this.setString(16, r, e.error);
    this.setBigint(17, r, e.source_line);
    this.setString(COL_FIELDS, r, e.fields ? this.fieldsText(e.fields) : null);
    this.setString(COL_LEVEL, r, e.level);
    if (ts < this.minTs) this.minTs = ts;
    if (ts > this.maxTs) this.maxTs = ts;
    if (host) this.hosts.set(host, (this.hosts.get(host) ?? 0) + 1);
  }

  /**
   * JSON of an event's fields. An importer that hands the same FROZEN object to many events
   * (Procmon: the process columns repeated on every row) has it serialised once.
   */
  private fieldsText(fields: NonNullable<CanonicalEvent['fields']>): string {
    if (!Object.isFrozen(fields)) return JSON.stringify(fields);
    let text = this.sharedFields.get(fields);
    if (text === undefined) {
      text = JSON.stringify(fields);
      this.sharedFields.set(fields, text);
    }
    return text;
  }

  /** The chunk so far (possibly empty); the packer starts a fresh one. */
  take(): EventChunk {
    const chunk: EventChunk = {
      rows: this.rowCount,
      buffer: this.buffer,
      outOfLine: { cells: this.cells.slice(0, this.cellCount * 2), ...utf8Of(this.texts) },
      repeats: this.repeatCells.slice(0, this.repeatCount * 3),
      minTsUs: this.minTs,
      maxTsUs: this.maxTs,
      hosts: this.hosts,
    };
    this.reset();
    return chunk;
  }

  /** Gives back the buffer of an appended chunk for reuse (saves allocating ~450 KB a chunk). */
  recycle(buffer: ArrayBuffer): void {
    if (buffer.byteLength === CHUNK_BYTES && this.spare.length < 16) this.spare.push(buffer);
  }

  private reset(): void {
    const b = this.spare.pop() ?? new ArrayBuffer(CHUNK_BYTES);
    this.buffer = b;
    this.u8 = DATA_OFFSET.map((at, col) => new Uint8Array(b, at, CHUNK_ROWS * bytesPerValue(col)));
    this.u32 = DATA_OFFSET.map((at, col) => new Uint32Array(b, at, (CHUNK_ROWS * bytesPerValue(col)) / 4));
    this.i32 = DATA_OFFSET.map((at, col) => new Int32Array(b, at, (CHUNK_ROWS * bytesPerValue(col)) / 4));
    this.f64 = DATA_OFFSET.map((at, col) => (bytesPerValue(col) === 8 ? new Float64Array(b, at, CHUNK_ROWS) : new Float64Array(0)));
    this.valid = VALIDITY_OFFSET.map((at) => new Uint8Array(b, at, VALIDITY_BYTES).fill(0xff));
    this.cellCount = 0;
    this.texts = [];
    this.repeatCount = 0;
    this.lastText = [];
    this.lastRow = [];
    this.fieldsRows = new Map();
    this.rowCount = 0;
    this.minTs = Number.POSITIVE_INFINITY;
    this.maxTs = Number.NEGATIVE_INFINITY;
    this.hosts = new Map();
  }

  private setNull(col: number, r: number): void {
    this.valid[col]![r >> 3]! &= ~(1 << (r & 7));
  }

  /** int64 from a double: exact for integers below 2^53 (µs up to year 2255, line numbers). */
  private setBigint(col: number, r: number, v: number): void {
    setBigintAt(this.u32[col]!, this.i32[col]!, r, v);
  }

  private setInteger(col: number, r: number, v: number | null | undefined): void {
    // Not an int32 (a missing, fractional or absurd pid) is stored as unknown, not wrapped.
    if (v === null || v === undefined || (v | 0) !== v) this.setNull(col, r);
    else this.i32[col]![r] = v;
  }

  private setDouble(col: number, r: number, v: number | null | undefined): void {
    if (v === null || v === undefined || Number.isNaN(v)) this.setNull(col, r);
    else this.f64[col]![r] = v;
  }

  private setString(col: number, r: number, s: string | null | undefined): void {
    const u32 = this.u32[col]!;
    if (s === null || s === undefined) {
      // A recycled buffer may hold an old string_t here; DuckDB should never follow it.
      u32[r * 4] = 0;
      u32[r * 4 + 1] = 0;
      u32[r * 4 + 2] = 0;
      u32[r * 4 + 3] = 0;
      return this.setNull(col, r);
    }
    const n = s.length;
    if (n <= INLINE_STRING_BYTES) {
      // string_t, inlined: uint32 length then the bytes, zero-padded (DuckDB compares the
      // padding too). Plain ASCII only, so one UTF-16 unit is one byte.
      const bytes = this.u8[col]!;
      const at = r * 16 + 4;
      let k = 0;
      for (; k < n; k++) {
        const c = s.charCodeAt(k);
        if (c > 0x7f) break;
        bytes[at + k] = c;
      }
      if (k === n) {
        for (; k < INLINE_STRING_BYTES; k++) bytes[at + k] = 0;
        u32[r * 4] = n;
        return;
      }
    }
    // Left as an empty string_t; DuckDB writes the real one when the chunk is appended.
    u32[r * 4] = 0;
    u32[r * 4 + 1] = 0;
    u32[r * 4 + 2] = 0;
    u32[r * 4 + 3] = 0;
    // A repeat of the column's previous long string (repeats come in runs: a process's rows), or
    // for `fields` of any earlier one: those texts are the packer's own cached strings, whose
    // hash V8 keeps, while looking up every freshly sliced path or detail would hash it anew.
    const previous = this.lastText[col];
    const first = previous === s ? this.lastRow[col] : col === COL_FIELDS ? this.fieldsRows.get(s) : undefined;
    if (first !== undefined) {
      const at = this.repeatCount++ * 3;
      this.repeatCells[at] = col;
      this.repeatCells[at + 1] = r;
      this.repeatCells[at + 2] = first;
      return;
    }
    this.lastText[col] = s;
    this.lastRow[col] = r;
    if (col === COL_FIELDS) this.fieldsRows.set(s, r);
    const at = this.cellCount++ * 2;
    this.cells[at] = col;
    this.cells[at + 1] = r;
    this.texts.push(s);
  }
}

const encoder = new TextEncoder();

/**
 * The strings' UTF-8 bytes end to end and where each ends. The usual all-ASCII chunk is encoded in
 * one call (its byte offsets are its character offsets). Otherwise each string is encoded on its
 * own: joined, a lone high surrogate ending one string and a lone low one starting the next would
 * encode as one 4-byte character, and every later string would be cut in the wrong place.
 * TextEncoder writes a lone surrogate as U+FFFD, as DuckDB's string conversion did.
 */
function utf8Of(texts: string[]): { utf8: Uint8Array<ArrayBuffer>; ends: Int32Array<ArrayBuffer> } {
  const joined = texts.join('');
  const whole = encoder.encode(joined) as Uint8Array<ArrayBuffer>;
  const ends = new Int32Array(texts.length);
  let end = 0;
  if (whole.length === joined.length) {
    for (let k = 0; k < texts.length; k++) ends[k] = end += texts[k]!.length;
    return { utf8: whole, ends };
  }
  const parts = texts.map((text) => encoder.encode(text));
  const utf8 = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.forEach((part, k) => {
    utf8.set(part, end);
    ends[k] = end += part.length;
  });
  return { utf8, ends };
}

/** Writes an integer-valued double as little-endian int64 (two's complement) at row `r`. */
export function setBigintAt(u32: Uint32Array, i32: Int32Array, r: number, v: number): void {
  const hi = Math.floor(v / TWO_32);
  u32[r * 2] = v - hi * TWO_32;
  i32[r * 2 + 1] = hi;
}

