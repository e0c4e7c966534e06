// Streams a case's events out as CSV, JSON Lines or Timesketch JSONL without holding them: DuckDB
// streams the sorted result chunk by chunk (conn.stream), each chunk becomes text, and the text
// goes to the caller's sink in blocks, waiting for it (a file's backpressure) before reading on.
// The events are either the table's view (an EventFilter, compiled with bound values) or an
// analyst's SQL condition (checked by analyst-filter.ts). Runs on a connection of its own inside
// a READ ONLY transaction, so a long export never blocks or sees half of an import.
import type { EventFilter } from '../api.ts';
import { filterToSql } from '../query/event-filter.ts';
import { orderBy, type EventSort } from '../query/event-page.ts';
import { assertAllowed } from '../query/read-only-query.ts';
import { convertRow } from '../store/rows.ts';
import type { CaseStore } from '../store/case-store.ts';
import { rawSql, sql, type Sql } from '../store/sql.ts';
import { checkAnalystFilter } from './analyst-filter.ts';
import { EXPORT_COLUMNS, lineWriter, type ExportColumn, type ExportFormat, type ExportRow } from './event-lines.ts';

/** Which events: the table's view (filter + sort), or an analyst's WHERE condition over `events` (by time). */
export type ExportSource = { filter: EventFilter; sort?: EventSort } | { where: string };

export interface ExportOptions {
  format: ExportFormat;
  /** Columns of a CSV or JSONL export (default: all); Timesketch lines always carry every column. */
  columns?: readonly ExportColumn[];
  /** Refuse (ExportTooLargeError) rather than write more rows than this. */
  maxRows?: number;
}

export class ExportTooLargeError extends Error {
  constructor(readonly maxRows: number) {
    super(`more than ${maxRows.toLocaleString('en')} events match: narrow the filter, or export from the command line (tracebench export)`);
    this.name = 'ExportTooLargeError';
  }
}

const ROW_SPEC = {
  event_id: 'num',
  ts_us: 'num',
  dur_us: 'num?',
  capture: 'str?',
  host: 'str?',
  pid: 'num?',
  tid: 'num?',
  ppid: 'num?',
  process: 'str?',
  kind: 'str',
  level: 'str?',
  op: 'str',
  category: 'str',
  target: 'str?',
  args: 'str?',
  ret: 'str?',
  error: 'str?',
  source_line: 'num',
} as const;

const SELECT_LIST = rawSql(
  `e.event_id, e.ts_us, e.dur_us, c.file_name AS capture, e.host, e.pid, e.tid, e.ppid, e.process, e.kind, e.level,
   e.op, e.category, e.target, e.args, e.ret, e.error, e.source_line`,
);

/** Text is handed to the sink in blocks of about this many characters. */
const BLOCK_CHARS = 1 << 20;

/**
 * Writes the events of `source` to `sink` in `options.format`; returns how many were written.
 * The sink may be async (a file stream waiting for 'drain'); it is awaited before reading on.
 */
export async function exportEvents(
  store: CaseStore,
  source: ExportSource,
  options: ExportOptions,
  sink: (text: string) => void | Promise<void>,
): Promise<{ rows: number }> {
  const session = await store.openSession();
  const conn = session.conn;
  try {
    let query: Sql;
    if ('where' in source) {
      const checked = await checkAnalystFilter(conn, source.where);
      // The checked statement, whole, as a subquery; the line breaks keep a trailing comment inside it.
      query = sql`SELECT ${SELECT_LIST} FROM (\n${rawSql(checked.statement)}\n) e LEFT JOIN captures c ON c.capture_id = e.capture_id
                  ORDER BY e.ts_us, e.event_id`;
      await assertAllowed(conn, query.render().text); // the statement run is itself one allowed SELECT
    } else {
      query = sql`SELECT ${SELECT_LIST} FROM event_rows e LEFT JOIN captures c ON c.capture_id = e.capture_id
                  WHERE ${filterToSql(source.filter)} ORDER BY ${orderBy(source.sort)}`;
    }
    const columns = options.columns && options.columns.length > 0 ? options.columns : EXPORT_COLUMNS;
    const writer = lineWriter(options.format, columns);
    const { text, params } = query.render();
    await conn.run('BEGIN TRANSACTION READ ONLY');
    try {
      const result = await conn.stream(text, params);
      let rows = 0;
      let block = writer.head;
      for await (const chunk of result.yieldRowObjectJs()) {
        for (const raw of chunk) {
          rows++;
          if (options.maxRows !== undefined && rows > options.maxRows) throw new ExportTooLargeError(options.maxRows);
          block += writer.line(convertRow(raw, ROW_SPEC) as ExportRow);
        }
        if (block.length >= BLOCK_CHARS) {
          await sink(block);
          block = '';
        }
      }
      if (block !== '') await sink(block);
      return { rows };
    } finally {
      await conn.run('ROLLBACK').catch(() => undefined);
    }
  } finally {
    session.close();
  }
}
