// Imports and reports in the WorkbenchApi contract (core/api.ts re-exports them): what an import
// is asked, how its job reports back, and the report files a request returns.

export interface ImportRequest {
  /** Id the host issued for a file the user handed over (an upload, Electron's dialog or a drop); never a path. */
  file_id: string;
  display_name?: string;
  format?: string;
  date?: string;
  tz?: string;
  host?: string;
  start?: string;
}

export interface FormatProbe {
  file_id: string;
  display_name: string;
  candidates: { format: string; confidence: number; title: string; needs_date: boolean }[];
  /** The format that would be used, or null when the analyst must choose. */
  chosen: string | null;
  size_bytes: number;
  /**
   * Every importer with the confidence its detector gave this file, best first (also those below
   * the detection threshold), so the analyst can pick one when detection does not settle it;
   * `generic` marks the readers that take any file of their shape (CSV/TSV, JSON Lines, text log).
   */
  formats: { format: string; confidence: number; title: string; needs_date: boolean; generic: boolean }[];
  /** The file's first lines (a hex dump for a binary file), for judging its format by eye. */
  preview: string[];
  /** Why detection did not settle the format (null when it did). */
  undetected_reason: string | null;
}

export type ImportJobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface ImportJob {
  job_id: string;
  file_name: string;
  state: ImportJobState;
  bytes_done: number;
  bytes_total: number;
  events: number;
  rejected: number;
  error: string | null;
  capture_id: number | null;
  /** While the rules run over the new captures after the import: rules done of total, and the phase. */
  triage?: ImportTriageProgress | null;
}

export interface ImportTriageProgress {
  phase: string;
  done: number;
  total: number;
}

export interface ReportRequest {
  /** pdf: the print edition written by the backend (core/report/pdf-native), as the CLI does. */
  format: 'html' | 'md' | 'json' | 'pdf';
}

export interface ReportFile {
  file_name: string;
  mime: string;
  content: string;
  /** 'base64' when `content` holds binary bytes (a PDF); text otherwise. */
  encoding?: 'base64';
  /**
   * Files saved beside the report: a PDF's detached manifest (FILE.pdf.manifest.json, named
   * after the report as saved) and the Markdown report's timeline figure (linked by its name).
   */
  companions?: ReportCompanion[];
}

export interface ReportCompanion {
  file_name: string;
  mime: string;
  content: string;
}

/** One SELECT for the query console (core/query/read-only-query.ts decides what is allowed). */
