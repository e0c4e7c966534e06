// The data behind every report format. Gathered once from the case; the HTML and Markdown
// renderers only lay it out, and the JSON report is this object as it is.
import type { Finding } from '../api.ts';
import type { Governance } from '../model/governance.ts';
import type { Incident, WorkflowStateValue } from '../model/incident.ts';
import type { CapturePairUncertainty } from '../model/link.ts';
import type { CitedView } from './saved-views.ts';
import type { StoredEvent } from '../model/event.ts';
import type { CaptureSummary } from '../store/capture-writer.ts';
import type { NotImportedFile } from '../store/offered-files.ts';

export const REPORT_CONTEXT_WINDOW_US = 5_000_000;
export const REPORT_CONTEXT_LIMIT = 25;
export const REPORT_REJECT_SAMPLE = 20;

/** One event as a report cites it: enough to find it again in the source file. */
export interface EventCitation {
  event_id: number;
  capture_id: number;
  file_name: string;
  source_line: number;
  ts: string;
  host: string | null;
  pid: number | null;
  process: string | null;
  kind: string;
  /** The log level the source states (StoredEvent.level). */
  level: string | null;
  op: string;
  target: string | null;
  ret: string | null;
  error: string | null;
  /** The call's arguments or the record's text as the source gave it (an execve's command line, say). */
  args: string | null;
  /** Seconds from the annotated moment (context rows only). */
  delta_s?: number;
}

/** A source as the report lists it: what an import summarises, plus how it was read and aligned. */
export interface SourceSection extends CaptureSummary {
  importer_version: string;
  clock_offset_s: number;
  clock_offset_basis: string | null;
  is_baseline: boolean;
  imported_at: string;
  reject_sample: { source_line: number; reason: string; raw: string }[];
}

export interface CoverageSection {
  hosts: { host: string; capture_ids: number[]; kinds: string[]; first_ts: string | null; last_ts: string | null }[];
  /** Times inside the case's span that no capture covers. */
  gaps: { from: string; to: string; seconds: number }[];
  /** Long silences inside one capture (no events although the capture was running). */
  silences: { capture_id: number; file_name: string; from: string; to: string; seconds: number }[];
  /** Plain statements of what this case cannot show. */
  blind_spots: string[];
  /** How the evidence was collected and is kept, as the analyst recorded it (tracebench case set). */
  governance: Governance;
  /** Files offered to the case that are not in it (format not recognised, import failed…). */
  not_imported: NotImportedFile[];
}

export interface AnnotationSection {
  annotation_id: number;
  tag: string;
  note: string;
  author: string;
  from: string;
  to: string;
  created_at: string;
  updated_at: string;
  event: EventCitation | null;
  context: EventCitation[];
  context_truncated: boolean;
  /** Repetitive activity around the note, one line per process and operation instead of rows. */
  folded: FoldedActivity[];
  /** Incidents whose span holds this note. */
  incident_ids: number[];
}

/** "N × epoll_pwait by node": many events of one process and operation near an annotation. */
export interface FoldedActivity {
  count: number;
  op: string;
  process: string | null;
  pid: number | null;
  host: string | null;
  file_name: string;
  first_ts: string;
  last_ts: string;
  /** One of them, to look the rest up from. */
  example_event_id: number;
}

export interface FindingSection extends Omit<Finding, 'first_us' | 'last_us'> {
  first_ts: string;
  last_ts: string;
  events: EventCitation[];
  /** The analyst's decision (open until set). */
  state: WorkflowStateValue;
  state_note: string | null;
}

/** The order findings and incidents are reported in: decided first, false positives last (appendix). */
export const STATE_ORDER: readonly WorkflowStateValue[] = ['confirmed', 'needs_review', 'open', 'false_positive'];
export const STATE_LABEL: Record<WorkflowStateValue, string> = {
  confirmed: 'Confirmed',
  needs_review: 'Needs review',
  open: 'Open (not yet reviewed)',
  false_positive: 'False positive',
};

export type IncidentSection = Omit<Incident, 'start_us' | 'end_us'>;

/** One write to a controller: the records of it (wire request/response, device log) within a few ms. */
export interface ControllerWrite {
  ts: string;
  /** register (setpoint/value), coil (on/off output) or other. */
  what: 'register' | 'coil' | 'other';
  records: EventCitation[];
  incident_ids: number[];
}

/** The one-page summary; every statement cites the events, incidents or query it rests on. */
export interface ExecutiveSummary {
  /** First and last moment of the incidents (the case's span when there are none). */
  span: { from: string | null; to: string | null; basis: 'incidents' | 'case' };
  hosts: string[];
  /** The incidents' root and step processes, "image (pid N) on host". */
  processes: { host: string | null; pid: number | null; process: string | null; incident_ids: number[] }[];
  incidents: { total: number; by_state: Record<WorkflowStateValue, number> };
  findings: { total: number; by_state: Record<WorkflowStateValue, number> };
  impact: {
    /** Writes to controllers within the incidents' spans. */
    writes_in_incidents: ControllerWrite[];
    /** Writes elsewhere in the case (the HMI's own, say). */
    writes_elsewhere: number;
    alarms_in_incidents: EventCitation[];
    alarms_elsewhere: number;
  };
  confidence: string[];
  unknowns: string[];
}

/** The timeline figure's data: lanes of marks, the incidents' spans and the notes. */
export interface TimelineFigure {
  from: string;
  to: string;
  lanes: { name: string; kind: 'process' | 'ics' | 'alarm'; marks: { ts: string; event_id: number; label: string }[] }[];
  incidents: { id: number; title: string; from: string; to: string }[];
  annotations: { annotation_id: number; ts: string; tag: string }[];
}

/** A claim the report makes with the SQL that reproduces it (bound values written in). */
export interface ClaimQuery {
  claim: string;
  sql: string;
}

export interface ReportData {
  report_version: 1;
  generated_at: string;
  generator: string;
  case: {
    path: string;
    name: string;
    schema_version: number;
    event_count: number;
    first_ts: string | null;
    last_ts: string | null;
    hosts: string[];
  };
  sources: SourceSection[];
  /** The case's saved views, so a note naming one (#saved=N) can be followed (saved-views.ts). */
  views: CitedView[];
  /** Pairs of captures whose relative order is known only within this much (core/links/ordering.ts). */
  ordering: CapturePairUncertainty[];
  coverage: CoverageSection;
  summary: ExecutiveSummary;
  timeline: TimelineFigure;
  incidents: IncidentSection[];
  findings: FindingSection[];
  annotations: AnnotationSection[];
  queries: ClaimQuery[];
  audit: { at: string; action: string; detail: string }[];
}

export function citeEvent(e: StoredEvent, fileName: string, isoOf: (us: number) => string, anchorUs?: number): EventCitation {
  const c: EventCitation = {
    event_id: e.event_id,
    capture_id: e.capture_id,
    file_name: fileName,
    source_line: e.source_line,
    ts: isoOf(e.ts_us),
    host: e.host,
    pid: e.pid,
    process: e.process,
    kind: e.kind,
    level: e.level,
    op: e.op,
    target: e.target,
    ret: e.ret,
    error: e.error,
    args: e.args,
  };
  if (anchorUs !== undefined) c.delta_s = Math.round((e.ts_us - anchorUs) / 1000) / 1000;
  return c;
}

/**
 * A finding's explanation without its trailing "Check next: …" sentence, for layouts that list
 * the checks separately (triage writes that sentence last, from the same check_next list).
 */
export function explanationBody(f: { explanation: string; check_next: string[] }): string {
  if (f.check_next.length === 0) return f.explanation;
  const at = f.explanation.lastIndexOf('Check next: ');
  return at < 0 ? f.explanation : f.explanation.slice(0, at).trimEnd();
}
