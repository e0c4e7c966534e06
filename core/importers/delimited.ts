// CSV / TSV (also ";" and "|") event logs with a header row. The delimiter comes from the
// header line; columns are bound by header name; the time column is found by name and
// content (or --map ts=COLUMN). Quoted fields may span lines: the following physical lines
// are continuations of the record that started on the first one. Generic on purpose:
// specific CSV exports (Procmon, Wireshark…) have their own importers, so this one never
// claims more than 0.5.
import type { DetectSample, ImportContext, ImportSink, LineParser, TextImporter } from './types.ts';
import { CsvRecordReader, detectDelimiter, splitOneLine } from './csv-split.ts';
import { checkMap, findName, resolveLayout, type FlatRecord, type RecordLayout } from './log-fields.ts';
import { findTimeField, parseTimeValue } from './log-time.ts';
import { buildRecordEvent, ProcessNames } from './log-event.ts';

/** A quoted field still open after this many lines or characters is taken as unterminated. */
const MAX_RECORD_LINES = 200;
const MAX_RECORD_CHARS = 1 << 20;

/** Numeric text that converts to a JS number without changing its meaning ("007" stays text). */
function cellValue(text: string): string | number | null {
  if (text === '') return null;
  if (/^-?(0|[1-9]\d{0,14})(\.\d{1,6})?$/.test(text)) return Number(text);
  return text;
}

/** Header names made unique ("value", "value_2"), blanks named by position. */
function uniqueNames(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((raw, i) => {
    const base = raw.trim() === '' ? `column_${i + 1}` : raw.trim();
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}_${count}`;
  });
}

function looksLikeHeader(cells: string[]): boolean {
  if (cells.length < 2) return false;
  return cells.every((c) => c.length <= 80 && parseTimeValue(c, 'UTC', false) === null) && !cells.every((c) => /^[-+.\d]*$/.test(c));
}

function detect(sample: DetectSample): number {
  const all = sample.lines.filter((l) => l.trim() !== '' && !l.startsWith('#'));
  // The sample's last line may be cut off mid-record.
  const lines = all.length > 2 ? all.slice(0, Math.min(all.length - 1, 60)) : all;
  const headerLine = lines[0];
  if (headerLine === undefined || /^\s*[[{]/.test(headerLine)) return 0;
  const delimiter = detectDelimiter(headerLine);
  const header = splitOneLine(headerLine, delimiter);
  if (!looksLikeHeader(header)) return 0;
  const reader = new CsvRecordReader(delimiter);
  const rows: string[][] = [];
  for (const line of lines.slice(1)) {
    const rec = reader.push(line);
    if (rec) rows.push(rec);
  }
  if (rows.length === 0) return 0;
  const consistent = rows.filter((r) => r.length === header.length).length / rows.length;
  if (consistent < 0.8) return 0;
  const first = rows.find((r) => r.length === header.length) ?? [];
  const names = uniqueNames(header);
  const ts = findTimeField(names, (n) => cellValue(first[names.indexOf(n)] ?? ''), 'UTC');
  return ts !== null ? 0.5 : 0.3;
}

class DelimitedParser implements LineParser {
  private header: string[] | null = null;
  private reader: CsvRecordReader | null = null;
  private layout: RecordLayout | null = null;
  /** Physical lines of the record being assembled (kept to resync after an unterminated quote). */
  private held: { text: string; n: number }[] = [];
  private readonly names = new ProcessNames();

  constructor(
    private readonly ctx: ImportContext,
    private readonly sink: ImportSink,
  ) {
    checkMap(ctx.map);
  }

  line(text: string, n: number): void {
    if (this.header === null || this.reader === null) return this.headerLine(text, n);
    if (this.held.length === 0 && text.trim() === '') return this.sink.skip(n);
    this.held.push({ text, n });
    const fields = this.reader.push(text);
    if (fields === null) {
      if (this.reader.openLines > MAX_RECORD_LINES || this.reader.openChars > MAX_RECORD_CHARS) {
        this.giveUp(`unterminated quoted field (record still open after ${this.reader.openLines} lines)`);
      }
      return;
    }
    const [first, ...rest] = this.held;
    this.held = [];
    if (first === undefined) return;
    this.record(fields, first.n, first.text);
    for (const l of rest) this.sink.continuation(l.n);
  }

  end(): void {
    while (this.held.length > 0) this.giveUp('unterminated quoted field at end of file');
  }

  /** Rejects the line that opened the broken record and reads the lines after it afresh. */
  private giveUp(reason: string): void {
    const [first, ...rest] = this.held;
    this.held = [];
    this.reader?.reset();
    if (first === undefined) return;
    this.sink.reject(first.n, reason, first.text);
    for (const l of rest) this.line(l.text, l.n);
  }

  private headerLine(text: string, n: number): void {
    if (text.trim() === '' || text.startsWith('#')) return this.sink.skip(n);
    const delimiter = detectDelimiter(text);
    const cells = splitOneLine(text, delimiter);
    if (!looksLikeHeader(cells)) {
      throw new Error(`${this.ctx.fileName}: line ${n} is not a CSV/TSV header row (need at least two column names, not data)`);
    }
    this.header = uniqueNames(cells);
    this.reader = new CsvRecordReader(delimiter);
    for (const [role, column] of Object.entries(this.ctx.map)) {
      if (findName(this.header, column) === null) {
        throw new Error(`--map ${role}=${column}: no such column (columns: ${this.header.join(', ')})`);
      }
    }
    this.sink.skip(n);
  }

  private record(cells: string[], n: number, raw: string): void {
    const header = this.header ?? [];
    if (cells.length === header.length + 1 && cells[cells.length - 1] === '') cells.pop(); // trailing delimiter
    if (cells.length !== header.length) {
      return this.sink.reject(n, `${cells.length} field(s), the header has ${header.length}`, raw);
    }
    const rec: FlatRecord = new Map();
    header.forEach((name, i) => rec.set(name, cellValue(cells[i] ?? '')));
    if (this.layout === null) {
      const layout = resolveLayout(header, this.ctx, (name) => rec.get(name));
      if (layout.ts === null) {
        throw new Error(`${this.ctx.fileName}: no time column found (columns: ${header.join(', ')}); name it with --map ts=COLUMN`);
      }
      this.layout = layout;
    }
    const tsColumn = this.layout.ts ?? '';
    const tsUs = parseTimeValue(rec.get(tsColumn), this.ctx.tz, true);
    if (tsUs === null) return this.sink.reject(n, `column "${tsColumn}" is not a readable time: ${String(rec.get(tsColumn)).slice(0, 60)}`, raw);
    this.sink.event(buildRecordEvent(rec, this.layout, tsUs, n, this.ctx, this.names));
  }
}

export const delimitedImporter: TextImporter = {
  mode: 'text',
  format: 'csv',
  module: import.meta.url,
  title: 'CSV / TSV event log with a header row (generic)',
  reads: 'comma, tab, ";" or "|" separated, header row, RFC 4180 quoting (multi-line fields); time column by name/content or --map ts=COLUMN',
  version: '0.1.0',
  detect,
  open: (ctx, sink) => new DelimitedParser(ctx, sink),
};
