// The parsed form of a rule file: Sigma's single-event detection plus Tracebench's correlation
// extension (docs/triage.md). Parsing (parse.ts) and SQL compilation (compile.ts) share these.
import type { MatchPlan } from './modifiers.ts';

export type Level = 'informational' | 'low' | 'medium' | 'high' | 'critical';
export const LEVELS: readonly Level[] = ['informational', 'low', 'medium', 'high', 'critical'];

export type MatchValue = string | number | boolean | null;

/** One `field|mod1|mod2: value(s)` line of a selection. A list of values is an OR (AND with |all). */
export interface FieldMatcher {
  /** '' for keywords: values searched in the event's whole text. */
  field: string;
  modifiers: string[];
  /** The modifier chain read and checked once (modifiers.ts). */
  plan: MatchPlan;
  values: MatchValue[];
  line: number;
}

/** A named selection: a list of alternatives (OR), each an AND of field matchers. */
export interface Selection {
  name: string;
  alternatives: FieldMatcher[][];
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
  | { type: 'novel'; key: string[]; baseline: ConditionNode | null }
  | SigmaCorrelation;

/** Bounds a count must meet (`condition: {gte: 10, lt: 100}`); every given bound holds. */
export interface CountCondition {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
}

/** A Sigma correlation rule (a document of its own that refers to other rules by id or name). */
export interface SigmaCorrelation {
  type: 'sigma';
  kind: 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';
  /** Ids or names as written; the loader resolves them into `resolved` (same order). */
  rules: string[];
  resolved: Rule[];
  /** Sigma field names whose values must be equal within one group (aliases resolved per rule). */
  groupFields: string[];
  /** alias → (rule name or id → field of that rule's events). */
  aliases: Record<string, Record<string, string>>;
  withinUs: number;
  condition: CountCondition;
  /** value_count: the field whose distinct values are counted. */
  field: string | null;
  /** Whether the referenced rules also run on their own (Sigma `generate`). */
  generate: boolean;
  /** How findings of this rule are grouped (the group fields decide the hits already). */
  groupBy: GroupBy;
}

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
  /** Sigma `name` (how correlation rules may refer to this rule). */
  name?: string;
  /** Sigma `author`: credited in findings (SigmaHQ's licence requires it). */
  author?: string;
  /** The rule's licence: its own `license` field, else the licence of the folder it came from. */
  license?: string;
}

/** A rule file (or one document of it) that did not load, and why. */
export interface SkippedRule {
  file: string;
  id: string;
  title: string;
  reason: string;
}

/** An error in a rule file, with the file and 1-based line it came from. */
export class RuleError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'RuleError';
  }
}
