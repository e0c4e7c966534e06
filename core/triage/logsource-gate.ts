// Which single-event rules can match anything in a run's scope, judged by their logsource alone:
// a rule whose logsource's events are absent from the scope (a Sysmon rule over strace, a
// PowerShell rule over a case with Sysmon events only) cannot match and costs nothing — it is not
// put into a batch. The test reads the events (not the capture formats the taxonomy names), so it
// is exact: a rule it drops would have matched nothing. Rules of one logsource
// share one test: one aggregate per distinct logsource, all of them in one scan of the scope.
// The test is a necessary condition only (the rule's full predicate still decides when it runs).
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, sql, type Sql } from '../store/sql.ts';
import { resolveFormatExclusions, type CaptureFormatMap } from './capture-formats.ts';
import { NO_FIELD_CACHE, type FieldCache } from './field-cache.ts';
import { inScope, type TriageScope } from './scope.ts';
import { logsourcePredicate } from './sigma/fields.ts';
import { describeLogsource } from './sigma/taxonomy/index.ts';
import type { Rule } from './sigma/types.ts';

/** Logsources tested per statement (bounds the statement's size). */
const LOGSOURCES_PER_SCAN = 64;

export interface LogsourceGate {
  /** Rules that can match some event of the scope (to be evaluated). */
  present: Rule[];
  /** Rules whose logsource nothing in the scope supplies, with why (not evaluated, no findings). */
  absent: { rule: Rule; reason: string }[];
}

/**
 * With the case's capture formats (capture-formats.ts), a logsource whose predicate is only a
 * product's format exclusion is decided without a scan: TRUE or FALSE for the scope's captures.
 */
export async function gateByLogsource(store: CaseStore, rules: Rule[], scope: TriageScope, fields: FieldCache = NO_FIELD_CACHE, formats: CaptureFormatMap | null = null): Promise<LogsourceGate> {
  if (rules.length === 0) return { present: [], absent: [] };
  const verdict = new Map<string, string | null>(); // logsource key → reason it is absent, or null when present
  const pending = new Map<string, Sql>();
  for (const rule of rules) {
    const key = describeLogsource(rule.logsource);
    if (verdict.has(key) || pending.has(key)) continue;
    const p = logsourcePredicate(rule.logsource);
    if ('skip' in p) {
      verdict.set(key, p.skip);
      continue;
    }
    const predicate = formats ? resolveFormatExclusions(p.sql, formats, scope.captureIds) : p.sql;
    const text = predicate.render().text;
    if (text === 'TRUE') verdict.set(key, null); // every event (Tracebench's own "trace" category): no scan
    else if (text === 'FALSE') verdict.set(key, `no event in scope is of logsource ${key}`); // only captures of the formats it excludes
    else pending.set(key, fields.rewrite(predicate));
  }
  const keys = [...pending.keys()];
  for (let i = 0; i < keys.length; i += LOGSOURCES_PER_SCAN) {
    const chunk = keys.slice(i, i + LOGSOURCES_PER_SCAN);
    const preds = chunk.map((k) => pending.get(k) as Sql);
    const from = fields !== NO_FIELD_CACHE || preds.some((p) => /\bp\.[a-z_]+/.test(p.render().text)) ? fields.from : sql`event_rows e`;
    const row = await store.one(sql`SELECT [${joinSql(preds.map((p) => sql`coalesce(bool_or(${p}), FALSE)`), ', ')}] AS found FROM ${from} WHERE ${inScope(scope)}`, { found: 'list' });
    const found = row?.found ?? [];
    chunk.forEach((k, j) => verdict.set(k, found[j] === 'true' ? null : `no event in scope is of logsource ${k}`));
  }
  const present: Rule[] = [];
  const absent: LogsourceGate['absent'] = [];
  for (const rule of rules) {
    const reason = verdict.get(describeLogsource(rule.logsource)) ?? null;
    if (reason === null) present.push(rule);
    else absent.push({ rule, reason });
  }
  return { present, absent };
}
