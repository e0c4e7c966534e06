// Scores 0–100. A rule's level gives the base; a finding gains when other rules fire on the same
// process tree close in time (independent evidence of one activity), so a look-alike that fires
// a single low rule (an HMI's own `sh -c ping`) stays low while a real intrusion chain rises.
import type { Level } from './sigma/types.ts';

export const LEVEL_SCORE: Record<Level, number> = { informational: 10, low: 30, medium: 50, high: 70, critical: 85 };
/** Added per other rule that fired on the same process tree within CORROBORATION_WINDOW_US. */
export const CORROBORATION_STEP = 8;
export const CORROBORATION_MAX = 24;
export const CORROBORATION_WINDOW_US = 60_000_000;

export function severityOf(score: number): Level {
  if (score >= 85) return 'critical';
  if (score >= 65) return 'high';
  if (score >= 45) return 'medium';
  if (score >= 25) return 'low';
  return 'informational';
}

export interface Scorable {
  rule: string;
  base: number;
  /** capture:root keys of the process trees the finding's events belong to. */
  trees: Set<string>;
  first_us: number;
  last_us: number;
  score: number;
  corroborating: string[];
}

/** Sets score and corroborating rule titles on each item in place. */
export function applyCorroboration(items: Scorable[], titleOf: (rule: string) => string): void {
  for (const f of items) {
    const others = new Set<string>();
    for (const g of items) {
      if (g.rule === f.rule) continue;
      if (g.first_us > f.last_us + CORROBORATION_WINDOW_US || g.last_us < f.first_us - CORROBORATION_WINDOW_US) continue;
      if ([...g.trees].some((t) => f.trees.has(t))) others.add(g.rule);
    }
    const boost = Math.min(CORROBORATION_MAX, CORROBORATION_STEP * others.size);
    f.score = Math.min(100, Math.round(f.base + boost));
    f.corroborating = [...others].map(titleOf).sort();
  }
}
