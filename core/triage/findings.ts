// Findings stored in the case. (Placeholder until triage lands: a case has none.)
import type { Finding } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';

export async function listFindings(_store: CaseStore): Promise<Finding[]> {
  return [];
}
