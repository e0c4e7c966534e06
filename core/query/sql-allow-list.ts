// What the query console lets an analyst's SELECT use: the case's own tables and views, and the
// scalar, aggregate and window functions of this DuckDB build minus those that reach files, the
// network, settings, secrets, extensions or the catalog. The allow-list is read from DuckDB
// itself (duckdb_functions()) so a new string or date function is usable on upgrade, while the
// deny-list below names the families that must never be.
import type { DuckDBConnection } from '@duckdb/node-api';

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
 * Scalar and aggregate functions (DuckDB lists window functions such as row_number and lag as
 * aggregates) plus the built-in scalar macros whose body runs no query (list_sum, nullif,
 * date_add…; a macro with a SELECT inside, like get_block_size, is left out), minus the
 * deny-list. The same for every case: one DuckDB build per process.
 */
export function allowedFunctions(conn: DuckDBConnection): Promise<ReadonlySet<string>> {
  functionsOnce ??= (async () => {
    const reader = await conn.runAndReadAll(
      `SELECT DISTINCT lower(function_name) FROM duckdb_functions()
       WHERE function_type IN ('scalar', 'aggregate')
          OR (function_type = 'macro' AND schema_name = 'main' AND macro_definition NOT ILIKE '%select%')`,
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

/** The policy for one case: its tables and views and the function allow-list. */
export async function queryPolicy(conn: DuckDBConnection): Promise<QueryPolicy> {
  const db = await conn.runAndReadAll('SELECT lower(current_database())');
  const reader = await conn.runAndReadAll(
    `SELECT lower(table_name) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'
     UNION ALL
     SELECT lower(view_name) FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal`,
  );
  return {
    database: String(db.getRows()[0]?.[0] ?? ''),
    relations: new Set(reader.getRows().map((r) => String(r[0]))),
    functions: await allowedFunctions(conn),
  };
}
