// Correlation rules (threshold, sequence, novelty: engine.ts) decide on a few columns of each
// candidate event — its group, its time, its counted value — and read the whole event (arguments,
// fields, the process tree's columns…) only for the events of the hits they keep. Why: a DuckDB
// scan decompresses every column it projects for every row that passes its filter, and on a
// 1.5 M-call strace capture a threshold rule's candidates (every openat and execve, ~137 k) cost
// ~0.5 s of scan with all columns, for hits that are usually none.
import type { CaseStore } from '../store/case-store.ts';
import type { RowOf } from '../store/rows.ts';
import { sql } from '../store/sql.ts';
import { FROM, SELECT, SPEC, type TriageEvent } from './engine.ts';

/** The columns groupKey, the window and the scope checks read (alias e, p as in engine.ts FROM). */
export const LIGHT_SELECT = sql`e.event_id, e.capture_id, e.ts_us, e.host, e.pid, e.target, p.tgid, p.root_pid`;
export const LIGHT_SPEC = {
  event_id: 'num',
  capture_id: 'num',
  ts_us: 'num',
  host: 'str?',
  pid: 'num?',
  target: 'str?',
  tgid: 'num?',
  root_pid: 'num?',
} as const;

/** A candidate event as a correlation sees it (plus its counted value, when the rule has one). */
export type LightEvent = RowOf<typeof LIGHT_SPEC> & { corr_value?: string | null };

export interface HitOf<E> {
  events: E[];
  detail: string;
  novelty?: string;
}

/**
 * The hits with their events read whole (the same rows the full select gave), each keeping what
 * the light row carried beyond the event's columns (`corr_value` where the light row had it).
 */
export async function withWholeEvents(store: CaseStore, hits: HitOf<Pick<LightEvent, 'event_id' | 'corr_value'>>[]): Promise<HitOf<TriageEvent>[]> {
  const ids = [...new Set(hits.flatMap((h) => h.events.map((e) => e.event_id)))];
  if (ids.length === 0) return hits.map((h) => ({ ...h, events: [] }));
  const rows = await store.rows(
    sql`SELECT ${SELECT} FROM ${FROM}
        WHERE e.event_id BETWEEN ${ids.reduce((a, b) => Math.min(a, b))} AND ${ids.reduce((a, b) => Math.max(a, b))}
          AND e.event_id IN (SELECT unnest(CAST(CAST(${JSON.stringify(ids)} AS JSON) AS BIGINT[])))`,
    SPEC,
  );
  const byId = new Map<number, RowOf<typeof SPEC>>(rows.map((r) => [r.event_id, r]));
  const whole = (e: Pick<LightEvent, 'event_id' | 'corr_value'>): TriageEvent => {
    const row = byId.get(e.event_id);
    if (!row) throw new Error(`event ${e.event_id} of a correlation hit is no longer in the case`);
    return ('corr_value' in e ? { ...row, corr_value: e.corr_value ?? null } : { ...row }) as TriageEvent;
  };
  return hits.map((h) => ({ ...h, events: h.events.map(whole) }));
}
