// Findings stored in the case (written by runTriage in run.ts), best first.
import type { Finding } from '../api.ts';
import { findingKey, readWorkflowStates, stateOf } from '../incidents/workflow.ts';
import type { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';

export { runTriage, type TriageOptions, type TriageResult } from './run.ts';

/** A stored finding with the columns the contract's Finding does not carry. */
export interface StoredFinding extends Finding {
  severity: string;
  rule_file: string | null;
  host: string | null;
  pids: number[];
  created_at: string;
}

export async function listFindings(store: CaseStore): Promise<StoredFinding[]> {
  const rows = await store.read.rows(
    sql`SELECT finding_id, rule, rule_file, title, score, severity, explanation,
               to_json(event_ids)::VARCHAR AS event_ids, to_json(attack)::VARCHAR AS attack,
               epoch_us(first_ts) AS first_us, epoch_us(last_ts) AS last_us,
               to_json(check_next)::VARCHAR AS check_next, host, to_json(coalesce(pids, []))::VARCHAR AS pids,
               strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at
        FROM findings ORDER BY score DESC, first_ts, finding_id`,
    {
      finding_id: 'num', rule: 'str', rule_file: 'str?', title: 'str', score: 'num', severity: 'str', explanation: 'str',
      event_ids: 'str', attack: 'str', first_us: 'num', last_us: 'num', check_next: 'str', host: 'str?', pids: 'str', created_at: 'str',
    },
  );
  const states = await readWorkflowStates(store, 'finding');
  return rows.map((r) => {
    const eventIds = JSON.parse(r.event_ids) as number[];
    const key = findingKey(r.rule, eventIds);
    return {
      ...r,
      key,
      workflow: stateOf(states, key),
      event_ids: eventIds,
      attack: JSON.parse(r.attack) as string[],
      check_next: JSON.parse(r.check_next) as string[],
      pids: JSON.parse(r.pids) as number[],
    };
  });
}
