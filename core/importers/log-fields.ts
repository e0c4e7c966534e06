// Field roles in generic event logs (JSON Lines, CSV/TSV): which field is the time, the
// operation, the message, the pid, the host… judged by name, with the analyst's --map
// (`ts=col,op=col,pid=col,process=col,host=col,kind=col`) taking precedence.
import type { ImportContext } from './types.ts';
import { findTimeField, squash } from './log-time.ts';
import { normaliseSeverity } from './log-kind.ts';

export type Primitive = string | number | boolean | null;
/** A record with nested objects flattened to dotted keys ("process.pid"), in source order. */
export type FlatRecord = Map<string, Primitive>;

export const ROLES = ['op', 'message', 'pid', 'tid', 'ppid', 'process', 'host', 'kind', 'severity', 'target', 'cmdline', 'exe'] as const;
export type Role = (typeof ROLES)[number];
/** Roles the analyst may name with --map (ts plus every role above). */
export const MAPPABLE = ['ts', ...ROLES] as const;

/** Candidate names per role, best first, in squash() form (case, "_", "-", "." ignored). */
const ROLE_NAMES: Record<Role, string[]> = {
  op: ['op', 'operation', 'event', 'eventtype', 'eventname', 'eventaction', 'action', 'activity', 'type', 'eventid'],
  message: ['message', 'msg', 'logmessage', 'text', 'description', 'log', 'line', 'event'],
  pid: ['tgid', 'pid', 'processid', 'processpid'],
  tid: ['tid', 'threadid', 'processthreadid', 'processthreadpid'],
  ppid: ['ppid', 'parenttgid', 'parentpid', 'parentprocessid', 'processparentpid', 'processppid'],
  process: ['process', 'processname', 'comm', 'program', 'prog', 'app', 'appname', 'application', 'syslogidentifier', 'ident'],
  host: ['host', 'hostname', 'computer', 'computername', 'node', 'nodename', 'device', 'agenthostname'],
  kind: ['kind'],
  severity: ['severity', 'level', 'lvl', 'loglevel', 'levelname', 'priority', 'sev', 'severitytext', 'syslogseverity', 'pri'],
  target: ['target', 'path', 'filename', 'file', 'filepath', 'targetfilename', 'objectname', 'url', 'destination'],
  cmdline: ['cmdline', 'commandline', 'processcommandline', 'argv', 'processargs'],
  exe: ['exe', 'executable', 'processexecutable', 'image', 'processimage'],
};

/**
 * Whether a sample value fits a role: a "level" column of tank levels is not a severity and a
 * numeric "comm" column is not a process name. Unknown (null) values do not disqualify.
 */
function fitsRole(role: Role, value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  switch (role) {
    case 'severity':
      return normaliseSeverity(value as Primitive) !== null;
    case 'pid':
    case 'tid':
    case 'ppid':
      return toInt(value as Primitive) !== null;
    case 'process':
    case 'host':
    case 'exe':
    case 'message':
      return typeof value === 'string' && !isNumeric(value);
    default:
      return true;
  }
}

/**
 * A number in a "level"/"lvl" field of a record without a message is a measurement (a tank level
 * of 3 in a historian export), not syslog severity 3; "severity", "priority" and the like stay
 * severities whatever their value.
 */
function measuredLevel(role: Role, candidate: string, value: unknown, roles: Partial<Record<Role, string>>): boolean {
  return role === 'severity' && (candidate === 'level' || candidate === 'lvl') && isNumeric(value as Primitive) && roles.message === undefined;
}

/** Which field plays which role in a record (or a CSV header), and the time field. */
export interface RecordLayout {
  ts: string | null;
  roles: Partial<Record<Role, string>>;
  /** True when `pid` came from a Linux `tgid` field: then the source's `pid` is the thread id. */
  pidIsTgid: boolean;
}

/**
 * Validates --map against the known roles. Unknown roles are an error the analyst must fix,
 * not something to ignore silently.
 */
export function checkMap(map: Record<string, string>): void {
  for (const key of Object.keys(map)) {
    if (!(MAPPABLE as readonly string[]).includes(key)) {
      throw new Error(`--map: unknown field "${key}" (known: ${MAPPABLE.join(', ')})`);
    }
  }
}

/** Finds a field by exact name, then case-insensitively. */
export function findName(names: readonly string[], wanted: string): string | null {
  if (names.includes(wanted)) return wanted;
  const lower = wanted.toLowerCase();
  return names.find((n) => n.toLowerCase() === lower) ?? null;
}

/**
 * Resolves roles for a set of field names. `valueOf` gives a sample value (for the time
 * field, which is also judged by content). Mapped fields win; a field serves one role only.
 */
export function resolveLayout(names: readonly string[], ctx: ImportContext, valueOf: (name: string) => unknown): RecordLayout {
  const used = new Set<string>();
  const roles: Partial<Record<Role, string>> = {};
  const mappedTs = ctx.map['ts'];
  const ts = mappedTs !== undefined ? findName(names, mappedTs) : findTimeField(names, valueOf, ctx.tz);
  if (ts !== null) used.add(ts);
  for (const role of ROLES) {
    const mapped = ctx.map[role];
    if (mapped === undefined) continue;
    const name = findName(names, mapped);
    if (name !== null) {
      roles[role] = name;
      used.add(name);
    }
  }
  const bySquash = new Map<string, string>();
  for (const n of names) if (!used.has(n) && !bySquash.has(squash(n))) bySquash.set(squash(n), n);
  for (const role of ROLES) {
    if (roles[role] !== undefined || ctx.map[role] !== undefined) continue;
    for (const candidate of ROLE_NAMES[role]) {
      const name = bySquash.get(candidate);
      if (name !== undefined && !used.has(name) && fitsRole(role, valueOf(name)) && !measuredLevel(role, candidate, valueOf(name), roles)) {
        roles[role] = name;
        used.add(name);
        break;
      }
    }
  }
  let pidIsTgid = false;
  if (roles.pid !== undefined && squash(roles.pid) === 'tgid') {
    pidIsTgid = true;
    const threadField = bySquash.get('pid');
    if (roles.tid === undefined && threadField !== undefined && !used.has(threadField)) roles.tid = threadField;
  }
  return { ts, roles, pidIsTgid };
}

/** The names of the role fields, for leaving them out of `fields`/`args` where they are shown elsewhere. */
export function layoutFieldNames(layout: RecordLayout): Set<string> {
  const out = new Set<string>();
  if (layout.ts !== null) out.add(layout.ts);
  for (const name of Object.values(layout.roles)) if (name !== undefined) out.add(name);
  return out;
}

const MAX_DEPTH = 4;

/** A parsed JSON object → FlatRecord: nested objects become dotted keys, arrays text. */
export function flattenJson(obj: Record<string, unknown>): FlatRecord {
  const out: FlatRecord = new Map();
  const walk = (prefix: string, value: unknown, depth: number): void => {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out.set(prefix, value);
    } else if (Array.isArray(value)) {
      out.set(prefix, arrayText(value));
    } else if (typeof value === 'object' && depth < MAX_DEPTH) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) out.set(prefix, '{}');
      for (const [k, v] of entries) walk(prefix === '' ? k : `${prefix}.${k}`, v, depth + 1);
    } else {
      out.set(prefix, JSON.stringify(value) ?? null);
    }
  };
  for (const [k, v] of Object.entries(obj)) walk(k, v, 1);
  return out;
}

/** ["ls", "-la", "/tmp dir"] → `ls -la "/tmp dir"`: arrays of plain values read like a command line. */
function arrayText(values: unknown[]): string {
  if (values.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) {
    return values.map((v) => (typeof v === 'string' && /[\s"]/.test(v) ? JSON.stringify(v) : String(v))).join(' ');
  }
  return JSON.stringify(values);
}

/** An integer field value, or null when it is not one (kept in `fields` as written then). */
export function toInt(value: Primitive | undefined): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value.trim())) return Number(value.trim());
  return null;
}

export function toText(value: Primitive | undefined): string | null {
  if (value === undefined || value === null) return null;
  const s = String(value).trim();
  return s === '' ? null : s;
}

/** "/usr/bin/python3.11" → "python3.11"; also for Windows paths. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** True for a value that reads as a number ("12", "-3.5", "1e3", 7). */
export function isNumeric(value: Primitive | undefined): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value.trim());
}
