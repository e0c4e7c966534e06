// One file in the import dialog, from staging to its finished job, and the pure checks that
// decide whether it can start.
import type { FormatProbe, ImportJob, ImportRequest } from '../../../core/api.ts';
import type { StagedFile } from '../api/shell.ts';
import { utcDateOf } from '../display/time.ts';

export interface ImportItem {
  staged: StagedFile;
  probe: FormatProbe | null;
  probeError: string | null;
  /** Chosen format name; '' while the analyst has not chosen among close candidates. */
  format: string;
  date: string;
  /** Leave the date to the documented default (the file's modification date). */
  useDefaultDate: boolean;
  host: string;
  job: ImportJob | null;
  startError: string | null;
}

export function newItem(staged: StagedFile): ImportItem {
  return { staged, probe: null, probeError: null, format: '', date: '', useDefaultDate: false, host: '', job: null, startError: null };
}

export function withProbe(item: ImportItem, probe: FormatProbe): ImportItem {
  return { ...item, probe, format: probe.chosen ?? '' };
}

export function needsDate(item: ImportItem): boolean {
  const probe = item.probe;
  if (!probe) return false;
  return (probe.candidates.find((c) => c.format === item.format) ?? probe.formats.find((c) => c.format === item.format))?.needs_date ?? false;
}

/** Detection did not settle the format (nothing fits, or several fit equally): the analyst picks. */
export function needsPick(item: ImportItem): boolean {
  return item.probe !== null && item.probe.chosen === null;
}

export type FormatOption = FormatProbe['formats'][number];

/**
 * The picker's groups when detection did not settle the format: the formats that came closest
 * (any confidence), the generic readers, then every other importer.
 */
export function pickerGroups(probe: FormatProbe): { label: string; options: FormatOption[] }[] {
  const closest = probe.formats.filter((f) => f.confidence > 0);
  const generic = probe.formats.filter((f) => f.confidence === 0 && f.generic);
  const others = probe.formats.filter((f) => f.confidence === 0 && !f.generic);
  return [
    { label: 'closest to this file', options: closest },
    { label: 'generic readers', options: generic },
    { label: 'other formats', options: others },
  ].filter((g) => g.options.length > 0);
}

/** What the default date will be, in words the analyst can check. */
export function defaultDateLabel(item: ImportItem, shellKind: 'electron' | 'browser'): string {
  if (item.staged.last_modified !== null) return `${utcDateOf(item.staged.last_modified)} (the file's modification date, UTC)`;
  return shellKind === 'electron' ? "the file's modification date on disk" : 'the upload date';
}

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function validDate(text: string): boolean {
  if (!DATE_PATTERN.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1));
  return date.getUTCFullYear() === y && date.getUTCMonth() + 1 === m && date.getUTCDate() === d;
}

/** Why the item cannot start yet, or null when it can. */
export function blockingReason(item: ImportItem): string | null {
  if (item.probeError) return item.probeError;
  if (!item.probe) return 'detecting the format…';
  if (!item.format) return item.probe.candidates.length === 0 ? 'no importer recognises this file: pick a reader' : 'choose the format';
  if (needsDate(item) && !item.useDefaultDate && !validDate(item.date)) return 'this format has times of day only: type the date (YYYY-MM-DD) or use the default';
  return null;
}

export function importRequest(item: ImportItem): ImportRequest {
  const request: ImportRequest = { file_id: item.staged.file_id, display_name: item.staged.display_name, format: item.format };
  // The default date is left to the import, which reads it from the file's modification time:
  // Electron imports the original file, and an uploaded copy keeps the original's time (upload
  // sends it), so the capture records the date as the assumption it is.
  if (needsDate(item) && !item.useDefaultDate) request.date = item.date;
  const host = item.host.trim();
  if (host) request.host = host;
  return request;
}

export function progressFraction(job: ImportJob): number {
  if (job.state === 'done') return 1;
  return job.bytes_total > 0 ? Math.min(1, job.bytes_done / job.bytes_total) : 0;
}

/** What a running job is doing: reading the file, or (once it is in) the rules over the new capture. */
export function runningLabel(job: ImportJob, formatCount: (n: number) => string): string {
  if (job.triage) return `triage ${job.triage.done}/${job.triage.total} · ${formatCount(job.events)} events in`;
  return `${Math.round(progressFraction(job) * 100)}% · ${formatCount(job.events)} events`;
}
