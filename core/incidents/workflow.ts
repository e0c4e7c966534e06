// Analysts' workflow state of findings and incidents (table workflow_states, migration 9). A
// triage run renumbers findings, so states are keyed by what a finding is — its rule and the
// events it matched — and an incident by its entry finding's key: re-running triage keeps them.
import { createHash } from 'node:crypto';
import { DEFAULT_WORKFLOW_STATE, WORKFLOW_STATES, type WorkflowState, type WorkflowStateValue } from '../model/incident.ts';
import type { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';

/** Stable identity of a finding: rule + a digest of its (sorted) event ids. */
export function findingKey(rule: string, eventIds: readonly number[]): string {
  const ids = [...eventIds].sort((a, b) => a - b).join(',');
  return `${rule}:${createHash('sha256').update(ids).digest('hex').slice(0, 16)}`;
}

export type Subject = 'finding' | 'incident';

/** Every kept state of one kind of subject, by key. */
export async function readWorkflowStates(store: CaseStore, subject: Subject): Promise<Map<string, WorkflowState>> {
  const rows = await store.read.rows(
    sql`SELECT subject_key, state, note, author, strftime(updated_at, '%Y-%m-%dT%H:%M:%SZ') AS updated_at
        FROM workflow_states WHERE subject = ${subject}`,
    { subject_key: 'str', state: 'str', note: 'str?', author: 'str?', updated_at: 'str' },
  );
  return new Map(rows.map((r) => [r.subject_key, { state: asState(r.state), note: r.note, author: r.author, updated_at: r.updated_at }]));
}

export function stateOf(states: Map<string, WorkflowState>, key: string): WorkflowState {
  return states.get(key) ?? DEFAULT_WORKFLOW_STATE;
}

function asState(s: string): WorkflowStateValue {
  return (WORKFLOW_STATES as readonly string[]).includes(s) ? (s as WorkflowStateValue) : 'open';
}

/** Writes (replaces) the state of one subject and records it in the audit log. */
export async function writeWorkflowState(
  store: CaseStore,
  subject: Subject,
  key: string,
  update: { state: WorkflowStateValue; note?: string | null; author?: string | null },
): Promise<WorkflowState> {
  await store.transaction(async () => {
    await store.exec(sql`DELETE FROM workflow_states WHERE subject = ${subject} AND subject_key = ${key}`);
    await store.exec(sql`INSERT INTO workflow_states VALUES (${subject}, ${key}, ${update.state}, ${update.note ?? null}, ${update.author ?? null}, now()::TIMESTAMP)`);
    await store.audit('workflow-state', { subject, key, state: update.state, author: update.author ?? null });
  });
  const states = await store.rows(
    sql`SELECT state, note, author, strftime(updated_at, '%Y-%m-%dT%H:%M:%SZ') AS updated_at FROM workflow_states WHERE subject = ${subject} AND subject_key = ${key}`,
    { state: 'str', note: 'str?', author: 'str?', updated_at: 'str' },
  );
  const row = states[0];
  return row ? { state: asState(row.state), note: row.note, author: row.author, updated_at: row.updated_at } : DEFAULT_WORKFLOW_STATE;
}
