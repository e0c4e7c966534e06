// Finds and parses rule files: the shipped pack (rules/ at the repository root), a `rules/`
// folder next to the case file when present, and any folders the analyst names. A later folder's
// rule replaces an earlier rule with the same id (so an analyst can tune a shipped rule).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { parseRuleFile } from './sigma/parse.ts';
import type { Rule } from './sigma/types.ts';

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

/** Parses every rule file of `dirs` in order; throws RuleError (file:line) on the first bad file. */
export function loadRules(dirs: string[]): Rule[] {
  const byId = new Map<string, Rule>();
  for (const dir of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`rules folder not found: ${dir}`);
    for (const file of ruleFilesIn(dir)) {
      const shown = join(basename(dir), relative(dir, file));
      for (const rule of parseRuleFile(readFileSync(file, 'utf8'), shown)) byId.set(rule.id, rule);
    }
  }
  return [...byId.values()];
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
