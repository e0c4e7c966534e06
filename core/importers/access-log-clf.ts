// Apache/nginx text access logs: the NCSA common format (`%h %l %u %t "%r" %>s %b`), combined
// (plus `"%{Referer}i" "%{User-Agent}i"`), Apache's vhost_combined (`%v:%p ` in front), and any
// of these with more after the last field — most often a response time: nginx `$request_time`
// (seconds with a fraction), Apache `%D` (whole microseconds), or `rt=…` as many nginx setups
// write it. Whatever trails is kept in fields.trailing.
import { dateToUtcUs, fractionToUs, wallClockToUtcUs } from '../util/time.ts';
import { intOrNull, orNull, splitRequestLine, type AccessRecord, type FieldValue } from './access-log-record.ts';

const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"`;
/**
 * [vhost[:port]] client ident user [time] "request" status bytes ["referer" "agent"] [rest].
 * The optional vhost is told apart by counting tokens before "[": four instead of three.
 */
const LINE = new RegExp(
  String.raw`^(?:(\S+)\s+)?(\S+)\s+(\S+)\s+(\S+)\s+\[([^\]]+)\]\s+${QUOTED}\s+(\d{3})\s+(\d+|-)(?:\s+${QUOTED}\s+${QUOTED})?(\s.*)?$`,
);

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * "03/Dec/2026:18:11:04 +0100" (optionally with a fraction of a second) → µs UTC. Without a
 * zone (some custom formats drop it) the time is read in `tz`.
 */
export function parseClfTime(text: string, tz: string): number | null {
  // Busy logs repeat the same second on many lines in a row.
  if (text === lastTime.text && tz === lastTime.tz) return lastTime.us;
  const us = readClfTime(text, tz);
  lastTime = { text, tz, us };
  return us;
}

let lastTime: { text: string; tz: string; us: number | null } = { text: '', tz: '', us: null };

function readClfTime(text: string, tz: string): number | null {
  const m = /^(\d{1,2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:\s+([+-])(\d{2}):?(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const month = MONTHS.indexOf((m[2] ?? '').toLowerCase()) + 1;
  if (month === 0) return null;
  const day = dateToUtcUs(`${m[3]}-${String(month).padStart(2, '0')}-${(m[1] ?? '').padStart(2, '0')}`);
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (day === null || h > 23 || mi > 59 || s > 60) return null;
  const wall = day + (h * 3600 + mi * 60 + s) * 1_000_000 + fractionToUs(m[7]);
  if (m[8] === undefined) return wallClockToUtcUs(wall, tz);
  const offset = (Number(m[9]) * 3600 + Number(m[10]) * 60) * 1_000_000;
  return m[8] === '-' ? wall + offset : wall - offset;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

/**
 * Undoes the servers' escaping inside quoted fields: Apache writes `\"` and `\\`, both write
 * `\xHH` for bytes outside printable ASCII (nginx also for `"`). The bytes are UTF-8 text.
 */
export function unescapeLogString(text: string): string {
  if (!text.includes('\\')) return text;
  // Escapes become bytes; the text between them is re-encoded, so raw UTF-8 (which some
  // servers and proxies write unescaped) and \xHH sequences join into one decoded string.
  const bytes: number[] = [];
  let plainFrom = 0;
  const flushPlain = (to: number): void => {
    for (const b of encoder.encode(text.slice(plainFrom, to))) bytes.push(b);
  };
  for (let i = 0; i < text.length - 1; i++) {
    if (text[i] !== '\\') continue;
    const next = text[i + 1];
    const hex = next === 'x' ? /^[0-9a-fA-F]{2}$/.exec(text.slice(i + 2, i + 4)) : null;
    if (hex === null && next !== '"' && next !== '\\') continue;
    flushPlain(i);
    bytes.push(hex === null ? (next === '"' ? 0x22 : 0x5c) : parseInt(hex[0], 16));
    i += hex === null ? 1 : 3;
    plainFrom = i + 1;
  }
  flushPlain(text.length);
  return utf8.decode(new Uint8Array(bytes));
}

/**
 * The response time in what trails the standard fields: a first token "0.123" is seconds
 * (nginx $request_time, Apache %{s}T with fraction), "832" whole microseconds (Apache %D, the
 * usual Apache suffix; an integer %T would be misread, see docs/formats/access-log.md), and
 * "rt=0.123" / "request_time=0.123" seconds.
 */
export function trailingDurationUs(rest: string): number | null {
  const tokens = rest.trim().split(/\s+/);
  for (const token of tokens) {
    const named = /^(?:rt|request_time)=(\d+(?:\.\d+)?)$/.exec(token);
    if (named?.[1] !== undefined) return Math.round(Number(named[1]) * 1_000_000);
  }
  const first = tokens[0] ?? '';
  if (/^\d+\.\d+$/.test(first)) return Math.round(Number(first) * 1_000_000);
  if (/^\d{1,12}$/.test(first)) return Number(first);
  return null;
}

export const CLF_SHAPE = 'HOST IDENT USER [DD/Mon/YYYY:HH:MM:SS ±HHMM] "REQUEST" STATUS BYTES ["REFERER" "USER-AGENT"]';

/** One text access log line → a record, or why it is not one. */
export function parseClfLine(text: string, tz: string): AccessRecord | string {
  const m = LINE.exec(text);
  if (!m) return `not a common/combined access log line (expected ${CLF_SHAPE})`;
  const [, vhostToken, client, ident, user, time, request, status, bytes, referer, agent, rest] = m;
  const tsUs = parseClfTime(time ?? '', tz);
  if (tsUs === null) return `unreadable time [${(time ?? '').slice(0, 40)}]`;
  const requestLine = unescapeLogString(request ?? '');
  const parts = splitRequestLine(requestLine);
  const vhost = vhostToken === undefined ? null : /^(.*):(\d{1,5})$/.exec(vhostToken);
  const extra: Record<string, FieldValue> = {};
  if (orNull(ident) !== null) extra['ident'] = ident ?? null;
  const trailing = rest?.trim() ?? '';
  const durUs = trailing === '' ? null : trailingDurationUs(trailing);
  if (trailing !== '') extra['trailing'] = trailing;
  return {
    variant: vhostToken !== undefined ? 'vhost_combined' : agent !== undefined ? 'combined' : 'common',
    tsUs,
    client: orNull(client),
    user: orNull(user === undefined ? null : unescapeLogString(user)),
    method: parts?.method ?? null,
    uri: parts?.uri ?? null,
    protocol: parts?.protocol ?? null,
    requestLine: orNull(requestLine),
    status: intOrNull(status),
    bytes: intOrNull(bytes),
    referer: orNull(referer === undefined ? null : unescapeLogString(referer)),
    userAgent: orNull(agent === undefined ? null : unescapeLogString(agent)),
    server: vhostToken === undefined ? null : (vhost?.[1] ?? vhostToken),
    serverPort: vhost ? intOrNull(vhost[2]) : null,
    durUs,
    extra,
  };
}
