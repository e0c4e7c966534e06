// What an incremental run (run.ts) must take back from earlier runs so that its findings match a
// full run's: an earlier finding of the same rule that a new hit shares events with (a threshold
// window that grew into the new capture), or that sits in the same group (host, target…) within
// the clustering gap of a new hit, would have been one finding with it. Such findings are read
// back as hits, rebuilt together with the new hits, and replace the earlier rows.
import type { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { FROM, SELECT, SPEC, groupKey, type Hit, type TriageEvent } from './engine.ts';
import { CLUSTER_GAP_US, groupByOf } from './findings-build.ts';
import type { Rule } from './sigma/types.ts';

/** How far (µs) from the new captures' span a rule's evaluation or clustering can reach. */
export function correlationReachUs(rules: Rule[]): number {
  let within = 0;
  for (const r of rules) {
    const c = r.correlation;
    if (c && c.type !== 'novel') within = Math.max(within, c.withinUs);
  }
  return within + CLUSTER_GAP_US;
}

interface Span {
  key: string;
  first: number;
  last: number;
  ids: Set<number>;
}

function spanOf(hit: Hit, rule: Rule): Span | null {
  const first = hit.events[0];
  if (!first) return null;
  const ts = hit.events.map((e) => e.ts_us);
  return { key: groupKey(first, groupByOf(rule)), first: Math.min(...ts), last: Math.max(...ts), ids: new Set(hit.events.map((e) => e.event_id)) };
}

/** Adds the earlier findings a full run would have merged with the new hits; returns their ids. */
export async function absorbNearbyFindings(store: CaseStore, results: { rule: Rule; hits: Hit[] }[], reachUs: number): Promise<{ findingIds: number[] }> {
  const findingIds: number[] = [];
  for (const result of results) {
    const spans = result.hits.map((h) => spanOf(h, result.rule)).filter((s): s is Span => s !== null);
    if (spans.length === 0) continue;
    const from = Math.min(...spans.map((s) => s.first)) - reachUs;
    const to = Math.max(...spans.map((s) => s.last)) + reachUs;
    const earlier = await store.rows(
      sql`SELECT finding_id, to_json(event_ids)::VARCHAR AS event_ids FROM findings
          WHERE rule = ${result.rule.id} AND epoch_us(last_ts) >= ${from} AND epoch_us(first_ts) <= ${to}
          ORDER BY finding_id`,
      { finding_id: 'num', event_ids: 'str' },
    );
    for (const f of earlier) {
      const ids = JSON.parse(f.event_ids) as number[];
      const events = await eventsById(store, ids);
      const old = spanOf({ events, detail: '' }, result.rule);
      if (!old) continue;
      const joins = spans.some(
        (s) => [...old.ids].some((id) => s.ids.has(id)) || (s.key === old.key && s.first - old.last <= CLUSTER_GAP_US && old.first - s.last <= CLUSTER_GAP_US),
      );
      if (!joins) continue;
      result.hits.push({ events, detail: '' });
      findingIds.push(f.finding_id);
    }
  }
  return { findingIds };
}

async function eventsById(store: CaseStore, ids: number[]): Promise<TriageEvent[]> {
  if (ids.length === 0) return [];
  const rows = await store.rows(
    sql`SELECT ${SELECT}, NULL AS corr_value FROM ${FROM}
        WHERE list_contains(CAST(CAST(${JSON.stringify(ids)} AS JSON) AS BIGINT[]), e.event_id) ORDER BY e.ts_us, e.event_id`,
    { ...SPEC, corr_value: 'str?' },
  );
  return rows as TriageEvent[];
}
