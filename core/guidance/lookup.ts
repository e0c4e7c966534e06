// Guidance for one event: the knowledge-base entry for its operation (chosen by platform when a
// name exists on several) and remarks specific to this very event. Benign-looking calls get
// guidance too; findings are the triage module's business.
import type { GuidanceEntry, GuidanceResponse } from '../api.ts';
import type { StoredEvent } from '../model/event.ts';
import { knowledgeBase } from './kb.ts';
import { remarksFor } from './remarks.ts';

export function guidanceForEvent(event: StoredEvent): GuidanceResponse {
  const candidates = knowledgeBase().byOp.get(event.op.toLowerCase()) ?? [];
  return { entry: pick(candidates, event), remarks: remarksFor(event) };
}

/** The entry whose platform fits the event best: Windows hints (backslash paths, .exe, Sysmon fields) vs Linux. */
function pick(candidates: GuidanceEntry[], event: StoredEvent): GuidanceEntry | null {
  if (candidates.length <= 1) return candidates[0] ?? null;
  const windows = /\\|\.exe\b/i.test(`${event.target ?? ''} ${event.process ?? ''}`) || event.fields?.['source'] === 'sysmon';
  const platform = windows ? 'windows' : 'linux';
  return candidates.find((c) => c.platform === platform) ?? candidates.find((c) => c.platform === 'any') ?? candidates[0] ?? null;
}
