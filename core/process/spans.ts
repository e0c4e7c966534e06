// What each capture brings to the process tree, computed once after its import and kept
// (migration 16): its pids' activity (first and last event, count, most frequent process name,
// parent, whether API calls — the one input that needs every event) and its lifecycle events
// (spawn, exec, exit). Kept with the event count and clock offset they were computed at: a capture
// whose count or offset has changed since (an alignment) is read again, and a capture that is gone
// loses its rows. The join across captures is redone whole from these rows (store.ts).
import type { CaseStore } from '../store/case-store.ts';
import { columnarRows } from '../store/columnar-rows.ts';
import { ident, joinSql, sql, type Sql } from '../store/sql.ts';
import type { PidSpan } from './build-tree.ts';
import { LIFECYCLE_OPS, type LifecycleRow } from './lifecycle.ts';
import { parseFields } from '../util/fields-json.ts';

/** The migration that made the tables, and the tables. */
const KEPT_SCHEMA = 16;
const KEPT_TABLES = ['process_pid_spans', 'process_lifecycle_rows', 'process_span_captures'] as const;

const SPAN_SPEC = {
  capture_id: 'num', host: 'str?', pid: 'num', first_us: 'num', last_us: 'num', events: 'num', process: 'str?', ppid: 'num?', api: 'bool',
} as const;

const LIFECYCLE_SPEC = {
  event_id: 'num', capture_id: 'num', ts_us: 'num', kind: 'str', op: 'str', pid: 'num?', ppid: 'num?', process: 'str?', target: 'str?', args: 'str?', ret: 'str?', error: 'str?', fields: 'str?',
} as const;

export interface TreeInputs {
  spans: PidSpan[];
  rows: LifecycleRow[];
}

const idList = (ids: readonly number[]): Sql => joinSql(ids.map((id) => sql`${id}`), ', ');

/** The spans of the given captures, computed from their events. */
function spansSelect(captureIds: readonly number[]): Sql {
  return sql`SELECT capture_id, host, pid, min(ts_us) AS first_us, max(ts_us) AS last_us, count(*) AS events,
                    mode(process) AS process, max(ppid) AS ppid, bool_or(kind = 'api') AS api
             FROM event_rows WHERE capture_id IN (${idList(captureIds)}) AND pid IS NOT NULL
             GROUP BY capture_id, host, pid`;
}

/** The lifecycle events of the given captures (only fields of non-API records are ever read). */
function lifecycleSelect(captureIds: readonly number[]): Sql {
  return sql`SELECT event_id, capture_id, ts_us, kind, op, pid, ppid, process, target, args, ret, error,
                    CASE WHEN kind <> 'api' THEN fields END AS fields
             FROM event_rows WHERE capture_id IN (${idList(captureIds)}) AND op IN (${joinSql(LIFECYCLE_OPS.map((op) => sql`${op}`), ', ')})
               AND pid IS NOT NULL`;
}

/** Captures whose kept rows are missing or out of date (event count or clock offset changed). */
async function staleCaptures(store: CaseStore): Promise<number[]> {
  const rows = await store.rows(
    sql`SELECT c.capture_id FROM captures c LEFT JOIN process_span_captures s USING (capture_id)
        WHERE s.capture_id IS NULL OR s.events <> c.events OR s.clock_offset_us <> c.clock_offset_us ORDER BY 1`,
    { capture_id: 'num' },
  );
  return rows.map((r) => r.capture_id);
}

/** Whether rows of a capture that is gone are still kept. */
async function keepsGoneCaptures(store: CaseStore): Promise<boolean> {
  const row = await store.one(sql`SELECT count(*) AS n FROM process_span_captures WHERE capture_id NOT IN (SELECT capture_id FROM captures)`, { n: 'num' });
  return (row?.n ?? 0) > 0;
}

/** Kept rows of captures that are up to date. */
const FRESH = sql`capture_id IN (SELECT s.capture_id FROM process_span_captures s JOIN captures c USING (capture_id)
                                  WHERE s.events = c.events AND s.clock_offset_us = c.clock_offset_us)`;

/**
 * Brings the kept rows up to date (only the captures that changed are read) and returns every
 * capture's. On a read-only case nothing is written: stale captures are read in memory.
 */
export async function treeInputs(store: CaseStore): Promise<TreeInputs> {
  if (store.readOnly && (await store.schemaVersion()) < KEPT_SCHEMA) {
    // A read-only case written before these rows were kept: every capture is read, nothing kept.
    const all = (await store.rows(sql`SELECT capture_id FROM captures`, { capture_id: 'num' })).map((c) => c.capture_id);
    return all.length === 0 ? { spans: [], rows: [] } : inOrder(await store.rows(spansSelect(all), SPAN_SPEC), await store.rows(lifecycleSelect(all), LIFECYCLE_SPEC));
  }
  const stale = await staleCaptures(store);
  if (store.readOnly) {
    const spans = await columnarRows(store, sql`SELECT * FROM process_pid_spans WHERE ${FRESH}`, SPAN_SPEC);
    const rows = await columnarRows(store, sql`SELECT * FROM process_lifecycle_rows WHERE ${FRESH}`, LIFECYCLE_SPEC);
    if (stale.length > 0) {
      spans.push(...(await store.rows(spansSelect(stale), SPAN_SPEC)));
      rows.push(...(await store.rows(lifecycleSelect(stale), LIFECYCLE_SPEC)));
    }
    return inOrder(spans, rows);
  }
  if (stale.length > 0 || (await keepsGoneCaptures(store))) await store.transaction(async () => {
    const gone = sql`capture_id NOT IN (SELECT capture_id FROM captures)`;
    for (const table of KEPT_TABLES) {
      await store.exec(sql`DELETE FROM ${ident(table, KEPT_TABLES)} WHERE ${gone}`);
      if (stale.length > 0) await store.exec(sql`DELETE FROM ${ident(table, KEPT_TABLES)} WHERE capture_id IN (${idList(stale)})`);
    }
    if (stale.length === 0) return;
    await store.exec(sql`INSERT INTO process_pid_spans ${spansSelect(stale)}`);
    await store.exec(sql`INSERT INTO process_lifecycle_rows ${lifecycleSelect(stale)}`);
    await store.exec(sql`INSERT INTO process_span_captures SELECT capture_id, events, clock_offset_us FROM captures WHERE capture_id IN (${idList(stale)})`);
  });
  return inOrder(
    await columnarRows(store, sql`SELECT * FROM process_pid_spans`, SPAN_SPEC),
    await columnarRows(store, sql`SELECT * FROM process_lifecycle_rows`, LIFECYCLE_SPEC),
  );
}

/** One order whatever the path (the tree numbers processes by first appearance, then pid). */
function inOrder(spans: PidSpan[], raw: (Omit<LifecycleRow, 'fields'> & { fields: string | null })[]): TreeInputs {
  spans.sort((a, b) => a.capture_id - b.capture_id || a.pid - b.pid || (a.host ?? '').localeCompare(b.host ?? ''));
  const rows = raw.map((r) => ({ ...r, fields: parseFields(r.fields) }));
  return { spans, rows };
}
