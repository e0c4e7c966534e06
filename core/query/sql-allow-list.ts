// What the query console lets an analyst's SELECT use: the case's own tables and views, and the
// scalar, aggregate and window functions of this DuckDB build minus those that reach files, the
// network, settings, secrets, extensions or the catalog. The allow-list is read from DuckDB
// itself (duckdb_functions()) so a new string or date function is usable on upgrade, while the
// deny-list below names the families that must never be.
import type { DuckDBConnection } from '@duckdb/node-api';
import { checkSelectTree, readSerialized } from './statement-check.ts';
import { programViews } from '../store/program-views.ts';

export interface QueryPolicy {
  /** The case database's name (lower case): `<name>.events` is the case's own table. */
  database: string;
  /** Tables and views of the case (lower case). */
  relations: ReadonlySet<string>;
  /** Functions an expression may call (lower case). */
  functions: ReadonlySet<string>;
}

/**
 * Names never callable, whatever duckdb_functions() calls them. Table functions are refused
 * wholesale already (they are not scalar or aggregate); these also cover their scalar kin and
 * anything a future DuckDB might list under a scalar name.
 */
export const DENIED_FUNCTIONS: readonly RegExp[] = [
  /^read_/, // read_text, read_blob, read_csv, read_json, read_parquet…: files
  /glob/, // glob(): lists files (the GLOB operator is "~~~", a string match, and stays)
  /_scan$/, // parquet_scan, arrow_scan, seq_scan…
  /^sniff_csv$/,
  /^parquet_/, // parquet_metadata, parquet_schema…: files
  /^(force_)?checkpoint$/,
  /^duckdb_/, // duckdb_secrets, duckdb_extensions, duckdb_settings, duckdb_tables…: the catalog and the instance
  /^pragma_/, // pragma_database_list, pragma_storage_info…
  /^(current_setting|getenv|getvariable|setseed)$/, // settings, the environment, session state
  /^(query|query_table)$/, // run SQL given as a string: would skip every check here
  /^json_(serialize|deserialize)_(sql|plan)$/, // parse or plan SQL given as a string (planning binds file readers)
  /^json_execute_serialized_sql$/,
  /secret/,
  /extension/,
  /^(enable|disable)_/, // logging, profiling, the optimizer: instance settings
  /^(write_log|truncate_duckdb_logs)$/,
  /^(sleep_ms|pg_sleep)$/, // stalls the backend
  /^(nextval|currval)$/, // sequences: catalog objects, and nextval writes
  /^(current_database|current_catalog|current_schemas?|in_search_path)$/, // the catalog
  /^pg_/, // PostgreSQL catalog shims (pg_get_viewdef reads duckdb_views()…)
  /^has_.*_privilege$/,
  /^(col|obj|shobj)_description$/,
  /^format_(pg_)?type$/, // reads duckdb_types()
  /^__internal_/,
];

/**
 * Functions that duckdb_functions() lists as table functions but that in a SELECT list are
 * ordinary expressions: `SELECT unnest(event_ids) FROM findings`. In FROM they are still refused.
 */
const SELECT_LIST_FORMS = ['unnest'];

export function isDeniedFunction(name: string): boolean {
  return DENIED_FUNCTIONS.some((re) => re.test(name));
}

let functionsOnce: Promise<ReadonlySet<string>> | undefined;

/**
 * DuckDB's built-in scalar and aggregate functions (window functions such as row_number and lag
 * are listed as aggregates) plus the built-in scalar macros whose body runs no query (list_sum,
 * nullif, date_add…; get_block_size, with a SELECT inside, is left out), minus the deny-list.
 * Built-in only: a macro stored in a crafted case file is never callable, since its body is not
 * checked here. The same for every case: one DuckDB build per process.
 */
export function allowedFunctions(conn: DuckDBConnection): Promise<ReadonlySet<string>> {
  functionsOnce ??= (async () => {
    const reader = await conn.runAndReadAll(
      `SELECT DISTINCT lower(function_name) FROM duckdb_functions()
       WHERE database_name = 'system' AND internal
         AND (function_type IN ('scalar', 'aggregate')
              OR (function_type = 'macro' AND schema_name = 'main' AND macro_definition NOT ILIKE '%select%' AND macro_definition NOT ILIKE '%from%'))`,
    );
    const names = reader.getRows().map((r) => String(r[0]));
    return new Set([...names, ...SELECT_LIST_FORMS].filter((n) => !isDeniedFunction(n)));
  })();
  const pending = functionsOnce;
  pending.catch(() => {
    if (functionsOnce === pending) functionsOnce = undefined; // let the next query try again
  });
  return pending;
}

/** `CREATE VIEW name AS <query>;` → the query, or null when the text has another shape. */
function viewQuery(createSql: string): string | null {
  const m = /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+(?:"(?:[^"]|"")*"|[\w.]+)\s+AS\s+([\s\S]*?);?\s*$/i.exec(createSql);
  return m?.[1] ?? null;
}

/**
 * The policy for one case: its tables, its views and the function allow-list. A view is a
 * relation only when its own query passes the same check over the tables and the views already
 * accepted (a crafted case file
 * could hold a view that calls what the allow-list refuses); a view that fails is simply not
 * offered, and naming it is refused like any unknown table.
 */
export async function queryPolicy(conn: DuckDBConnection): Promise<QueryPolicy> {
  const db = await conn.runAndReadAll('SELECT lower(current_database())');
  const database = String(db.getRows()[0]?.[0] ?? '');
  const tables = await conn.runAndReadAll(
    "SELECT lower(table_name) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'",
  );
  const functions = await allowedFunctions(conn);
  const tablePolicy: QueryPolicy = {
    database,
    relations: new Set([...tables.getRows().map((r) => String(r[0])), ...programViews(conn)]),
    functions,
  };
  const views = await conn.runAndReadAll(
    "SELECT lower(view_name), sql FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal",
  );
  // A view over views passes once the views it reads have: repeat until no more views pass.
  const relations = new Set(tablePolicy.relations);
  let pending = views
    .getRows()
    .map(([name, createSql]) => ({ name: String(name), createSql: String(createSql) }))
    .filter((v) => !relations.has(v.name));
  for (let grew = true; grew && pending.length > 0; ) {
    grew = false;
    const still: typeof pending = [];
    for (const view of pending) {
      if (await viewIsAllowed(conn, view.createSql, { database, relations, functions })) {
        relations.add(view.name);
        grew = true;
      } else {
        still.push(view);
      }
    }
    pending = still;
  }
  return { database, relations, functions };
}

async function viewIsAllowed(conn: DuckDBConnection, createSql: string, policy: QueryPolicy): Promise<boolean> {
  const query = viewQuery(createSql);
  if (query === null) return false;
  const serialized = await conn.runAndReadAll('SELECT json_serialize_sql(?::VARCHAR)', [query]);
  const parsed = readSerialized(String(serialized.getRows()[0]?.[0] ?? '{}'));
  if (!parsed.ok) return false;
  try {
    checkSelectTree(parsed.node, policy);
    return true;
  } catch {
    return false; // the refusal's reason matters only for the analyst's own statement
  }
}
