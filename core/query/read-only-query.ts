// Runs an analyst's SQL against a case without letting it change anything or reach outside the
// case: one SELECT whose parse tree names only the case's tables and allowed functions
// (statement-check.ts, sql-allow-list.ts); the instance itself has external access disabled
// (no read_csv of arbitrary files, no ATTACH, no COPY, no extension loading).
import { DuckDBListValue, DuckDBTimestampTZValue, DuckDBTimestampValue, StatementType, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { QueryCell, QueryResponse } from '../model/query-result.ts';
import { usToIso } from '../util/time.ts';
import type { CaseStore } from '../store/case-store.ts';
import { QueryFailedError, QueryRefusedError } from './query-errors.ts';
import { queryPolicy } from './sql-allow-list.ts';
import { checkSelectTree, readSerialized } from './statement-check.ts';

export { QueryFailedError, QueryRefusedError };

export type QueryResult = QueryResponse;

/**
 * Values as JSON-safe JS: BIGINT → number when exact, else string; timestamps → ISO 8601 UTC
 * with all six fraction digits (JS Date would drop the microseconds); lists → arrays; other
 * DuckDB values (intervals, decimals, structs…) → their DuckDB text.
 */
function jsonSafe(v: DuckDBValue): QueryCell {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if ((v instanceof DuckDBTimestampValue || v instanceof DuckDBTimestampTZValue) && v.isFinite) {
    return usToIso(Number(v.micros));
  }
  if (v instanceof DuckDBListValue) return v.items.map(jsonSafe);
  return String(v);
}

/** The statement's first words, comments skipped, for naming a refused statement. */
function leadingWords(text: string): string {
  const stripped = text.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ').trim();
  const words = stripped.split(/\s+/).slice(0, 2).map((w) => w.toUpperCase());
  const [first = '', second = ''] = words;
  return /^(ANALYZE|DATABASE|TABLE|VARIABLE|SECRET|PERSISTENT|TEMP|TEMPORARY|OR)$/.test(second) ? `${first} ${second}` : first;
}

/** Why json_serialize_sql gave no tree, as the analyst should read it. */
function notASelect(text: string, reason: string): QueryRefusedError {
  const words = leadingWords(text);
  if (/\bPIVOT\b/i.test(text)) return pivotHint();
  return new QueryRefusedError(`only SELECT queries are allowed in the query console: ${words || 'this statement'} refused${reason ? ` (${reason})` : ''}`);
}

/** DuckDB runs a PIVOT without an IN list as several statements (it first collects the values). */
function pivotHint(): QueryRefusedError {
  return new QueryRefusedError(
    "only SELECT queries are allowed in the query console, and a PIVOT without its column values is several statements: list them, as in PIVOT events ON kind IN ('api', 'file') USING count(*)",
  );
}

function refusal(err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  if (/file system operations are disabled|external access|Permission Error/i.test(message)) {
    return new QueryRefusedError(`reading files or other databases is not allowed in a query: ${message.split('\n')[0]}`);
  }
  return new QueryFailedError(message);
}

/**
 * Words a SELECT can start with. Anything else is refused before DuckDB parses it: parsing alone
 * is not always harmless (DuckDB's parser reads the files named by IMPORT DATABASE).
 */
const SELECT_STARTS = new Set(['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE', 'PIVOT', 'UNPIVOT', 'DESCRIBE', 'SUMMARIZE', '(']);

/**
 * Parses with DuckDB and checks the tree against the allow-list; throws QueryRefusedError.
 * Returns the statement's query node (core/export checks an analyst's WHERE clause with it).
 */
export async function assertAllowed(conn: DuckDBConnection, text: string): Promise<Record<string, unknown>> {
  const words = leadingWords(text);
  const first = words.startsWith('(') ? '(' : (/^[A-Z_]+/.exec(words)?.[0] ?? '');
  if (!SELECT_STARTS.has(first)) throw new QueryRefusedError(`only SELECT queries are allowed in the query console: ${words || 'an empty statement'} refused`);
  const extracted = await conn.extractStatements(text).catch((err: unknown) => {
    throw new QueryRefusedError(`SQL does not parse: ${err instanceof Error ? err.message : String(err)}`);
  });
  if (extracted.count !== 1 && /\bPIVOT\b/i.test(text)) throw pivotHint();
  if (extracted.count !== 1) throw new QueryRefusedError(`only SELECT queries are allowed in the query console: give exactly one statement (got ${extracted.count})`);
  const serialized = await conn.runAndReadAll('SELECT json_serialize_sql(?::VARCHAR)', [text]);
  const parsed = readSerialized(String(serialized.getRows()[0]?.[0] ?? '{}'));
  if (!parsed.ok) {
    if (parsed.kind === 'parser') throw new QueryRefusedError(`SQL does not parse: ${parsed.message}`);
    throw notASelect(text, parsed.kind === 'not implemented' ? '' : parsed.message);
  }
  checkSelectTree(parsed.node, await queryPolicy(conn));
  return parsed.node;
}

/**
 * Runs one analyst's SELECT on a connection of its own, inside a READ ONLY transaction that is
 * rolled back: the allow-list decides what the statement may name, the transaction that it
 * writes nothing even on a case the UI holds open for writing, and the instance's disabled
 * external access that no file outside the case is read.
 */
export async function runReadOnlyQuery(store: CaseStore, text: string, maxRows = 100_000): Promise<QueryResult> {
  const session = await store.openSession();
  const conn = session.conn;
  try {
    await assertAllowed(conn, text);
    await conn.run('BEGIN TRANSACTION READ ONLY');
    try {
      const extracted = await conn.extractStatements(text);
      const prepared = await extracted.prepare(0).catch((err: unknown) => {
        throw refusal(err);
      });
      if (prepared.statementType !== StatementType.SELECT) {
        throw new QueryRefusedError(`only SELECT queries are allowed in the query console (statement type ${StatementType[prepared.statementType]})`);
      }
      const result = await prepared.runAndReadUntil(maxRows + 1).catch((err: unknown) => {
        throw refusal(err);
      });
      const columns = result.columnNames();
      const rows = result.getRows().map((r) => r.map(jsonSafe));
      const truncated = rows.length > maxRows;
      return { columns, rows: truncated ? rows.slice(0, maxRows) : rows, truncated };
    } finally {
      await conn.run('ROLLBACK').catch(() => undefined);
    }
  } finally {
    session.close();
  }
}
