// `--set ID=STATE [--note T] [--author A]` of `findings` and `incidents`: one analyst decision,
// stored in the case and kept when triage runs again.
import { setWorkflowState } from '../../core/incidents/store.ts';
import { WORKFLOW_STATES, type WorkflowStateValue } from '../../core/model/incident.ts';
import type { CaseStore } from '../../core/store/case-store.ts';
import { CliUsageError } from '../command.ts';

export const WORKFLOW_OPTIONS = {
  set: { type: 'string' },
  note: { type: 'string' },
  author: { type: 'string' },
} as const;

/** Records the decision `--set` names and returns the line to print. */
export async function applyWorkflowOption(
  store: CaseStore,
  subject: 'finding' | 'incident',
  values: { set?: string | undefined; note?: string | undefined; author?: string | undefined },
): Promise<string> {
  const m = /^(\d+)=([a-z_]+)$/.exec(values.set ?? '');
  if (!m || !(WORKFLOW_STATES as readonly string[]).includes(m[2] as string)) {
    throw new CliUsageError(`--set wants ID=STATE with STATE one of ${WORKFLOW_STATES.join(', ')}, not "${values.set}"`);
  }
  const state = await setWorkflowState(store, { subject, id: Number(m[1]), state: m[2] as WorkflowStateValue, note: values.note ?? null, author: values.author ?? null });
  return `${subject} ${m[1]}: ${state.state}${state.note ? ` — ${state.note}` : ''}\n`;
}
