// runTriage: computes findings for a case with the shipped and loaded rules, then rebuilds the
// incidents those findings make (core/incidents).
// - Full run (default): every rule over the whole case; the findings those rules produced before
//   are replaced (findings of rules not loaded this time are kept).
// - Incremental run (`captureIds`, after an import): only the new captures are evaluated (plus
//   what correlation windows need from the others, see scope.ts); earlier findings keep their
//   ids, except those a new hit touches or would have joined in a full run (same rule, same
//   group, within the clustering gap): they are rebuilt together with the new hits.
// Single-event rules run in batches (batch.ts); a rule that fails is skipped with its reason.
import { rebuildIncidents } from '../incidents/store.ts';
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, sql, type Sql } from '../store/sql.ts';
import { prepareBaselineScope, type BaselineScope } from './baseline-scope.ts';
import { NGRAM_RULE, ngramHits } from './baseline-ngrams.ts';
import { startTrigramCount } from './ngram-counts.ts';
import { isSingleEvent, readsProcessTree, runSingleEventRules, type BatchLayout, type SkippedRule } from './batch.ts';
import { MAX_EVENTS_PER_RULE, crossesCaptures, runRule, type Hit } from './engine.ts';
import { cacheSourceFields, NO_FIELD_CACHE } from './field-cache.ts';
import { buildFindings, type NewFinding } from './findings-build.ts';
import { insertFindings } from './findings-save.ts';
import { absorbNearbyFindings, correlationReachUs } from './incremental.ts';
import { LISTING_RULE, listingHiddenHits } from './listing-hidden.ts';
import { gateByLogsource } from './logsource-gate.ts';
import { linkRuleResults } from './link-rules.ts';
import { buildProcessTree } from './process-tree.ts';
import { loadRules, ruleDirsFor } from './rules-load.ts';
import { capturesNear, scopeOf } from './scope.ts';
import { captureFormats } from './capture-formats.ts';
import { caseOpValues, conditionGate, opsPassing } from './op-gate.ts';
import { prefilterByTuples, type Probe } from './tuple-prefilter.ts';
import { compileCondition } from './sigma/compile.ts';
import { bindingsFor, describeLogsource } from './sigma/taxonomy/index.ts';
import type { Rule } from './sigma/types.ts';

export type TriagePhase = 'preparing' | 'rules' | 'built-in checks' | 'saving' | 'incidents';

/** Where a run is: `done` of `total` rules (the built-in checks count as rules). */
export interface TriageProgress {
  phase: TriagePhase;
  done: number;
  total: number;
}

/** "triage 12/52 rules" — the words progress bars and the import dialog show. */
export function triageLabel(p: TriageProgress): string {
  return `triage ${p.done}/${p.total} ${p.phase}`;
}

export interface TriageOptions {
  /** Extra rule folders (after the shipped pack and the case's own rules/ folder). */
  ruleDirs?: string[];
  /** Use exactly these rules instead of loading folders (tests, tools). */
  rules?: Rule[];
  /** Skip the call-sequence baseline diff. */
  noSequenceDiff?: boolean;
  /** Skip the built-in checks that are code rather than rule files (listing-hidden.ts). */
  noBuiltinChecks?: boolean;
  /** Incremental run: evaluate these (newly imported) captures only; omitted: the whole case. */
  captureIds?: number[];
  onProgress?: (p: TriageProgress) => void;
  /** Let every rule parse e.fields itself instead of reading the run's extracted fields (tests and benches compare). */
  noFieldCache?: boolean;
  /** Evaluate every single-event rule even when no event in scope is of its logsource (tests and benches compare). */
  noLogsourceGate?: boolean;
  /** Evaluate the single-event rules over every event in scope, not only those the tuple pre-filter found (tests and benches compare). */
  noTuplePrefilter?: boolean;
  /** Keep the product's format exclusions as subqueries instead of constants for the case's captures (tests compare; capture-formats.ts). */
  noFormatResolution?: boolean;
  /** How single-event rules are batched (bench/triage.ts compares them). */
  batchLayout?: BatchLayout;
}

export interface TriageResult {
  /** The findings this run wrote (all of them in a full run; new and rebuilt ones in an incremental run). */
  findings: NewFinding[];
  rules: number;
  baseline: BaselineScope;
  /** Rules that hit MAX_EVENTS_PER_RULE (too broad: their findings may be incomplete). */
  saturated: string[];
  /** Rules that failed (their SQL or correlation threw): skipped, the others ran. */
  skipped: SkippedRule[];
  mode: 'full' | 'incremental';
  /** Single-event rules not evaluated because no event in scope is of their logsource (they cannot match). */
  notSupplied: number;
  /** Milliseconds spent in each part of the run (bench/triage.ts and bench/sigma-windows.ts print them). */
  timings: Record<string, number>;
}

export async function runTriage(store: CaseStore, options: TriageOptions = {}): Promise<TriageResult> {
  const rules = options.rules ?? loadRules(ruleDirsFor(store.path, options.ruleDirs ?? []));
  const builtins = [options.noSequenceDiff ? null : NGRAM_RULE, options.noBuiltinChecks ? null : LISTING_RULE].filter((r): r is Rule => r !== null);
  const total = rules.length + builtins.length;
  let done = 0;
  const report = (phase: TriagePhase, n = 0): void => {
    done += n;
    options.onProgress?.({ phase, done, total });
  };
  const timings: Record<string, number> = {};
  let lap = performance.now();
  const time = (part: string): void => {
    const now = performance.now();
    timings[part] = (timings[part] ?? 0) + (now - lap);
    lap = now;
  };
  report('preparing');
  const scope = await scopeOf(store, options.captureIds);
  const reachUs = correlationReachUs(rules);
  // Other captures' process trees matter only to rules that group across captures and read them.
  await buildProcessTree(store, rules.some(readsOtherTrees) ? await capturesNear(store, scope, reachUs) : scope.captureIds);
  time('prepare: scope, process tree');
  const baseline = await prepareBaselineScope(store);
  // The call-sequence baseline's read of every call in scope runs on a read connection while the
  // rules run here (ngram-counts.ts); its findings are made in their turn below.
  const ngramCount = builtins.includes(NGRAM_RULE) ? await startTrigramCount(store, scope) : undefined;
  time('prepare: baseline');

  const results: { rule: Rule; hits: Hit[] }[] = [];
  const saturated: string[] = [];
  report('rules');
  // Single-event rules whose logsource has no event in scope cannot match: they run as "no hits".
  const singleRules = rules.filter(isSingleEvent);
  const fields = options.noFieldCache ? NO_FIELD_CACHE : await cacheSourceFields(store, scope, compiledConditions(singleRules), bindingWhens(singleRules));
  time('field cache');
  const formats = options.noFormatResolution ? null : await captureFormats(store);
  const gate = options.noLogsourceGate ? { present: singleRules, absent: [] } : await gateByLogsource(store, singleRules, scope, fields, formats);
  const noSource = new Set(gate.absent.map((a) => a.rule));
  report('rules', gate.absent.length);
  time('logsource gate');
  // Without the field cache (most events carry no source fields, e.g. traces), the rules are first
  // evaluated over the distinct values they read, and the batch reads only the events that matched.
  // Every op of the case (correlation windows reach other captures): read once, for the pre-filter
  // and for the correlation rules' conditions, gated by the ops their detections name (engine.ts gatedCondition).
  const caseOps = await caseOpValues(store);
  // The same scan also tells which correlation rules no event in scope can match (tuple-prefilter.ts).
  const probes = correlationProbes(rules, caseOps);
  const prefiltered = fields === NO_FIELD_CACHE && !options.noTuplePrefilter ? await prefilterByTuples(store, gate.present, scope, caseOps, formats, probes.map((p) => p.probe)) : null;
  const unmatchedRules = prefiltered ? rulesWithoutMatch(probes, prefiltered.unmatched) : new Set<Rule>();
  time('single-event pre-filter');
  let single;
  try {
    single = await runSingleEventRules(store, gate.present, prefiltered?.scope ?? scope, { layout: options.batchLayout, fields, onRulesDone: (n) => report('rules', n) });
  } finally {
    await fields.drop();
    await prefiltered?.drop();
  }
  time('single-event rules');
  const skipped = [...single.skipped];
  for (const rule of rules) {
    let hits = noSource.has(rule) ? [] : single.hits.get(rule);
    if (!hits) {
      if (isSingleEvent(rule)) continue; // skipped by the batch, reason recorded
      if (unmatchedRules.has(rule)) {
        // No event in scope matches any of its conditions: no hit can hold one (runRule would find none).
        results.push({ rule, hits: [] });
        report('rules', 1);
        continue;
      }
      try {
        hits = await runRule(store, rule, scope, caseOps, formats ?? undefined);
      } catch (err) {
        skipped.push({ rule: rule.id, file: rule.file, line: rule.line, reason: err instanceof Error ? err.message : String(err) });
        report('rules', 1);
        continue;
      }
      report('rules', 1);
    }
    if (hits.reduce((n, h) => n + h.events.length, 0) >= MAX_EVENTS_PER_RULE) saturated.push(rule.id);
    results.push({ rule, hits });
  }
  time('correlation rules');
  for (const rule of builtins) {
    report('built-in checks');
    const hits = rule === NGRAM_RULE ? await ngramHits(store, scope, { started: ngramCount }) : await listingHiddenHits(store, scope);
    results.push({ rule, hits });
    report('built-in checks', 1);
    time(`built-in: ${rule.id}`);
  }
  // Link-aware checks read the whole links table: always evaluated whole, their findings replaced whole.
  const linkResults = options.noBuiltinChecks ? [] : await linkRuleResults(store);
  results.push(...linkResults);
  time('built-in: link rules');

  report('saving');
  let replaced: number[] | null = null;
  // Rules evaluated over the whole case even in an incremental run: their earlier findings go.
  const wholeRules = [...linkResults.map((r) => r.rule.id), ...rules.filter((r) => r.correlation?.type === 'sigma').map((r) => r.id)];
  if (scope.captureIds !== null) {
    const wholeSet = new Set(wholeRules);
    const absorbed = await absorbNearbyFindings(store, results.filter((r) => !wholeSet.has(r.rule.id)), reachUs);
    replaced = absorbed.findingIds;
  }
  const findings = buildFindings(results);
  await saveFindings(store, replaced === null ? { ruleIds: results.map((r) => r.rule.id), findingIds: [] } : { ruleIds: wholeRules, findingIds: replaced }, findings, scope.captureIds);
  time('save findings');
  report('incidents');
  await rebuildIncidents(store); // findings changed: incidents are made from them anew
  time('incidents');
  return { findings, rules: rules.length, baseline, saturated, skipped, mode: scope.captureIds === null ? 'full' : 'incremental', notSupplied: gate.absent.length, timings };
}

/** A condition of a correlation rule, asked of the pre-filter's tuples. */
interface RuleProbe {
  rule: Rule;
  probe: Probe;
}

/**
 * The conditions of the threshold, sequence and novelty rules whose detections gate them by op:
 * every hit of such a rule holds an event in scope matching one of them (engine.ts: thresholds and
 * sequences keep the hits touching the scope, novelty candidates are in scope). Sigma correlations
 * run over the whole case; rules with an ungated or uncompilable condition are not probed.
 */
function correlationProbes(rules: Rule[], caseOps: readonly string[]): RuleProbe[] {
  const out: RuleProbe[] = [];
  for (const rule of rules) {
    const c = rule.correlation;
    if (!c || c.type === 'sigma' || !rule.condition) continue;
    const nodes = c.type === 'sequence' ? c.steps : [rule.condition];
    const probes: RuleProbe[] = [];
    for (const node of nodes) {
      const gate = conditionGate(rule, node);
      if (!gate) break;
      try {
        probes.push({ rule, probe: { where: compileCondition(rule, node), ops: opsPassing(gate, caseOps) } });
      } catch {
        break;
      }
    }
    if (probes.length === nodes.length) out.push(...probes);
  }
  return out;
}

/** Rules all of whose probed conditions match no event in scope. */
function rulesWithoutMatch(probes: RuleProbe[], unmatched: Set<number>): Set<Rule> {
  const open = new Set<Rule>();
  const probed = new Set<Rule>();
  probes.forEach((p, i) => {
    probed.add(p.rule);
    if (!unmatched.has(i) && p.probe.ops.length > 0) open.add(p.rule);
  });
  return new Set([...probed].filter((r) => !open.has(r)));
}

/** The predicates of the rules that compile (the others are skipped with their reason when they run). */
function compiledConditions(rules: Rule[]): Sql[] {
  return rules.flatMap((rule) => {
    try {
      return rule.condition ? [compileCondition(rule, rule.condition)] : [];
    } catch {
      return [];
    }
  });
}

/** The binding predicates of the rules' logsources (each logsource once). */
function bindingWhens(rules: Rule[]): Sql[] {
  const seen = new Set<string>();
  const out: Sql[] = [];
  for (const rule of rules) {
    const key = describeLogsource(rule.logsource);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(...bindingsFor(rule.logsource).map((b) => b.when));
  }
  return out;
}

/** A host- or target-grouped correlation whose conditions read the process tree (image, parents). */
function readsOtherTrees(rule: Rule): boolean {
  const c = rule.correlation;
  if (!c || c.type === 'novel' || !crossesCaptures(c.groupBy)) return false;
  const nodes = c.type === 'sequence' ? c.steps : rule.condition ? [rule.condition] : [];
  try {
    return nodes.some((n) => readsProcessTree(compileCondition(rule, n)));
  } catch {
    return false; // a rule that does not compile is skipped when it runs
  }
}

/**
 * Writes the findings, after deleting the earlier findings they replace: those of `ruleIds` (every
 * rule of a full run; the rules evaluated whole in an incremental one) and `findingIds` (earlier
 * findings an incremental run rebuilt into new ones).
 */
async function saveFindings(store: CaseStore, replace: { ruleIds: string[]; findingIds: number[] }, findings: NewFinding[], captureIds: number[] | null): Promise<void> {
  await store.transaction(async () => {
    if (replace.ruleIds.length > 0) {
      await store.exec(sql`DELETE FROM findings WHERE list_contains([${joinSql(replace.ruleIds.map((r) => sql`${r}`), ', ')}], rule)`);
    }
    if (replace.findingIds.length > 0) {
      await store.exec(sql`DELETE FROM findings WHERE list_contains([${joinSql(replace.findingIds.map((r) => sql`${r}`), ', ')}], finding_id)`);
    }
    const next = await store.one(sql`SELECT coalesce(max(finding_id), 0) + 1 AS id FROM findings`, { id: 'num' });
    await insertFindings(store, findings, next?.id ?? 1);
    await store.audit('triage', captureIds === null
      ? { rules: replace.ruleIds.length, findings: findings.length }
      : { captures: captureIds, findings: findings.length, rebuilt: replace.findingIds.length, rules_whole: replace.ruleIds.length });
  });
}
