// Findings written to the case in multi-row INSERTs: one statement per chunk of findings instead
// of one per finding (SigmaHQ's Windows rules over a 100k-event case make ~10,000 findings, and a
// statement costs about the same for one row as for hundreds). Values stay bound parameters; the
// list columns go in as JSON text cast to their list types, as one-by-one inserts did.
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, sql } from '../store/sql.ts';
import type { NewFinding } from './findings-build.ts';

/** Findings per INSERT (15 bound values each: a few thousand parameters per statement). */
export const FINDINGS_PER_INSERT = 250;

/** Inserts `findings` with ids firstId, firstId + 1, … in order (the caller holds the transaction). */
export async function insertFindings(store: CaseStore, findings: NewFinding[], firstId: number): Promise<void> {
  for (let i = 0; i < findings.length; i += FINDINGS_PER_INSERT) {
    const rows = findings.slice(i, i + FINDINGS_PER_INSERT).map(
      (f, k) => sql`(${firstId + i + k}, ${f.rule}, ${f.rule_file}, ${f.title}, ${f.score}, ${f.severity}, ${f.explanation},
                CAST(CAST(${JSON.stringify(f.event_ids)} AS JSON) AS BIGINT[]), CAST(CAST(${JSON.stringify(f.attack)} AS JSON) AS VARCHAR[]),
                make_timestamp(CAST(${f.first_us} AS BIGINT)), make_timestamp(CAST(${f.last_us} AS BIGINT)), CAST(CAST(${JSON.stringify(f.check_next)} AS JSON) AS VARCHAR[]),
                ${f.host}, CAST(CAST(${JSON.stringify(f.pids)} AS JSON) AS INTEGER[]), now()::TIMESTAMP)`,
    );
    await store.exec(sql`INSERT INTO findings (finding_id, rule, rule_file, title, score, severity, explanation, event_ids, attack,
                                               first_ts, last_ts, check_next, host, pids, created_at)
      VALUES ${joinSql(rows, ', ')}`);
  }
}
