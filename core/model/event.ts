// The canonical event: one row of the case file's `events` table (ARCHITECTURE.md, "Case file").
// Field names are the contract's column names on purpose, so an event read back from DuckDB,
// an event sent to the renderer and an event built by an importer are the same shape.

/** What produced the event. `api` is an API or system call; the rest are surrounding events. */
export const EVENT_KINDS = [
  'api',
  'process',
  'file',
  'registry',
  'network',
  'ics',
  'alarm',
  'auth',
  'log',
  'signal',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Normalised family of the operation, shared by every source so rules and lanes can group. */
export const CATEGORIES = [
  'file',
  'network',
  'process',
  'memory',
  'registry',
  'ipc',
  'credential',
  'device',
  'time',
  'ics',
  'signal',
  'system',
  'module',
  'auth',
  'log',
  'alarm',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * An event as an importer emits it. Times are microseconds since the Unix epoch, UTC, as the
 * source wrote them (the capture's clock offset is applied by the store, not here).
 */
export interface CanonicalEvent {
  ts_us: number;
  dur_us?: number | null;
  host?: string | null;
  pid?: number | null;
  tid?: number | null;
  ppid?: number | null;
  process?: string | null;
  kind: EventKind;
  op: string;
  category: Category;
  target?: string | null;
  args?: string | null;
  ret?: string | null;
  error?: string | null;
  /** 1-based line (text formats) or record number (binary formats) in the source file. */
  source_line: number;
  /** Source-specific fields worth keeping (Sysmon ProcessGuid, Zeek uid, …), stored as JSON. */
  fields?: Record<string, string | number | boolean | null> | null;
  /**
   * The severity the record states, as a syslog name (emerg, alert, crit, err, warning, notice,
   * info, debug) or alarm / fatal; absent when the source states none (see importers/log-kind.ts).
   */
  level?: string | null;
}

/** An event as stored: the importer's event plus identity and the applied clock offset. */
export interface StoredEvent {
  event_id: number;
  capture_id: number;
  ts_us: number;
  ts_raw_us: number;
  dur_us: number | null;
  host: string | null;
  pid: number | null;
  tid: number | null;
  ppid: number | null;
  process: string | null;
  kind: EventKind;
  op: string;
  category: Category;
  target: string | null;
  args: string | null;
  ret: string | null;
  error: string | null;
  source_line: number;
  fields: Record<string, string | number | boolean | null> | null;
  /** See CanonicalEvent.level. */
  level: string | null;
}

export function isEventKind(value: string): value is EventKind {
  return (EVENT_KINDS as readonly string[]).includes(value);
}

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}
