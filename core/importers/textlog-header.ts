// The leading part of a plain-text log line: its time and, where the format has them, host,
// program, pid, facility and severity. Forms read (see docs/formats/logs.md):
//   RFC 5424   <134>1 2026-11-26T06:13:22.613Z host app 1202 MSGID [sd] message
//   RFC 3164   [<PRI>]Nov 26 06:13:22 host prog[pid]: message      (no year: see yearless)
//   ISO 8601   2026-11-26T06:13:22.613280+00:00 host local0.info prog[pid]: message
//              2026-11-26T06:13:22.613Z host prog[pid]: message
//              2026-11-26T06:13:21.376888Z prog[pid]: message
//              2026-11-26 06:14:07,620 INFO [main] message            (anything after the time)
import { dateToUtcUs, isoToUs, timeOfDayToUs, wallClockToUtcUs, TIME } from '../util/time.ts';

export type HeaderForm = 'rfc5424' | 'rfc3164' | 'iso';

export interface LineHeader {
  form: HeaderForm;
  tsUs: number;
  host: string | null;
  program: string | null;
  pid: number | null;
  facility: string | null;
  /** Canonical syslog severity from PRI or "facility.severity", when the header has one. */
  severity: string | null;
  msgid: string | null;
  structuredData: string | null;
  message: string;
  /** RFC 3164 times carry no year: the year was assumed. */
  yearless: boolean;
}

/** Syslog facility names by number (RFC 5424 table 1, with the usual names). */
export const SYSLOG_FACILITIES: readonly string[] = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];
const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
const SEVERITY_ALIASES: Record<string, string> = { panic: 'emerg', error: 'err', warn: 'warning' };
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const RFC5424 = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) ?(.*)$/s;
const RFC3164 = /^(?:<(\d{1,3})>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(?: (\d{4}))? (.*)$/s;
const ISO_LEAD = /^\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|z|[+-]\d{2}(?::?\d{2})?)?)\]?(?:\s+|$)(.*)$/s;
/** "prog[pid]: msg" or "prog: msg" (syslog TAG). */
const TAG = /^([^\s[\]:=]{1,64})(?:\[(\d{1,10})\])?:(?:\s+|$)(.*)$/s;
const HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,253}$/;

function priParts(pri: string | undefined): { facility: string | null; severity: string | null } {
  if (pri === undefined) return { facility: null, severity: null };
  const n = Number(pri);
  if (n > 191) return { facility: null, severity: null };
  return { facility: SYSLOG_FACILITIES[n >> 3] ?? `facility${n >> 3}`, severity: SEVERITIES[n & 7] ?? null };
}

function splitTag(text: string, requirePid: boolean): { program: string | null; pid: number | null; message: string } | null {
  const m = TAG.exec(text);
  if (!m || m[1] === undefined) return null;
  if (requirePid && m[2] === undefined) return null;
  return { program: m[1], pid: m[2] !== undefined ? Number(m[2]) : null, message: m[3] ?? '' };
}

/** Severity words that can never be a host name in "host prog: msg". */
const NOT_HOSTS = /^(emerg|emergency|panic|alert|alarm|crit|critical|fatal|err|error|warn|warning|notice|info|debug|trace|verbose)$/i;

/**
 * The text after an ISO time: "host facility.severity TAG: msg", "host TAG: msg",
 * "prog[pid]: msg", or just the message.
 */
function isoRest(rest: string): Pick<LineHeader, 'host' | 'program' | 'pid' | 'facility' | 'severity' | 'message'> {
  const none = { host: null, program: null, pid: null, facility: null, severity: null };
  const collector = /^(\S+)\s+([a-z0-9-]+)\.([a-z]+)\s+(.*)$/s.exec(rest);
  if (collector && collector[2] !== undefined && collector[3] !== undefined && SYSLOG_FACILITIES.includes(collector[2])) {
    const sevWord = collector[3];
    const severity = SEVERITIES.includes(sevWord) ? sevWord : (SEVERITY_ALIASES[sevWord] ?? null);
    if (severity !== null) {
      const tag = splitTag(collector[4] ?? '', false);
      return {
        host: collector[1] ?? null,
        facility: collector[2],
        severity,
        program: tag?.program ?? null,
        pid: tag?.pid ?? null,
        message: tag?.message ?? collector[4] ?? '',
      };
    }
  }
  const hostTag = /^(\S+)\s+(.*)$/s.exec(rest);
  if (hostTag && hostTag[1] !== undefined && HOSTNAME.test(hostTag[1]) && !NOT_HOSTS.test(hostTag[1])) {
    const tag = splitTag(hostTag[2] ?? '', false);
    if (tag) return { ...none, host: hostTag[1], program: tag.program, pid: tag.pid, message: tag.message };
  }
  const tag = splitTag(rest, true);
  if (tag) return { ...none, program: tag.program, pid: tag.pid, message: tag.message };
  return { ...none, message: rest };
}

/** Splits "[id k="v"][id2 …] msg" into the structured data and the message. */
function splitStructuredData(rest: string): { sd: string | null; message: string } {
  if (rest.startsWith('- ') || rest === '-') return { sd: null, message: rest.slice(2) };
  if (!rest.startsWith('[')) return { sd: null, message: rest };
  let i = 0;
  let inQuote = false;
  let depth = 0;
  for (; i < rest.length; i++) {
    const c = rest[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && c === '[') depth++;
    else if (!inQuote && c === ']') {
      depth--;
      if (depth === 0 && rest[i + 1] !== '[') break;
    }
  }
  return { sd: rest.slice(0, i + 1), message: rest.slice(i + 1).replace(/^ /, '').replace(/^\uFEFF/, '') };
}

/**
 * Reads the header of a log line, or null when the line does not start with a time.
 * `refDate` ("YYYY-MM-DD", ctx.date) supplies the year for RFC 3164 lines: a line dated
 * more than a week after refDate is taken to be from the year before (a log that crossed
 * New Year, with refDate taken after it).
 */
export function parseLineHeader(line: string, tz: string, refDate: string): LineHeader | null {
  const base = { host: null, program: null, pid: null, facility: null, severity: null, msgid: null, structuredData: null, yearless: false };
  if (line.startsWith('<')) {
    const m = RFC5424.exec(line);
    if (m && m[3] !== undefined && m[2] === '1') {
      const tsUs = m[3] === '-' ? null : isoToUs(m[3], tz);
      if (tsUs === null) return null;
      const nil = (v: string | undefined): string | null => (v === undefined || v === '-' ? null : v);
      const { sd, message } = splitStructuredData(m[8] ?? '');
      const pid = nil(m[6]);
      return {
        ...base,
        ...priParts(m[1]),
        form: 'rfc5424',
        tsUs,
        host: nil(m[4]),
        program: nil(m[5]),
        pid: pid !== null && /^\d{1,10}$/.test(pid) ? Number(pid) : null,
        msgid: nil(m[7]),
        structuredData: sd,
        message,
      };
    }
  }
  const iso = ISO_LEAD.exec(line);
  if (iso && iso[1] !== undefined) {
    const tsUs = isoToUs(iso[1], tz);
    if (tsUs === null) return null;
    return { ...base, ...isoRest(iso[2] ?? ''), form: 'iso', tsUs };
  }
  const bsd = RFC3164.exec(line);
  if (bsd && bsd[2] !== undefined && bsd[3] !== undefined && bsd[4] !== undefined) {
    const month = MONTHS.indexOf(bsd[2].toLowerCase());
    const tod = timeOfDayToUs(bsd[4]);
    if (month < 0 || tod === null) return null;
    const tsUs = bsdTime(month, Number(bsd[3]), tod, bsd[5], tz, refDate);
    if (tsUs === null) return null;
    const rest = bsd[6] ?? '';
    const hostTag = /^(\S+)\s+(.*)$/s.exec(rest);
    const tag = hostTag ? splitTag(hostTag[2] ?? '', false) : null;
    const pri = priParts(bsd[1]);
    if (hostTag && tag) return { ...base, ...pri, form: 'rfc3164', tsUs, host: hostTag[1] ?? null, ...tag, yearless: bsd[5] === undefined };
    const yearless = bsd[5] === undefined;
    const bare = splitTag(rest, false); // "Nov 26 06:13:22 kernel: …" written without a host
    if (bare) return { ...base, ...pri, form: 'rfc3164', tsUs, ...bare, yearless };
    if (hostTag && HOSTNAME.test(hostTag[1] ?? '')) return { ...base, ...pri, form: 'rfc3164', tsUs, host: hostTag[1] ?? null, message: hostTag[2] ?? '', yearless };
    return { ...base, ...pri, form: 'rfc3164', tsUs, message: rest, yearless };
  }
  return null;
}

function bsdTime(month: number, day: number, tod: number, yearText: string | undefined, tz: string, refDate: string): number | null {
  const refUs = dateToUtcUs(refDate) ?? 0;
  const refYear = new Date(refUs / 1000).getUTCFullYear();
  const at = (year: number): number | null => {
    const d = dateToUtcUs(`${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
    return d === null ? null : wallClockToUtcUs(d + tod, tz);
  };
  if (yearText !== undefined) return at(Number(yearText));
  const guess = at(refYear);
  if (guess !== null && guess > refUs + 8 * TIME.US_PER_DAY) return at(refYear - 1);
  return guess;
}
