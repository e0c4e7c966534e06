// Which events count as "baseline" for novelty checks, as the temp table `triage_baseline`
// (capture_id, baseline_until_us, whole_capture). Captures the analyst marked as baseline
// (captures.is_baseline) are the baseline, and then only the other captures are investigated.
// Without a marked capture, each capture's opening stretch is its own baseline (docs/triage.md
// explains why): the first quarter of its span, at least 10 s and at most 10 min.
import type { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';

export const SELF_BASELINE = { share: 0.25, minUs: 10_000_000, maxUs: 600_000_000 };

export interface BaselineScope {
  mode: 'marked' | 'self';
  /** Human-readable description for explanations and the CLI. */
  description: string;
}

export async function prepareBaselineScope(store: CaseStore): Promise<BaselineScope> {
  const marked = await store.rows(sql`SELECT capture_id, file_name FROM captures WHERE is_baseline`, { capture_id: 'num', file_name: 'str' });
  await store.exec(sql`CREATE OR REPLACE TEMP TABLE triage_baseline (capture_id INTEGER, baseline_until_us BIGINT, whole_capture BOOLEAN)`);
  if (marked.length > 0) {
    await store.exec(sql`INSERT INTO triage_baseline
      SELECT capture_id, CASE WHEN is_baseline THEN 9223372036854775807 ELSE -9223372036854775807 END, is_baseline FROM captures`);
    return { mode: 'marked', description: `baseline captures ${marked.map((m) => m.file_name).join(', ')}` };
  }
  await store.exec(sql`INSERT INTO triage_baseline
    SELECT capture_id,
           min(ts_us) + CAST(least(${SELF_BASELINE.maxUs}, greatest(${SELF_BASELINE.minUs}, ${SELF_BASELINE.share} * (max(ts_us) - min(ts_us)))) AS BIGINT),
           FALSE
    FROM event_rows GROUP BY capture_id`);
  return { mode: 'self', description: 'no capture marked as baseline: the first quarter (10 s – 10 min) of each capture serves as its baseline' };
}

/** SQL predicate (over e and b = triage_baseline) true for baseline events. */
export const IN_BASELINE = sql`(b.whole_capture OR e.ts_us < b.baseline_until_us)`;
