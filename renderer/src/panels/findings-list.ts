// What the findings panel lists: incidents, then the findings no incident holds, filtered by score
// and workflow state; the order next/previous walks; and the view a finding or step opens on.
import type { Finding, Incident, WorkflowStateValue } from '../../../core/api.ts';
import { clampView, type TimeView } from '../timeline/view.ts';

/** A finding or step opens the timeline on its span padded by at least this on each side. */
export const MIN_PAD_US = 3_000_000;

export interface FindingsFilter {
  minScore: number;
  state: WorkflowStateValue | 'all';
}

export interface FindingsListing {
  incidents: Incident[];
  loose: Finding[];
  /** Every listed finding in reading order (incident storylines, then loose): what next/previous walk. */
  walk: number[];
}

export function stateOfFinding(f: Finding): WorkflowStateValue {
  return f.workflow?.state ?? 'open';
}

export function listFindings(findings: Finding[], incidents: Incident[], filter: FindingsFilter): FindingsListing {
  const grouped = new Set(incidents.flatMap((i) => i.finding_ids));
  const keepFinding = (f: Finding) => f.score >= filter.minScore && (filter.state === 'all' || stateOfFinding(f) === filter.state);
  const shown = incidents.filter((i) => i.score >= filter.minScore && (filter.state === 'all' || i.workflow.state === filter.state));
  const loose = findings.filter((f) => !grouped.has(f.finding_id) && keepFinding(f)).sort((a, b) => b.score - a.score || a.first_us - b.first_us);
  // A reverse shell's end (finding_id 0) is a step to read, not a finding to walk to.
  const walk = [...shown.flatMap((i) => i.steps.filter((s) => s.finding_id > 0).map((s) => s.finding_id)), ...loose.map((f) => f.finding_id)];
  return { incidents: shown, loose, walk };
}

/** The view around [from, to]: the span plus a quarter of it, and never less than MIN_PAD_US each side. */
export function paddedView(from_us: number, to_us: number, bounds: TimeView): TimeView {
  const pad = Math.max(MIN_PAD_US, (to_us - from_us) / 4);
  return clampView({ from_us: from_us - pad, to_us: to_us + pad }, bounds);
}

/** The finding after (step 1) or before (step -1) `current` in the walk, wrapping around. */
export function stepWalk(walk: number[], current: number | null, step: 1 | -1): number | null {
  if (walk.length === 0) return null;
  const at = current === null ? -1 : walk.indexOf(current);
  if (at < 0) return step === 1 ? (walk[0] ?? null) : (walk[walk.length - 1] ?? null);
  return walk[(at + step + walk.length) % walk.length] ?? null;
}

export interface EventMemberships {
  findings: Finding[];
  incidents: Incident[];
}

/** The findings naming the event, best first, and the incidents holding one of them or a step naming it. */
export function membershipsOf(event_id: number, findings: Finding[], incidents: Incident[]): EventMemberships {
  const mine = findings.filter((f) => f.event_ids.includes(event_id)).sort((a, b) => b.score - a.score || a.finding_id - b.finding_id);
  const ids = new Set(mine.map((f) => f.finding_id));
  const holding = incidents.filter((i) => i.finding_ids.some((id) => ids.has(id)) || i.steps.some((s) => s.event_ids.includes(event_id)));
  return { findings: mine, incidents: holding };
}
