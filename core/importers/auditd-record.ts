// One line of a Linux audit log: `[node=HOST ]type=TYPE msg=audit(EPOCH.mmm:SERIAL): k=v …`,
// with values quoted, hex-encoded (auditd's "untrusted string" encoding) or bare, and the
// user-space records' nested msg='k=v …'. Also the ausearch -i form whose time is
// `audit(MM/DD/YYYY hh:mm:ss.mmm:SERIAL)` in local time.
import { dateToUtcUs, epochSecondsTextToUs, timeOfDayToUs, wallClockToUtcUs } from '../util/time.ts';

export interface AuditRecord {
  node: string | null;
  /** As written: "SYSCALL", "USER_LOGIN", "UNKNOWN[1329]". */
  type: string;
  /** The time text inside audit(…), part of the grouping key (serials wrap and repeat). */
  timeText: string;
  tsUs: number;
  serial: string;
  /** Top-level fields, decoded (quotes removed, hex strings decoded). */
  fields: Map<string, string>;
  /** Fields of the nested msg='…' of user-space records, decoded; null when absent. */
  inner: Map<string, string> | null;
  /** Text after `audit(…):`, with hex-encoded strings replaced by their decoded text. */
  text: string;
}

const LINE = /^(?:node=(\S+)\s+)?type=(\S+)\s+msg=audit\(([^)]*)\):?\s?(.*)$/s;
const KV = /([A-Za-z_][\w.-]*(?:\[\d+\])?)=("[^"]*"|'[^']*'|[^\s]*)/g;

/**
 * Fields auditd writes hex-encoded when the text holds spaces, quotes or control bytes
 * (audit_log_untrustedstring); EXECVE arguments a0, a1, a2[0]… are matched separately.
 */
const HEX_STRING_FIELDS = new Set(['proctitle', 'name', 'exe', 'cwd', 'comm', 'acct', 'cmd', 'data', 'path', 'ocomm', 'key', 'watch', 'dir', 'file', 'root_dir', 'vm']);
const EXECVE_ARG = /^a\d+(\[\d+\])?$/;
const HEX = /^(?:[0-9A-F]{2})+$/;

export function isHexStringField(type: string, key: string): boolean {
  return HEX_STRING_FIELDS.has(key) || (type === 'EXECVE' && EXECVE_ARG.test(key));
}

/** Hex bytes → text; NULs (argument separators in proctitle) become spaces, other controls \xNN. */
export function decodeHexText(hex: string): string {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text
    .replace(/\0+$/, '')
    .replace(/\0/g, ' ')
    // eslint-disable-next-line no-control-regex -- matching control bytes is the point: they are shown escaped
    .replace(/[\x01-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A field value as the analyst should read it. Bare values in string fields are hex. */
function decodeValue(type: string, key: string, raw: string): string {
  if (raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0]) return raw.slice(1, -1);
  if (isHexStringField(type, key) && HEX.test(raw)) return decodeHexText(raw);
  return raw;
}

export function parseFields(type: string, text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(KV)) {
    const key = m[1];
    const raw = m[2] ?? '';
    if (key === undefined || out.has(key)) continue;
    out.set(key, decodeValue(type, key, raw));
  }
  return out;
}

/** The record text with hex-encoded strings replaced by "decoded" text, for args. */
function readableText(type: string, text: string): string {
  return text.replace(KV, (whole, key: string, raw: string) => {
    if (raw.startsWith('"') || raw.startsWith("'") || !isHexStringField(type, key) || !HEX.test(raw)) return whole;
    return `${key}=${JSON.stringify(decodeHexText(raw))}`;
  });
}

function auditTime(text: string, tz: string): { tsUs: number; serial: string } | null {
  const epoch = /^(\d{1,12}(?:\.\d{1,9})?):(\d+)$/.exec(text);
  if (epoch && epoch[1] !== undefined && epoch[2] !== undefined) {
    const tsUs = epochSecondsTextToUs(epoch[1]);
    return tsUs === null ? null : { tsUs, serial: epoch[2] };
  }
  // ausearch -i: local date and time (en_US order), e.g. "03/28/2013 14:36:03.243:24287".
  const local = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?):(\d+)$/.exec(text);
  if (local && local[4] !== undefined && local[5] !== undefined) {
    const day = dateToUtcUs(`${local[3]}-${local[1]}-${local[2]}`);
    const tod = timeOfDayToUs(local[4]);
    if (day === null || tod === null) return null;
    return { tsUs: wallClockToUtcUs(day + tod, tz), serial: local[5] };
  }
  return null;
}

/** Parses one audit line; a string is the reason it could not be read. */
export function parseAuditLine(line: string, tz: string): AuditRecord | string {
  const m = LINE.exec(line);
  if (!m || m[2] === undefined || m[3] === undefined) {
    if (/^(?:node=\S+\s+)?type=\S+/.test(line)) return 'audit record without msg=audit(time:serial)';
    return 'not an audit record (expected type=… msg=audit(…))';
  }
  const type = m[2];
  const time = auditTime(m[3], tz);
  if (time === null) return `unreadable audit time "${m[3].slice(0, 40)}"`;
  const body = m[4] ?? '';
  const fields = parseFields(type, body);
  let inner: Map<string, string> | null = null;
  const nested = /(?:^|\s)msg='([^']*)'?/.exec(body);
  if (nested && nested[1] !== undefined) {
    inner = parseFields(type, nested[1]);
    fields.delete('msg');
  }
  return { node: m[1] ?? null, type, timeText: m[3], tsUs: time.tsUs, serial: time.serial, fields, inner, text: readableText(type, body) };
}
