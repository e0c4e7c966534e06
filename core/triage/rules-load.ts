// Finds, parses and compiles rule files: the shipped pack (rules/ at the repository root), a
// `rules/` folder next to the case file when present, and any folders the analyst names. A later
// folder's rule replaces an earlier rule with the same id (so an analyst can tune a shipped rule).
// One bad rule never stops the others: it is skipped with its file and the reason.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { compileCondition } from './sigma/compile.ts';
import { compileCorrelation } from './sigma/correlation.ts';
import { expandPlaceholders } from './sigma/modifiers.ts';
import { parseRuleDocuments } from './sigma/parse.ts';
import { RuleError, type MatchValue, type Rule, type SkippedRule } from './sigma/types.ts';

export const SHIPPED_RULES_DIR = join(import.meta.dirname, '..', '..', 'rules');

export function ruleFilesIn(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/i.test(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** One rule (document) as `rules check` reports it. */
export interface RuleCheck {
  file: string;
  id: string;
  title: string;
  status: 'loaded' | 'skipped';
  reason: string | null;
  /** The folder given (for totals by folder). */
  folder: string;
  /** Where a skipped rule failed: YAML/structure, SQL compilation, or a missing referenced rule. */
  stage: 'parse' | 'compile' | 'reference' | null;
}

export interface LoadedRules {
  /** The rules to run (correlation-only helper rules with `generate: false` are not among them). */
  rules: Rule[];
  skipped: SkippedRule[];
  checks: RuleCheck[];
}

export interface LoadOptions {
  /** Values for `%name%` placeholders of `|expand` modifiers (a rule using one not given is skipped). */
  placeholders?: ReadonlyMap<string, readonly string[]>;
}

/** Loads every rule of `dirs` in order, skipping (with a reason) what cannot parse or compile. */
export function loadRuleFolders(dirs: string[], options: LoadOptions = {}): LoadedRules {
  const entries: { check: RuleCheck; rule: Rule | null }[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`rules folder not found: ${dir}`);
    const licence = licenceOf(dir);
    for (const file of ruleFilesIn(dir)) {
      const shown = join(basename(dir), relative(dir, file));
      const base = { file: shown, folder: dir };
      for (const doc of parseRuleDocuments(readFileSync(file, 'utf8'), shown)) {
        if (!doc.ok) {
          entries.push({ check: { ...base, id: doc.id, title: doc.title, status: 'skipped', reason: doc.error.message, stage: 'parse' }, rule: null });
          continue;
        }
        const rule = withPlaceholders(doc.rule, options.placeholders ?? new Map());
        if (!rule.license && licence) rule.license = licence;
        entries.push({ check: { ...base, id: rule.id, title: rule.title, status: 'loaded', reason: null, stage: null }, rule });
      }
    }
  }
  // Later folders replace earlier rules with the same id.
  const byId = new Map<string, { check: RuleCheck; rule: Rule | null }>();
  const anonymous: { check: RuleCheck; rule: Rule | null }[] = [];
  for (const e of entries) {
    if (e.check.id) byId.set(e.check.id, e);
    else anonymous.push(e);
  }
  const kept = [...anonymous, ...byId.values()];
  const lookup = new Map<string, Rule>();
  for (const { rule } of kept) if (rule) [rule.id, rule.name].forEach((k) => k && lookup.set(k, rule));

  for (const e of kept) {
    const rule = e.rule;
    if (!rule) continue;
    const skip = (stage: RuleCheck['stage'], reason: string): void => {
      e.check.status = 'skipped';
      e.check.stage = stage;
      e.check.reason = reason;
      e.rule = null;
    };
    const c = rule.correlation;
    if (c?.type === 'sigma') {
      const missing = c.rules.filter((r) => !lookup.has(r));
      if (missing.length) {
        skip('reference', `${rule.file}:${rule.line}: referenced rule${missing.length > 1 ? 's' : ''} not loaded: ${missing.join(', ')}`);
        continue;
      }
      c.resolved = c.rules.map((r) => lookup.get(r) as Rule);
    }
    try {
      compileRule(rule);
    } catch (err) {
      skip('compile', err instanceof RuleError ? err.message : `${rule.file}:${rule.line}: ${(err as Error).message}`);
    }
  }
  // A referenced rule that was skipped makes its correlation skipped too.
  for (const e of kept) {
    const c = e.rule?.correlation;
    if (e.rule && c?.type === 'sigma' && c.resolved.some((r) => !kept.some((k) => k.rule === r))) {
      e.check.status = 'skipped';
      e.check.stage = 'reference';
      e.check.reason = `${e.rule.file}:${e.rule.line}: a referenced rule did not load`;
      e.rule = null;
    }
  }
  const helpers = new Set<Rule>();
  for (const { rule } of kept) if (rule?.correlation?.type === 'sigma' && !rule.correlation.generate) rule.correlation.resolved.forEach((r) => helpers.add(r));
  const checks = kept.map((e) => e.check);
  return {
    rules: kept.flatMap((e) => (e.rule && !helpers.has(e.rule) ? [e.rule] : [])),
    skipped: checks.filter((c) => c.status === 'skipped').map(({ file, id, title, reason }) => ({ file, id, title, reason: reason ?? '' })),
    checks,
  };
}

/** Compiles every condition a rule has, so what cannot run is known at load time. */
function compileRule(rule: Rule): void {
  if (rule.condition) compileCondition(rule, rule.condition);
  const c = rule.correlation;
  if (c?.type === 'sequence') c.steps.forEach((s) => compileCondition(rule, s));
  if (c?.type === 'novel' && c.baseline) compileCondition(rule, c.baseline);
  if (c?.type === 'sigma') compileCorrelation(c);
}

/** Replaces `%name%` in values of `|expand` matchers by the configured values (an OR of them). */
function withPlaceholders(rule: Rule, config: ReadonlyMap<string, readonly string[]>): Rule {
  if (config.size === 0) return rule;
  for (const sel of rule.selections.values()) {
    for (const alt of sel.alternatives) {
      for (const m of alt) {
        if (!m.plan.expand) continue;
        try {
          m.values = m.values.flatMap((v): MatchValue[] => (typeof v === 'string' ? expandPlaceholders(v, config) : [v]));
          m.plan = { ...m.plan, expand: false };
        } catch {
          // Not configured: left as is, so compilation skips the rule naming the placeholder.
        }
      }
    }
  }
  return rule;
}

const DRL = /Detection Rule License \(DRL\) 1\.1/;

/** The licence a rules folder is published under: DRL 1.1 when a LICENSE above it says so. */
function licenceOf(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    for (const name of ['LICENSE', 'LICENSE.md', 'LICENSE.txt']) {
      const p = join(d, name);
      if (existsSync(p) && statSync(p).isFile()) return DRL.test(readFileSync(p, 'utf8')) ? 'DRL 1.1' : undefined;
    }
    if (dirname(d) === d) return undefined;
  }
}

/** The loadable rules of `dirs` (skipped ones are dropped; use loadRuleFolders for the reasons). */
export function loadRules(dirs: string[]): Rule[] {
  return loadRuleFolders(dirs).rules;
}

/** The folders used for a case: shipped pack, `rules/` next to the case file, then extra ones. */
export function ruleDirsFor(casePath: string | null, extra: string[] = []): string[] {
  const dirs = [SHIPPED_RULES_DIR];
  if (casePath) {
    const local = join(dirname(casePath), 'rules');
    if (local !== SHIPPED_RULES_DIR && existsSync(local) && statSync(local).isDirectory()) dirs.push(local);
  }
  return [...dirs, ...extra];
}
