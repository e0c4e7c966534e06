// Events per target, kept per capture (migration 15), so stacking by target, directory or endpoint
// answers from a table of distinct targets instead of reading the target of every event (on
// 5 M events that read alone took about a second). Counted when a capture is committed
// (capture-writer.ts, beside its column values: an import with --no-triage left them uncounted,
// and stacking scanned the events until the next import), and for captures of older cases by
// rebuildDerived (core/case/derived.ts); a read never writes them (it would wait behind an
// import), it scans the events instead while a capture is not counted. Only filters over the
// table's own columns can use it: captures, hosts, kinds, categories, ops.
import type { EventFilter } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, sql, type Sql } from '../store/sql.ts';

/** Filter members the counts table can answer exactly (every other member needs the events). */
const COUNTED_MEMBERS = new Set<keyof EventFilter>(['capture_ids', 'hosts', 'kinds', 'categories', 'ops']);

export function countsCanAnswer(filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(
    ([key, value]) => value === undefined || (Array.isArray(value) && value.length === 0) || COUNTED_MEMBERS.has(key as keyof EventFilter),
  );
}

/** True when every capture's targets are counted. */
export async function targetCountsComplete(store: CaseStore): Promise<boolean> {
  return (await uncounted(store)).length === 0;
}

/** Captures whose events are not counted yet. */
async function uncounted(store: CaseStore): Promise<number[]> {
  const rows = await store.read.rows(
    sql`SELECT c.capture_id FROM captures c LEFT JOIN target_counts_captures t USING (capture_id)
        WHERE t.capture_id IS NULL OR t.events <> c.events ORDER BY 1`,
    { capture_id: 'num' },
  );
  return rows.map((r) => r.capture_id);
}

/** INSERT … SELECTs counting one capture's targets (and noting it counted), as ensureTargetCounts does. */
export function fillTargetCountsSql(captureId: number): Sql[] {
  return fillSql(sql`${captureId}`);
}

function fillSql(ids: Sql): Sql[] {
  return [
    sql`INSERT INTO target_counts
        SELECT capture_id, host, kind, category, op, target, count(*) FROM event_rows
        WHERE capture_id IN (${ids}) AND target IS NOT NULL GROUP BY ALL`,
    sql`INSERT INTO target_counts_captures SELECT capture_id, events FROM captures WHERE capture_id IN (${ids})`,
  ];
}

/** Counts the captures not counted yet. Returns false when some remain uncounted (a read-only case). */
export async function ensureTargetCounts(store: CaseStore): Promise<boolean> {
  const missing = await uncounted(store);
  if (missing.length === 0) return true;
  if (store.readOnly) return false;
  const ids = joinSql(missing.map((id) => sql`${id}`), ', ');
  await store.transaction(async () => {
    await store.exec(sql`DELETE FROM target_counts WHERE capture_id IN (${ids})`);
    await store.exec(sql`DELETE FROM target_counts_captures WHERE capture_id IN (${ids})`);
    for (const statement of fillSql(ids)) await store.exec(statement);
  });
  return true;
}

/** Forgets counts of captures that no longer exist (run after a capture is removed). */
export async function dropStaleTargetCounts(store: CaseStore): Promise<void> {
  if (store.readOnly) return;
  await store.transaction(async () => {
    await store.exec(sql`DELETE FROM target_counts WHERE capture_id NOT IN (SELECT capture_id FROM captures)`);
    await store.exec(sql`DELETE FROM target_counts_captures WHERE capture_id NOT IN (SELECT capture_id FROM captures)`);
  });
}
