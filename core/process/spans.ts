// Each pid's activity in each capture (first and last event, count, most frequent process name,
// parent, whether API calls): the one input of the process tree that needs every event. It is
// computed once per capture, after its import, and kept (table process_pid_spans, migration 16)
// with the event count and clock offset it was computed at; a capture whose count or offset has
// changed since (an alignment) is spanned again, and a capture that is gone loses its rows.
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, sql, type Sql } from '../store/sql.ts';
import type { PidSpan } from './build-tree.ts';

/** The migration that made the spans tables. */
const SPANS_SCHEMA = 16;

const SPAN_SPEC = {
  capture_id: 'num', host: 'str?', pid: 'num', first_us: 'num', last_us: 'num', events: 'num', process: 'str?', ppid: 'num?', api: 'bool',
} as const;

/** The spans of the given captures, computed from their events. */
function spansSelect(captureIds: readonly number[]): Sql {
  const ids = joinSql(captureIds.map((id) => sql`${id}`), ', ');
  return sql`SELECT capture_id, host, pid, min(ts_us) AS first_us, max(ts_us) AS last_us, count(*) AS events,
                    mode(process) AS process, max(ppid) AS ppid, bool_or(kind = 'api') AS api
             FROM event_rows WHERE capture_id IN (${ids}) AND pid IS NOT NULL
             GROUP BY capture_id, host, pid`;
}

/** Captures whose kept spans are missing or out of date (event count or clock offset changed). */
async function staleCaptures(store: CaseStore): Promise<number[]> {
  const rows = await store.rows(
    sql`SELECT c.capture_id FROM captures c LEFT JOIN process_span_captures s USING (capture_id)
        WHERE s.capture_id IS NULL OR s.events <> c.events OR s.clock_offset_us <> c.clock_offset_us ORDER BY 1`,
    { capture_id: 'num' },
  );
  return rows.map((r) => r.capture_id);
}

/**
 * Brings the kept spans up to date (only the captures that changed are scanned) and returns every
 * capture's spans. On a read-only case nothing is written: stale captures are computed in memory.
 */
export async function pidSpans(store: CaseStore): Promise<PidSpan[]> {
  if (store.readOnly && (await store.schemaVersion()) < SPANS_SCHEMA) {
    // A read-only case written before the spans were kept: span every capture, without keeping.
    const all = await store.rows(sql`SELECT capture_id FROM captures`, { capture_id: 'num' });
    return all.length === 0 ? [] : inOrder(await store.rows(spansSelect(all.map((c) => c.capture_id)), SPAN_SPEC));
  }
  const stale = await staleCaptures(store);
  if (store.readOnly) {
    const kept = await store.rows(
      sql`SELECT p.* FROM process_pid_spans p JOIN process_span_captures s USING (capture_id) JOIN captures c USING (capture_id)
          WHERE s.events = c.events AND s.clock_offset_us = c.clock_offset_us`,
      SPAN_SPEC,
    );
    return inOrder(stale.length === 0 ? kept : [...kept, ...(await store.rows(spansSelect(stale), SPAN_SPEC))]);
  }
  await store.transaction(async () => {
    await store.exec(sql`DELETE FROM process_pid_spans WHERE capture_id NOT IN (SELECT capture_id FROM captures)`);
    await store.exec(sql`DELETE FROM process_span_captures WHERE capture_id NOT IN (SELECT capture_id FROM captures)`);
    if (stale.length === 0) return;
    const ids = joinSql(stale.map((id) => sql`${id}`), ', ');
    await store.exec(sql`DELETE FROM process_pid_spans WHERE capture_id IN (${ids})`);
    await store.exec(sql`DELETE FROM process_span_captures WHERE capture_id IN (${ids})`);
    await store.exec(sql`INSERT INTO process_pid_spans ${spansSelect(stale)}`);
    await store.exec(sql`INSERT INTO process_span_captures SELECT capture_id, events, clock_offset_us FROM captures WHERE capture_id IN (${ids})`);
  });
  return inOrder(await store.rows(sql`SELECT * FROM process_pid_spans`, SPAN_SPEC));
}

/** One order whatever the path (the tree numbers processes by first appearance, then pid). */
function inOrder(spans: PidSpan[]): PidSpan[] {
  return spans.sort((a, b) => a.capture_id - b.capture_id || a.pid - b.pid || (a.host ?? '').localeCompare(b.host ?? ''));
}
