// One exported event as a line of text, per export format. Pure: the streaming exporter
// (export-events.ts) feeds rows in, these say how each row reads.
//   csv         RFC 4180 with a header, every text cell formula-safe (core/query/csv-cell.ts)
//   jsonl       one JSON object per line, the chosen columns, ts as ISO 8601 UTC
//   timesketch  Timesketch's JSONL import format: `message`, `datetime` (ISO 8601), `timestamp`
//               (µs since the epoch), `timestamp_desc`, then the event's columns as attributes
import { csvCell } from '../query/csv-cell.ts';
import { usToIso } from '../util/time.ts';

export const EXPORT_FORMATS = ['csv', 'jsonl', 'timesketch'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Columns an export may carry, in the table's order; `capture` is the capture's file name. */
export const EXPORT_COLUMNS = [
  'event_id',
  'ts',
  'dur_us',
  'capture',
  'host',
  'pid',
  'tid',
  'ppid',
  'process',
  'kind',
  'level',
  'op',
  'category',
  'target',
  'args',
  'ret',
  'error',
  'source_line',
] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

/** An event as the exporter reads it (ts as µs; the line writers turn it into ISO 8601). */
export interface ExportRow {
  event_id: number;
  ts_us: number;
  dur_us: number | null;
  capture: string | null;
  host: string | null;
  pid: number | null;
  tid: number | null;
  ppid: number | null;
  process: string | null;
  kind: string;
  level: string | null;
  op: string;
  category: string;
  target: string | null;
  args: string | null;
  ret: string | null;
  error: string | null;
  source_line: number;
}

function value(row: ExportRow, column: ExportColumn): string | number | null {
  return column === 'ts' ? usToIso(row.ts_us) : row[column];
}

export function csvHeader(columns: readonly ExportColumn[]): string {
  return `${columns.map(csvCell).join(',')}\n`;
}

export function csvLine(row: ExportRow, columns: readonly ExportColumn[]): string {
  return `${columns.map((c) => csvCell(value(row, c))).join(',')}\n`;
}

export function jsonLine(row: ExportRow, columns: readonly ExportColumn[]): string {
  return `${JSON.stringify(Object.fromEntries(columns.map((c) => [c, value(row, c)])))}\n`;
}

/** What Timesketch shows for the time of every exported event. */
export const TIMESKETCH_TIMESTAMP_DESC = 'Event Time';
const MESSAGE_ARGS_MAX = 200;

function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}

/** A readable one-line summary: who (process[pid]@host), what (op), on what (target, args), how it ended. */
export function eventMessage(row: ExportRow): string {
  const who = `${row.process ?? '?'}${row.pid === null ? '' : `[${row.pid}]`}${row.host ? `@${row.host}` : ''}`;
  const parts = [who, row.op];
  if (row.target) parts.push(row.target);
  if (row.args && row.args !== row.target) {
    parts.push(row.args.length > MESSAGE_ARGS_MAX ? `(${row.args.slice(0, MESSAGE_ARGS_MAX)}…)` : `(${row.args})`);
  }
  if (row.ret !== null && row.ret !== '') parts.push(`= ${row.ret}`);
  if (row.error) parts.push(row.error);
  return oneLine(parts.join(' '));
}

/**
 * One Timesketch JSONL line. Attributes with no value are left out (Timesketch needs none of
 * them), and none may start with "_" or reuse the required names: Timesketch reserves those.
 */
export function timesketchLine(row: ExportRow): string {
  const line: Record<string, string | number> = {
    message: eventMessage(row),
    datetime: usToIso(row.ts_us),
    timestamp: row.ts_us,
    timestamp_desc: TIMESKETCH_TIMESTAMP_DESC,
  };
  for (const c of EXPORT_COLUMNS) {
    if (c === 'ts') continue;
    const v = row[c];
    if (v !== null && v !== '') line[c] = v;
  }
  return `${JSON.stringify(line)}\n`;
}

/** The file's first text (a CSV header) and the text of each row, for `format`. */
export function lineWriter(format: ExportFormat, columns: readonly ExportColumn[]): { head: string; line: (row: ExportRow) => string } {
  if (format === 'csv') return { head: csvHeader(columns), line: (row) => csvLine(row, columns) };
  if (format === 'jsonl') return { head: '', line: (row) => jsonLine(row, columns) };
  return { head: '', line: timesketchLine };
}

export const EXPORT_MIME: Record<ExportFormat, string> = {
  csv: 'text/csv',
  jsonl: 'application/x-ndjson',
  timesketch: 'application/x-ndjson',
};

export const EXPORT_EXTENSION: Record<ExportFormat, string> = {
  csv: 'csv',
  jsonl: 'jsonl',
  timesketch: 'timesketch.jsonl',
};
