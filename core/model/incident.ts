// Incidents (findings grouped by process ancestry, shared entities and time; core/incidents) and
// the analyst's workflow state of a finding or an incident, as the contract hands them out.

export const WORKFLOW_STATES = ['open', 'confirmed', 'false_positive', 'needs_review'] as const;
export type WorkflowStateValue = (typeof WORKFLOW_STATES)[number];

/** What an analyst decided about a finding or an incident (kept across triage runs). */
export interface WorkflowState {
  state: WorkflowStateValue;
  note: string | null;
  author: string | null;
  /** ISO time of the last change; null while nobody set it (state "open"). */
  updated_at: string | null;
}

export const DEFAULT_WORKFLOW_STATE: WorkflowState = { state: 'open', note: null, author: null, updated_at: null };

/** One line of an incident's storyline: one finding, in time order (or the end of a reverse shell). */
export interface IncidentStep {
  /** ISO time of the finding's first event (of the shell's end for a `shell_end` step). */
  ts: string;
  ts_us: number;
  /** The finding of the step; 0 for a `shell_end` step, which is no finding. */
  finding_id: number;
  /** Absent for a finding's step; `shell_end`: the reverse shell exited / its connection closed. */
  kind?: 'shell_end';
  event_ids: number[];
  /** "06:14:37.416 sh (pid 1210): Shell spawned by a service — execve /bin/sh [tb-lnx-…]". */
  text: string;
}

export interface IncidentRoot {
  proc_id: number | null;
  pid: number | null;
  image: string | null;
}

/** What an incident touched: from its findings' events, and the case's events within its span. */
export interface IncidentTouched {
  files: string[];
  endpoints: string[];
  /** Controller writes (ICS write operations) on the incident's hosts within its span. */
  controller_writes: number;
  /** Alarm events on the incident's hosts within its span. */
  alarms: number;
}

export interface Incident {
  id: number;
  /** Stable identity across triage runs (the entry finding's key): workflow state hangs on it. */
  key: string;
  title: string;
  score: number;
  start: string;
  end: string;
  start_us: number;
  end_us: number;
  root_pid: number | null;
  root: IncidentRoot;
  /** The first suspicious step. */
  entry: IncidentStep;
  tactics: string[];
  steps: IncidentStep[];
  touched: IncidentTouched;
  finding_ids: number[];
  workflow: WorkflowState;
}

/** Sets the workflow state of one finding or one incident. */
export interface WorkflowUpdate {
  subject: 'finding' | 'incident';
  /** finding_id or incident id as currently listed. */
  id: number;
  state: WorkflowStateValue;
  note?: string | null;
  author?: string | null;
}
