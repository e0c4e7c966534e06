// Rows left by a write that never committed. DuckDB 1.5 replays a WAL's ROW_GROUP_DATA entries
// straight into the table, outside the replay's transaction, so an import killed while DuckDB was
// writing its commit to the WAL comes back as event rows with no `captures` row (see
// docs/architecture.md, "All-or-nothing imports"). The import path no longer writes such WAL
// entries; this is the second line: such rows are found when a case opens, removed (writable,
// recorded in audit_log) or hidden from every reader (read-only), and never counted.
import type { CaseSession } from './case-session.ts';
import { ident, sql } from './sql.ts';

/** Tables whose rows belong to a capture by `capture_id`; a row without its capture is an orphan. */
export const CAPTURE_OWNED_TABLES = ['event_rows', 'rejects', 'lane_summary', 'lane_summary_coarse', 'capture_lanes'] as const;

export interface OrphanRows {
  /** Capture ids that own rows but have no `captures` row. */
  captureIds: number[];
  /** Orphan rows per table (tables without any are left out). */
  rows: Record<string, number>;
  total: number;
}

/** Counts rows whose capture does not exist, per table. */
export async function findOrphans(session: CaseSession): Promise<OrphanRows> {
  const rows: Record<string, number> = {};
  const ids = new Set<number>();
  let total = 0;
  for (const table of CAPTURE_OWNED_TABLES) {
    const found = await session.rows(
      sql`SELECT capture_id, count(*) AS n FROM ${ident(table, CAPTURE_OWNED_TABLES)}
          WHERE capture_id NOT IN (SELECT capture_id FROM captures) GROUP BY capture_id`,
      { capture_id: 'num', n: 'num' },
    );
    for (const r of found) {
      ids.add(r.capture_id);
      rows[table] = (rows[table] ?? 0) + r.n;
      total += r.n;
    }
  }
  return { captureIds: [...ids].sort((a, b) => a - b), rows, total };
}

/** Deletes orphan rows from every capture-owned table (run inside the caller's transaction). */
export async function deleteOrphans(session: CaseSession): Promise<void> {
  for (const table of CAPTURE_OWNED_TABLES) {
    await session.exec(sql`DELETE FROM ${ident(table, CAPTURE_OWNED_TABLES)} WHERE capture_id NOT IN (SELECT capture_id FROM captures)`);
  }
}

/**
 * Statements that hide orphan rows from one connection of a read-only open: a temporary view per
 * table, named like the table, which every unqualified query (and the `events` view) reads first.
 */
export function hideOrphansSql(database: string): string[] {
  const db = `"${database.replace(/"/g, '""')}"`;
  return CAPTURE_OWNED_TABLES.map(
    (table) =>
      `CREATE OR REPLACE TEMP VIEW ${table} AS SELECT * FROM ${db}.main.${table} ` +
      `WHERE capture_id IN (SELECT capture_id FROM ${db}.main.captures)`,
  );
}
