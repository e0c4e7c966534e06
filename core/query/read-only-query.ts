// Runs an analyst's SQL against a case without letting it change anything or reach outside the
// case: one statement, of a reading type only; the instance itself has external access disabled
// (no read_csv of arbitrary files, no ATTACH, no COPY, no extension loading).
import { DuckDBListValue, DuckDBTimestampTZValue, DuckDBTimestampValue, StatementType, type DuckDBValue } from '@duckdb/node-api';
import { usToIso } from '../util/time.ts';
import type { CaseStore } from '../store/case-store.ts';

export class QueryRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryRefusedError';
  }
}

const READING_TYPES = new Set<StatementType>([StatementType.SELECT, StatementType.EXPLAIN]);

export interface QueryResult {
  columns: string[];
  rows: unknown[][];
  truncated: boolean;
}

/**
 * Values as JSON-safe JS: BIGINT → number when exact, else string; timestamps → ISO 8601 UTC
 * with all six fraction digits (JS Date would drop the microseconds); lists → arrays; other
 * DuckDB values (intervals, decimals, structs…) → their DuckDB text.
 */
function jsonSafe(v: DuckDBValue): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if ((v instanceof DuckDBTimestampValue || v instanceof DuckDBTimestampTZValue) && v.isFinite) {
    return usToIso(Number(v.micros));
  }
  if (v instanceof DuckDBListValue) return v.items.map(jsonSafe);
  return String(v);
}

/** Leading keywords of statements that only read. Checked before DuckDB binds the statement so
 * that a write is refused with a clear message even when it would also fail to bind. */
const READING_KEYWORDS = new Set(['select', 'with', 'from', 'explain', 'values', 'summarize', 'describe', 'show', 'table', 'pivot', 'unpivot', '(']);

function firstKeyword(text: string): string {
  const stripped = text.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ').trimStart();
  if (stripped.startsWith('(')) return '(';
  return (/^[A-Za-z_]+/.exec(stripped)?.[0] ?? '').toLowerCase();
}

function refusal(err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  if (/file system operations are disabled|external access|Permission Error/i.test(message)) {
    return new QueryRefusedError(`reading files or other databases is not allowed in a query: ${message.split('\n')[0]}`);
  }
  return err instanceof Error ? err : new Error(message);
}

export async function runReadOnlyQuery(store: CaseStore, text: string, maxRows = 100_000): Promise<QueryResult> {
  // The read-only open is what disables file access; refuse to run analysts' SQL elsewhere.
  if (!store.readOnly) throw new QueryRefusedError('analysts\' queries run only on a case opened read-only');
  const conn = store.connection();
  const keyword = firstKeyword(text);
  if (!READING_KEYWORDS.has(keyword)) {
    throw new QueryRefusedError(
      `only SELECT (and EXPLAIN) queries are allowed: this is a read-only view of the case ("${keyword.toUpperCase() || text.slice(0, 20)}" refused)`,
    );
  }
  const extracted = await conn.extractStatements(text).catch((err: unknown) => {
    throw new QueryRefusedError(`SQL does not parse: ${err instanceof Error ? err.message : String(err)}`);
  });
  if (extracted.count !== 1) throw new QueryRefusedError(`give exactly one statement (got ${extracted.count})`);
  const prepared = await extracted.prepare(0).catch((err: unknown) => {
    throw refusal(err);
  });
  if (!READING_TYPES.has(prepared.statementType)) {
    throw new QueryRefusedError(
      `only SELECT (and EXPLAIN) queries are allowed: this is a read-only view of the case (statement type ${StatementType[prepared.statementType]})`,
    );
  }
  const result = await prepared.runAndReadUntil(maxRows + 1).catch((err: unknown) => {
    throw refusal(err);
  });
  const columns = result.columnNames();
  const rows = result.getRows().map((r) => r.map(jsonSafe));
  const truncated = rows.length > maxRows;
  return { columns, rows: truncated ? rows.slice(0, maxRows) : rows, truncated };
}
