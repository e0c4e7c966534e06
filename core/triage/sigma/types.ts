// The parsed form of a rule file: Sigma's single-event detection plus Tracebench's correlation
// extension (docs/triage.md). Parsing (parse.ts) and SQL compilation (compile.ts) share these.

export type Level = 'informational' | 'low' | 'medium' | 'high' | 'critical';
export const LEVELS: readonly Level[] = ['informational', 'low', 'medium', 'high', 'critical'];

export type MatchValue = string | number | boolean | null;

/** One `field|mod1|mod2: value(s)` line of a selection. A list of values is an OR (AND with |all). */
export interface FieldMatcher {
  field: string;
  modifiers: string[];
  values: MatchValue[];
  line: number;
}

/** A named selection: a list of alternatives (OR), each an AND of field matchers; or keywords. */
export interface Selection {
  name: string;
  alternatives: FieldMatcher[][];
  /** Bare strings searched in target, args, process (Sigma "keywords"). */
  keywords: string[];
  line: number;
}

export type ConditionNode =
  | { type: 'ref'; name: string }
  | { type: 'and'; items: ConditionNode[] }
  | { type: 'or'; items: ConditionNode[] }
  | { type: 'not'; item: ConditionNode }
  | { type: 'of'; quantifier: 'one' | 'all'; pattern: string };

/** How events of one finding are grouped before they are clustered in time. */
export type GroupBy = 'process' | 'tree' | 'host' | 'target';

export type Correlation =
  | { type: 'sequence'; steps: ConditionNode[]; withinUs: number; groupBy: GroupBy }
  | { type: 'threshold'; count: number; distinct: string | null; withinUs: number; groupBy: GroupBy }
  | { type: 'novel'; key: string[]; baseline: ConditionNode | null };

export interface Rule {
  id: string;
  title: string;
  description: string;
  level: Level;
  /** ATT&CK ids from the tags, upper-cased: T1055, T1003.001, T0855. */
  attack: string[];
  tags: string[];
  logsource: Record<string, string>;
  selections: Map<string, Selection>;
  /** Null only for sequence rules, whose steps are conditions of their own. */
  condition: ConditionNode | null;
  correlation: Correlation | null;
  /** Tracebench extension: why the behaviour matters on an ICS host (one sentence). */
  why: string;
  check_next: string[];
  falsepositives: string[];
  /** Optional fixed score 0–100 instead of the level's default. */
  score: number | null;
  groupBy: GroupBy;
  file: string;
  line: number;
}

/** An error in a rule file, with the file and 1-based line it came from. */
export class RuleError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'RuleError';
  }
}
