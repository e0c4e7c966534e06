// Runs a Sigma correlation rule: selects the events of each referenced rule with its group-by
// values (aliases resolved per rule), then finds, per group, windows of `timespan` where the
// count (event_count), the distinct values (value_count), the rules seen (temporal) or the rules
// in order (temporal_ordered) meet the condition.
import type { CaseStore } from '../../store/case-store.ts';
import { EVENT_SELECT, EVENT_SPEC } from '../../store/event-rows.ts';
import { joinSql, sql, type Sql } from '../../store/sql.ts';
import type { Hit, TriageEvent } from '../engine.ts';
import { compileCondition, compileField } from './compile.ts';
import { meetsCount } from './correlation-parse.ts';
import type { Rule, SigmaCorrelation } from './types.ts';

/** Most events read per referenced rule. */
const MAX_EVENTS = 50_000;

interface Tagged extends TriageEvent {
  /** Index of the referenced rule the event matched. */
  ruleIndex: number;
  groupKey: string;
}

/** The field a group-by name means for events of `ref` (an alias maps it per rule name or id). */
export function groupFieldFor(c: SigmaCorrelation, ref: Rule, name: string): string {
  const alias = c.aliases[name];
  return (alias && (alias[ref.name ?? ''] ?? alias[ref.id])) ?? name;
}

/** SQL checks a loader runs so a correlation whose fields do not resolve is skipped, not failed. */
export function compileCorrelation(c: SigmaCorrelation): void {
  for (const ref of c.resolved) {
    if (!ref.condition) throw new Error(`rule ${ref.id} has no detection condition (chained correlations are not supported)`);
    compileCondition(ref, ref.condition);
    for (const g of c.groupFields) compileField(ref, groupFieldFor(c, ref, g));
    if (c.field) compileField(ref, c.field);
  }
}

async function eventsOf(store: CaseStore, c: SigmaCorrelation, ref: Rule, index: number): Promise<Tagged[]> {
  if (!ref.condition) return [];
  const keyParts = c.groupFields.map((g) => sql`coalesce(CAST(${compileField(ref, groupFieldFor(c, ref, g))} AS VARCHAR), '')`);
  const key: Sql = keyParts.length ? sql`concat_ws(chr(31), ${joinSql(keyParts, ', ')})` : sql`''`;
  const value: Sql = c.field ? sql`CAST(${compileField(ref, c.field)} AS VARCHAR)` : sql`NULL`;
  const rows = await store.rows(
    sql`SELECT ${EVENT_SELECT}, p.image, p.parent_image, p.tgid, p.root_pid, ${value} AS corr_value, ${key} AS group_key
        FROM event_rows e LEFT JOIN triage_proc p ON p.capture_id = e.capture_id AND p.pid = e.pid
        WHERE ${compileCondition(ref, ref.condition)}
        ORDER BY e.ts_us, e.event_id LIMIT ${MAX_EVENTS}`,
    { ...EVENT_SPEC, image: 'str?', parent_image: 'str?', tgid: 'num?', root_pid: 'num?', corr_value: 'str?', group_key: 'str' },
  );
  return rows.map(({ group_key, ...e }) => ({ ...(e as TriageEvent), ruleIndex: index, groupKey: group_key }));
}

export async function sigmaCorrelationHits(store: CaseStore, c: SigmaCorrelation): Promise<Hit[]> {
  const all = (await Promise.all(c.resolved.map((ref, i) => eventsOf(store, c, ref, i)))).flat();
  const groups = new Map<string, Tagged[]>();
  for (const e of all) groups.set(e.groupKey, [...(groups.get(e.groupKey) ?? []), e]);
  const hits: Hit[] = [];
  for (const [key, list] of groups) {
    list.sort((a, b) => a.ts_us - b.ts_us || a.event_id - b.event_id);
    hits.push(...windowHits(c, list, key));
  }
  return hits;
}

/** Non-overlapping windows starting at an event, each the earliest that meets the condition. */
export function windowHits(c: SigmaCorrelation, list: Tagged[], key: string): Hit[] {
  const hits: Hit[] = [];
  const groupText = key ? ` for ${c.groupFields.join(', ')} = ${key.split(String.fromCharCode(31)).join(', ')}` : '';
  let start = 0;
  while (start < list.length) {
    const first = list[start] as Tagged;
    const window: Tagged[] = [];
    for (let i = start; i < list.length && (list[i] as Tagged).ts_us - first.ts_us <= c.withinUs; i++) window.push(list[i] as Tagged);
    const found = matchWindow(c, window);
    if (found) {
      hits.push({ events: found.events, detail: `${found.what} within ${c.withinUs / 1e6} s${groupText} (Sigma ${c.kind})` });
      const last = found.events[found.events.length - 1] as Tagged;
      while (start < list.length && (list[start] as Tagged).ts_us <= last.ts_us) start++;
    } else start++;
  }
  return hits;
}

function matchWindow(c: SigmaCorrelation, window: Tagged[]): { events: Tagged[]; what: string } | null {
  switch (c.kind) {
    case 'event_count':
      // The longest prefix that meets the condition (so `gte` takes every event in the window).
      for (let n = window.length; n > 0; n--) if (meetsCount(n, c.condition)) return { events: window.slice(0, n), what: `${n} events` };
      return null;
    case 'value_count': {
      const values = new Set(window.map((e) => e.corr_value ?? null).filter((v) => v !== null));
      return meetsCount(values.size, c.condition) ? { events: window, what: `${values.size} distinct ${c.field ?? ''} values` } : null;
    }
    case 'temporal': {
      const seen = new Set(window.map((e) => e.ruleIndex));
      const ok = Object.keys(c.condition).length ? meetsCount(seen.size, c.condition) : seen.size === c.resolved.length;
      return ok ? { events: window, what: `${seen.size} of ${c.resolved.length} rules` } : null;
    }
    case 'temporal_ordered': {
      const chain: Tagged[] = [];
      for (const e of window) if (e.ruleIndex === chain.length) chain.push(e);
      return chain.length === c.resolved.length ? { events: chain, what: `${chain.length} rules in order` } : null;
    }
  }
}
