// The data behind every report format. Gathered once from the case; the HTML and Markdown
// renderers only lay it out, and the JSON report is this object as it is.
import type { Finding } from '../api.ts';
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
}

export interface FindingSection extends Omit<Finding, 'first_us' | 'last_us'> {
  first_ts: string;
  last_ts: string;
  events: EventCitation[];
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
  coverage: CoverageSection;
  findings: FindingSection[];
  annotations: AnnotationSection[];
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
