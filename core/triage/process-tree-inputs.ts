// Where triage's process tree (process-tree.ts) reads its pid spans and lifecycle calls: the rows
// core/process keeps per capture since migration 16 (process_pid_spans, process_lifecycle_rows,
// computed once after each import), or, for a capture whose kept rows are missing, out of date or
// hold one pid under several hosts (triage's spans are per capture and pid), its events. The kept
// rows are the same aggregates and the same calls, so the tree is the same; reading them skips a
// GROUP BY over every event and the scans for a few thousand spawn and exec calls.
import type { CaseStore } from '../store/case-store.ts';
import { sql, type Sql } from '../store/sql.ts';
import { idList } from './scope.ts';

export interface TreeSources {
  /** Rows (capture_id, pid, first_us, last_us, process, ppid) for the captures `only` admits. */
  spans: Sql;
  /** Rows with the columns of event_rows a lifecycle query reads (capture_id, pid, ts_us, event_id, op, target, args, ret, error). */
  calls: Sql;
}

/** `only`: a predicate over capture_id (the captures the tree is built for). */
export async function treeSources(store: CaseStore, only: Sql): Promise<TreeSources> {
  const kept = await usableKeptCaptures(store, only);
  const fromEvents = (where: Sql): Sql => (kept === null ? where : sql`${where} AND NOT list_contains(${kept}, capture_id)`);
  const spansOfEvents = sql`SELECT capture_id, pid, min(ts_us) AS first_us, max(ts_us) AS last_us, mode(process) AS process, max(ppid) AS ppid
                            FROM event_rows WHERE ${fromEvents(only)} AND pid IS NOT NULL GROUP BY capture_id, pid`;
  const callsOfEvents = sql`SELECT capture_id, pid, ts_us, event_id, op, target, args, ret, error FROM event_rows WHERE ${fromEvents(only)}`;
  if (kept === null) return { spans: spansOfEvents, calls: sql`(${callsOfEvents})` };
  return {
    spans: sql`(SELECT capture_id, pid, first_us, last_us, process, ppid FROM process_pid_spans WHERE list_contains(${kept}, capture_id)
                UNION ALL ${spansOfEvents})`,
    calls: sql`(SELECT capture_id, pid, ts_us, event_id, op, target, args, ret, error FROM process_lifecycle_rows WHERE list_contains(${kept}, capture_id)
                UNION ALL ${callsOfEvents})`,
  };
}

/** The captures among `only` whose kept rows are up to date and hold each pid once; null when none (or no kept tables). */
async function usableKeptCaptures(store: CaseStore, only: Sql): Promise<Sql | null> {
  const tables = await store.one(sql`SELECT count(*) AS n FROM duckdb_tables() WHERE NOT temporary AND table_name IN ('process_pid_spans', 'process_lifecycle_rows', 'process_span_captures')`, { n: 'num' });
  if ((tables?.n ?? 0) < 3) return null;
  const rows = await store.rows(
    sql`SELECT s.capture_id FROM process_pid_spans s
        WHERE ${only} AND s.capture_id IN (SELECT k.capture_id FROM process_span_captures k JOIN captures c USING (capture_id)
                                           WHERE k.events = c.events AND k.clock_offset_us = c.clock_offset_us)
        GROUP BY s.capture_id HAVING count(*) = count(DISTINCT s.pid)`,
    { capture_id: 'num' },
  );
  if (rows.length === 0) return null;
  return idList(rows.map((r) => r.capture_id));
}
