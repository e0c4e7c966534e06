// WorkbenchApi: the one typed contract between the renderer and whatever hosts a case (the
// Electron main process over IPC, `tracebench serve` over HTTP). Every method takes one
// JSON-safe argument object and returns a JSON-safe result; each argument has a zod schema in
// core/api/schemas.ts that both transports validate before a call reaches core.
//
// Times cross the contract as microseconds since the Unix epoch, UTC (numbers).
import type { Category, EventKind, StoredEvent } from './model/event.ts';
import type { Incident, IncidentStep, WorkflowState, WorkflowStateValue, WorkflowUpdate } from './model/incident.ts';
import type { Link, LinkKind } from './model/link.ts';
import type { CapturePairUncertainty, ChainProcess, ChainRole, ChainStep, FlowFunction, FlowSummary, FollowedChain, OrderUncertainty } from './model/link.ts';
import type { CustodyNote, Governance, GovernanceDevice, GovernanceUpdate } from './model/governance.ts';
import type { ProcessMember, ProcessNode } from './model/process.ts';
import type { QueryCell, QueryResponse } from './model/query-result.ts';
import type { ExportColumn, ExportFormat } from './export/event-lines.ts';
import type { FormatProbe, ImportJob, ImportJobState, ImportRequest, ImportTriageProgress, ReportCompanion, ReportFile, ReportRequest } from './api/import-report-types.ts';
import type { BucketRequest, BucketResponse, Lane, LaneBuckets, TimelineEvent, TimelineEventsRequest, TimelineEventsResponse } from './api/timeline-types.ts';

export type { Category, EventKind, StoredEvent, Link, LinkKind, ProcessMember, ProcessNode, QueryCell, QueryResponse, ExportColumn, ExportFormat };
export type { Incident, IncidentStep, WorkflowState, WorkflowStateValue, WorkflowUpdate };
export type { CapturePairUncertainty, ChainProcess, ChainRole, ChainStep, FlowFunction, FlowSummary, FollowedChain, OrderUncertainty };
export type { CustodyNote, Governance, GovernanceDevice, GovernanceUpdate };
export { WORKFLOW_STATES } from './model/incident.ts';
export type { FormatProbe, ImportJob, ImportJobState, ImportRequest, ImportTriageProgress, ReportCompanion, ReportFile, ReportRequest };
export type { BucketRequest, BucketResponse, Lane, LaneBuckets, TimelineEvent, TimelineEventsRequest, TimelineEventsResponse };
export type { TimelineEventColumns } from './api/timeline-types.ts';
export { decodeEventColumns, encodeEventColumns } from './api/timeline-columns.ts';

/** Commands the Electron shell's native menu sends to the renderer (electron/app-menu.ts builds the menu). */
export const MENU_COMMANDS = ['new-case', 'open-case', 'import', 'export-report', 'toggle-theme', 'shortcuts'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export interface CaptureInfo {
  capture_id: number;
  file_name: string;
  format: string;
  sha256: string;
  size_bytes: number;
  host: string | null;
  events: number;
  rejected: number;
  first_us: number | null;
  last_us: number | null;
  clock_offset_us: number;
  clock_offset_basis: string | null;
  date_basis: string | null;
  is_baseline: boolean;
  imported_at: string;
  importer_version: string;
  warnings: string[];
}

export interface CaseInfo {
  path: string;
  name: string;
  schema_version: number;
  captures: CaptureInfo[];
  event_count: number;
  first_us: number | null;
  last_us: number | null;
  hosts: string[];
  /** Open read-only (a Parquet dataset): imports, annotations and triage states are refused. */
  read_only?: boolean;
}

/** A parsed event filter: compiled to SQL with bound values, never pasted. */
export interface EventFilter {
  from_us?: number;
  to_us?: number;
  capture_ids?: number[];
  kinds?: string[];
  categories?: string[];
  ops?: string[];
  hosts?: string[];
  pids?: number[];
  /** Stated log levels (StoredEvent.level: emerg, alert, crit, err, warning, notice, info, debug, alarm, fatal). */
  levels?: string[];
  /** Substring of the process name (case-insensitive). */
  process?: string;
  /** Substring searched in op, target, args, ret, error, process. */
  text?: string;
  failed_only?: boolean;
  /** Restrict to one timeline lane (see Lane.lane_id). */
  lane_id?: string;
  /** Events of these processes of the process tree (ProcessNode.proc_id), in every capture that saw them. */
  proc_ids?: number[];
  /** Process names, matched exactly (a value picked in the stacking panel). */
  processes?: string[];
  /** Targets, matched exactly. */
  targets?: string[];
  /** Targets starting with this text, e.g. a directory "/etc/" (StackField path_prefix). */
  target_prefix?: string;
  /** Remote endpoints as StackField endpoint derives them from the target ("10.0.0.5:502"). */
  endpoints?: string[];
  /** Events carrying an annotation with this tag (case-insensitive): annotated events, and events inside an annotated range. */
  tag?: string;
  /** Only pinned events (core/pins). */
  pinned_only?: boolean;
  /** Conditions on one column's exact value, from the table's "filter to / exclude this value"
   * (null matches an empty cell); all must hold. */
  cells?: CellCondition[];
}

/** Event columns a cell condition may name. */
export const CELL_COLUMNS = ['ts_us', 'dur_us', 'host', 'pid', 'tid', 'process', 'kind', 'level', 'op', 'category', 'target', 'args', 'ret', 'error'] as const;
export type CellColumn = (typeof CELL_COLUMNS)[number];

/** Keep (or, with `exclude`, drop) the events whose `column` equals `value`. */
export interface CellCondition {
  column: CellColumn;
  value: string | number | null;
  exclude?: boolean;
}

/** A pinned (starred) event. */
export interface Pin {
  event_id: number;
  pinned_at: string;
  author: string | null;
}

export const SORTABLE_COLUMNS = ['ts_us', 'dur_us', 'pid', 'process', 'kind', 'level', 'op', 'category', 'target', 'host', 'event_id'] as const;
export type SortableColumn = (typeof SORTABLE_COLUMNS)[number];

export interface EventPageRequest {
  filter: EventFilter;
  sort?: { column: SortableColumn; desc: boolean };
  offset: number;
  limit: number;
}

export interface EventPage {
  rows: StoredEvent[];
  /** Total rows matching the filter (for the scroll height). */
  total: number;
  offset: number;
}

export interface SurroundingRequest {
  event_id: number;
  /** Half-width of the window around the event, µs (default 5 s). */
  window_us: number;
  limit: number;
  /** Only events from other captures (the default) or from every capture. */
  other_captures_only?: boolean;
}

export interface SurroundingEvent extends StoredEvent {
  /** Signed distance from the selected event, µs. */
  delta_us: number;
  same_process: boolean;
}

export interface SurroundingResponse {
  anchor: StoredEvent;
  events: SurroundingEvent[];
  truncated: boolean;
}

export interface GuidanceEntry {
  id: string;
  /** The op names this entry covers, e.g. ["openat", "open"]. */
  ops: string[];
  platform: 'linux' | 'windows' | 'any';
  source_kind: string;
  title: string;
  what_it_does: string;
  benign: string[];
  suspicious: string[];
  check_next: string[];
  attack_enterprise: string[];
  attack_ics: string[];
  references: string[];
}

export interface GuidanceResponse {
  entry: GuidanceEntry | null;
  /** Context-specific remarks about this very event (e.g. "target is a credential store"). */
  remarks: string[];
}

export const ANNOTATION_TAGS = ['benign', 'suspicious', 'malicious', 'needs-review'] as const;

export interface Annotation {
  annotation_id: number;
  event_id: number | null;
  from_us: number;
  to_us: number;
  /** The tags joined with ", " (what readers before tag lists saw). */
  tag: string;
  /** The tags, in the order given (core/annotations/tags.ts). */
  tags: string[];
  note: string;
  author: string;
  created_at: string;
  updated_at: string;
}

export interface AnnotationInput {
  event_id?: number | null;
  from_us?: number;
  to_us?: number;
  /** One tag, or several separated by commas (the form before tag lists); merged with `tags`. */
  tag?: string;
  tags?: string[];
  note: string;
  /** Who wrote it; defaults to the user the backend runs as (SessionInfo.user). */
  author?: string;
}

export interface AnnotationUpdate {
  annotation_id: number;
  /** Replaces the tags (comma-separated text); `tags` wins when both are given. */
  tag?: string;
  tags?: string[];
  note?: string;
  author?: string;
}

/** A tag used in the case and how many annotations carry it (suggestions for the tag chips). */
export interface TagCount {
  tag: string;
  count: number;
}

/** A named view of the case kept in the case file (core/views). */
export interface SavedView {
  view_id: number;
  name: string;
  /** The renderer's view state as JSON text (renderer/src/state/url-state.ts); core does not interpret it. */
  state: string;
  author: string;
  created_at: string;
  updated_at: string;
  /** How a report or a note cites it: the address fragment that opens it (`#saved=<view_id>`). */
  link: string;
}

export interface SaveViewRequest {
  name: string;
  state: string;
  /** Overwrite this saved view's state (and name) instead of adding one. */
  view_id?: number;
}

export interface QueryRequest {
  sql: string;
}

export interface AlignRequest {
  capture_id: number;
  /** Either an offset to add to the capture's raw times… */
  offset_us?: number;
  /** …or two events declared to be the same moment: the first (in this capture) is moved onto the second. */
  same?: [number, number];
}

/** What the stacking panel counts events by (Procmon's Count Occurrences). */
export const STACK_FIELDS = ['process', 'op', 'category', 'kind', 'host', 'target', 'path_prefix', 'endpoint'] as const;
export type StackField = (typeof STACK_FIELDS)[number];

/** The events a stacked value counted, as a table filter (a directory keeps everything under it). */
export function stackValueFilter(field: StackField, value: string): EventFilter {
  switch (field) {
    case 'process':
      return { processes: [value] };
    case 'op':
      return { ops: [value] };
    case 'category':
      return { categories: [value] };
    case 'kind':
      return { kinds: [value] };
    case 'host':
      return { hosts: [value] };
    case 'target':
      return { targets: [value] };
    case 'path_prefix':
      return { target_prefix: value };
    case 'endpoint':
      return { endpoints: [value] };
  }
}

export interface StackRequest {
  filter: EventFilter;
  field: StackField;
  limit: number;
  /** Rarest values first (the default is the most frequent first). */
  rare?: boolean;
}

export interface StackResponse {
  field: StackField;
  /** Values with their event counts, most frequent (or with `rare`, rarest) first; ties by value. */
  rows: { value: string; count: number }[];
  /** Distinct values in all (rows holds at most `limit` of them). */
  distinct: number;
  /** Events the filter keeps. */
  total: number;
  /** Of those, events with a value for the field (a path prefix or endpoint is derived only from targets that look like one). */
  with_value: number;
}

/** The table's view as a file: its filter, sort and columns, in one of the export formats. */
export interface ExportRequest {
  filter: EventFilter;
  sort?: EventPageRequest['sort'];
  /** Columns of a CSV or JSON Lines export, in order (default: all); Timesketch lines carry every column. */
  columns?: ExportColumn[];
  format: ExportFormat;
}

export interface Finding {
  finding_id: number;
  rule: string;
  title: string;
  score: number;
  explanation: string;
  event_ids: number[];
  attack: string[];
  first_us: number;
  last_us: number;
  check_next: string[];
  /** Stable identity across triage runs (rule + event ids): workflow state hangs on it. */
  key?: string;
  /** The analyst's decision (open until set). */
  workflow?: WorkflowState;
}

/** A case file the host offers to open, named by an id it issued (core/api/file-grants.ts). */
export interface CaseEntry {
  case_id: string;
  /** The file name without .duckdb. */
  name: string;
  /** Where it is, for the analyst to recognise (display only: cases are opened by id). */
  location: string;
  /** Last modification, ISO 8601 UTC. */
  modified: string;
  size: number;
}

/** Which case the host has open, and where new cases go. */
export interface SessionInfo {
  case_path: string | null;
  /** Folder where "new case" creates case files. */
  workspace: string;
  /** Recently opened cases the host can still open: in the workspace, or granted this session. */
  recent: CaseEntry[];
  sample_available: boolean;
  shell: 'electron' | 'browser';
  /** The user the backend runs as (os.userInfo()): the default author of annotations and views. */
  user: string;
}

/** The contract. Electron's preload and the HTTP client both implement exactly this. */
export interface WorkbenchApi {
  session(args: Record<string, never>): Promise<SessionInfo>;
  /** The case files in the workspace folder, newest first, each with an id for openCase. */
  listCases(args: Record<string, never>): Promise<CaseEntry[]>;
  /** Opens a case the host issued `case_id` for (listCases, recent, Electron's open dialog, the command line). */
  openCase(args: { case_id: string }): Promise<CaseInfo>;
  /** Creates a new empty case named `name` in the workspace and opens it. */
  newCase(args: { name: string }): Promise<CaseInfo>;
  /** Opens (building it on first use) the demo case made from the captures in samples/. */
  openSampleCase(args: Record<string, never>): Promise<CaseInfo>;
  caseInfo(args: Record<string, never>): Promise<CaseInfo>;
  /** Detects the format of a file the host issued `file_id` for (an upload, a dialog or a drop). */
  probeFormat(args: { file_id: string; display_name?: string }): Promise<FormatProbe>;
  startImport(args: ImportRequest): Promise<ImportJob>;
  importStatus(args: { job_id: string }): Promise<ImportJob>;
  cancelImport(args: { job_id: string }): Promise<ImportJob>;
  lanes(args: { filter?: EventFilter }): Promise<Lane[]>;
  buckets(args: BucketRequest): Promise<BucketResponse>;
  timelineEvents(args: TimelineEventsRequest): Promise<TimelineEventsResponse>;
  eventPage(args: EventPageRequest): Promise<EventPage>;
  /** Row index of an event within a filtered, sorted listing (to scroll the table to it). */
  eventIndex(args: { event_id: number; filter: EventFilter; sort?: EventPageRequest['sort'] }): Promise<{ index: number | null }>;
  event(args: { event_id: number }): Promise<StoredEvent>;
  surrounding(args: SurroundingRequest): Promise<SurroundingResponse>;
  guidance(args: { event_id: number }): Promise<GuidanceResponse>;
  annotations(args: Record<string, never>): Promise<Annotation[]>;
  annotate(args: AnnotationInput): Promise<Annotation>;
  updateAnnotation(args: AnnotationUpdate): Promise<Annotation>;
  deleteAnnotation(args: { annotation_id: number }): Promise<{ deleted: boolean }>;
  /** Tags used in the case's annotations, most used first (suggestions). */
  annotationTags(args: Record<string, never>): Promise<TagCount[]>;
  /** Named views saved in the case file, by name. */
  savedViews(args: Record<string, never>): Promise<SavedView[]>;
  saveView(args: SaveViewRequest): Promise<SavedView>;
  renameView(args: { view_id: number; name: string }): Promise<SavedView>;
  deleteView(args: { view_id: number }): Promise<{ deleted: boolean }>;
  findings(args: Record<string, never>): Promise<Finding[]>;
  /** Findings grouped into incidents (process ancestry, shared entities, time), best first. */
  incidents(args: Record<string, never>): Promise<Incident[]>;
  /** Sets the workflow state (open / confirmed / false_positive / needs_review) of a finding or an incident. */
  setWorkflowState(args: WorkflowUpdate): Promise<WorkflowState>;
  /** The chain of links around one event: socket call → connection → wire flow → ICS operations → device records (core/links). */
  links(args: { event_id: number }): Promise<Link[]>;
  /** Event counts by one field's values for a filter (core/query/stack.ts). */
  stack(args: StackRequest): Promise<StackResponse>;
  /** The table's view as CSV (formula-safe), JSON Lines or Timesketch JSONL, for saving; refused above a row limit (the CLI's export has none). */
  exportEvents(args: ExportRequest): Promise<ReportFile>;
  /** The case's process tree: every process across captures, parents by id (core/process). */
  processes(args: Record<string, never>): Promise<ProcessNode[]>;
  align(args: AlignRequest): Promise<CaptureInfo>;
  setBaseline(args: { capture_id: number; baseline: boolean }): Promise<CaptureInfo>;
  report(args: ReportRequest): Promise<ReportFile>;
  /** Runs one SELECT over the case's tables (read-only; an allow-list refuses everything else). */
  query(args: QueryRequest): Promise<QueryResponse>;
  /** The pinned (starred) events, oldest pin first. */
  pins(args: Record<string, never>): Promise<Pin[]>;
  /** Pins or unpins one event (stored in the case at once). */
  setPinned(args: { event_id: number; pinned: boolean }): Promise<{ event_id: number; pinned: boolean }>;
  /** "Follow": the ordered chain process → call → flow → ICS operations → device records and alarms around one event (core/links/follow.ts). */
  followChain(args: { event_id: number; max_depth?: number; alarm_window_us?: number }): Promise<FollowedChain>;
  /** Who talked to which controller: wire flows by process or client host, server and ICS protocol (core/links/flows.ts). */
  flows(args: { process?: string }): Promise<FlowSummary[]>;
  /** The case's collection governance: devices in scope, trigger, collector, tool, retention, custody notes (core/case/governance.ts). */
  governance(args: Record<string, never>): Promise<Governance>;
  /** Changes the collection governance (fields left out stay; `devices` replaces the list; `custody_note` appends). */
  setGovernance(args: GovernanceUpdate): Promise<Governance>;
}

export type WorkbenchMethod = keyof WorkbenchApi;
