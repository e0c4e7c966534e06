// The shape of the Sigma taxonomy mapping (as pySigma processing pipelines do it): a Sigma
// `logsource` is supplied by one or more *bindings*, each naming which stored events it reads
// (a SQL predicate over `event_rows e` joined with the process table `p`) and how each SigmaHQ
// field name is read from those events. Rule text never becomes SQL: field names pick from these
// fixed tables, and source-field names go into bound JSON paths.
import { joinSql, rawSql, sql, type Sql } from '../../../store/sql.ts';

export interface Logsource {
  product?: string;
  category?: string;
  service?: string;
}

export interface Binding {
  /** Short name of the event source, for messages ("Sysmon 1", "Security 4688", "strace execve"). */
  source: string;
  /** Importer formats (captures.format) that can supply these events. */
  formats: readonly string[];
  /** Which events of the case this binding reads. */
  when: Sql;
  /** SigmaHQ field name → how it is read from these events. Matched case-insensitively. */
  fields: Record<string, Sql>;
  /** Any other field name: read from the event's source fields (Windows EventData, Zeek columns). */
  generic?: boolean;
  /** Text searched by keyword detections; default: the message-like columns. */
  keywordText?: Sql;
  /** auditd: a selection's fields must hold within one record of the event (see auditd.ts). */
  perRecord?: boolean;
}

/** A source field of the event, from the `fields` JSON column (bound JSON path). */
export function src(name: string): Sql {
  return sql`json_extract_string(e.fields, ${`$."${name.replace(/"/g, '')}"`})`;
}

/** A fixed SQL expression of our own (never built from rule text). */
export const col = rawSql;

/** `expr IN (values…)` with bound values. */
export function oneOf(expr: Sql, values: readonly (string | number)[]): Sql {
  return sql`${expr} IN (${joinSql(values.map((v) => sql`${v}`), ', ')})`;
}

/** The EventID of a Windows event, as text ("1", "4688"). */
export const EVENT_ID = src('EventID');

/** Windows events whose Provider (or, when absent, Channel) starts with `prefix`. */
export function windowsProvider(prefix: string): Sql {
  // The substring test on the stored JSON text is cheap and rules out every other event before
  // any JSON is parsed (a case may hold millions of syscalls and a few Windows events).
  return sql`(${fieldsMention(prefix)} AND coalesce(${src('Provider')}, ${src('Channel')}) ILIKE ${`${prefix}%`})`;
}

/** A cheap prefilter: the event's stored source fields mention `text` somewhere. */
export function fieldsMention(text: string): Sql {
  return sql`contains(e.fields, ${text})`;
}

/** Events of a Windows provider with one of these EventIDs. */
export function windowsEvents(providerPrefix: string, eventIds: readonly number[]): Sql {
  return sql`(${windowsProvider(providerPrefix)} AND ${oneOf(EVENT_ID, eventIds.map(String))})`;
}

export const SYSMON_WINDOWS = 'Microsoft-Windows-Sysmon';
export const SYSMON_LINUX = 'Linux-Sysmon';
export const SECURITY_AUDITING = 'Microsoft-Windows-Security-Auditing';

/** Formats that carry Windows event log records (EVTX, XML export, JSON lines, CAPE's sysmon[]). */
export const WINDOWS_EVENT_FORMATS = ['evtx', 'winevent-xml', 'winevent-jsonl', 'cape'] as const;
/** Formats that carry Procmon records. */
export const PROCMON_FORMATS = ['procmon-csv', 'procmon-pml'] as const;
/** Formats of system/library call traces. */
export const TRACE_FORMATS = ['strace', 'ltrace', 'frida-trace', 'auditd'] as const;

/** Procmon events of these operations (Procmon rows always keep their Event Class). */
export function procmonOps(ops: readonly string[]): Sql {
  return sql`(${oneOf(col('e.op'), ops)} AND ${src('event_class')} IS NOT NULL)`;
}

/** The image of the acting process: what the importer named, else the process tree's execve image. */
export const ACTING_IMAGE = col('coalesce(p.image, e.process)');
/** Procmon's acting process: its Image Path column when exported, else the process name. */
export const PROCMON_IMAGE = sql`coalesce(${src('image_path')}, p.image, e.process)`;
