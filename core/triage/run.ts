// runTriage: (re)computes findings for a case with the shipped and loaded rules, replacing the
// findings those rules produced before (findings of rules not loaded this time are kept), then
// rebuilds the incidents those findings make (core/incidents).
import { rebuildIncidents } from '../incidents/store.ts';
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, sql } from '../store/sql.ts';
import { prepareBaselineScope, type BaselineScope } from './baseline-scope.ts';
import { NGRAM_RULE, ngramHits } from './baseline-ngrams.ts';
import { runRule, type Hit } from './engine.ts';
import { buildFindings, type NewFinding } from './findings-build.ts';
import { LISTING_RULE, listingHiddenHits } from './listing-hidden.ts';
import { linkRuleResults } from './link-rules.ts';
import { buildProcessTree } from './process-tree.ts';
import { loadRules, ruleDirsFor } from './rules-load.ts';
import type { Rule } from './sigma/types.ts';

export interface TriageOptions {
  /** Extra rule folders (after the shipped pack and the case's own rules/ folder). */
  ruleDirs?: string[];
  /** Use exactly these rules instead of loading folders (tests, tools). */
  rules?: Rule[];
  /** Skip the call-sequence baseline diff. */
  noSequenceDiff?: boolean;
  /** Skip the built-in checks that are code rather than rule files (listing-hidden.ts). */
  noBuiltinChecks?: boolean;
}

export interface TriageResult {
  findings: NewFinding[];
  rules: number;
  baseline: BaselineScope;
  /** Rules that hit MAX_EVENTS_PER_RULE (too broad: their findings may be incomplete). */
  saturated: string[];
}

export async function runTriage(store: CaseStore, options: TriageOptions = {}): Promise<TriageResult> {
  const rules = options.rules ?? loadRules(ruleDirsFor(store.path, options.ruleDirs ?? []));
  await buildProcessTree(store);
  const baseline = await prepareBaselineScope(store);
  const results: { rule: Rule; hits: Hit[] }[] = [];
  const saturated: string[] = [];
  for (const rule of rules) {
    let hits: Hit[];
    try {
      hits = await runRule(store, rule);
    } catch (err) {
      throw new Error(`${rule.file}:${rule.line}: rule ${rule.id} failed: ${(err as Error).message}`, { cause: err });
    }
    if (hits.reduce((n, h) => n + h.events.length, 0) >= 20_000) saturated.push(rule.id);
    results.push({ rule, hits });
  }
  if (!options.noSequenceDiff) results.push({ rule: NGRAM_RULE, hits: await ngramHits(store) });
  if (!options.noBuiltinChecks) results.push({ rule: LISTING_RULE, hits: await listingHiddenHits(store) });
  if (!options.noBuiltinChecks) results.push(...(await linkRuleResults(store)));
  const findings = buildFindings(results);
  await saveFindings(store, results.map((r) => r.rule.id), findings);
  await rebuildIncidents(store); // findings were renumbered: incidents are made from them anew
  return { findings, rules: rules.length, baseline, saturated };
}

async function saveFindings(store: CaseStore, ruleIds: string[], findings: NewFinding[]): Promise<void> {
  await store.transaction(async () => {
    if (ruleIds.length > 0) await store.exec(sql`DELETE FROM findings WHERE list_contains([${joinSql(ruleIds.map((r) => sql`${r}`), ', ')}], rule)`);
    const next = await store.one(sql`SELECT coalesce(max(finding_id), 0) + 1 AS id FROM findings`, { id: 'num' });
    let id = next?.id ?? 1;
    for (const f of findings) {
      await store.exec(sql`INSERT INTO findings (finding_id, rule, rule_file, title, score, severity, explanation, event_ids, attack,
                                                 first_ts, last_ts, check_next, host, pids, created_at)
        VALUES (${id++}, ${f.rule}, ${f.rule_file}, ${f.title}, ${f.score}, ${f.severity}, ${f.explanation},
                CAST(CAST(${JSON.stringify(f.event_ids)} AS JSON) AS BIGINT[]), CAST(CAST(${JSON.stringify(f.attack)} AS JSON) AS VARCHAR[]),
                make_timestamp(CAST(${f.first_us} AS BIGINT)), make_timestamp(CAST(${f.last_us} AS BIGINT)), CAST(CAST(${JSON.stringify(f.check_next)} AS JSON) AS VARCHAR[]),
                ${f.host}, CAST(CAST(${JSON.stringify(f.pids)} AS JSON) AS INTEGER[]), now()::TIMESTAMP)`);
    }
    await store.audit('triage', { rules: ruleIds.length, findings: findings.length });
  });
}
