// One web request as any access log describes it (Apache/nginx common or combined lines, nginx
// JSON, IIS W3C rows), and how it becomes a canonical event. The three readers fill an
// AccessRecord; the mapping to kind/op/target/args lives here only, so the variants agree.
//
// Mapping, consistent with the network importers: kind and category `network`; op
// `http.<method>` as tshark writes requests (`http.get`); target the URL decoded for reading;
// args the request line as written plus who sent it; ret the status; error the status when it is
// 400 or more (as Zeek http.log and tshark do). The decoded path and query are in `target` and
// the raw request line in `args`, so the free-text filter finds an injection either way.
import type { CanonicalEvent } from '../model/event.ts';
import type { ImportContext } from './types.ts';

export type FieldValue = string | number | boolean | null;

/** Which reader produced the record (kept in fields.log_format). */
export type AccessLogVariant = 'common' | 'combined' | 'vhost_combined' | 'nginx-json' | 'iis-w3c';

export interface AccessRecord {
  variant: AccessLogVariant;
  tsUs: number;
  client: string | null;
  user: string | null;
  method: string | null;
  /** Path and query as the server logged them (still percent-encoded). */
  uri: string | null;
  protocol: string | null;
  /** The request line as written ("GET /x?y HTTP/1.1"), when the log has one. */
  requestLine: string | null;
  status: number | null;
  bytes: number | null;
  referer: string | null;
  userAgent: string | null;
  /** Server or virtual host name as the server names itself (never the client's Host header). */
  server: string | null;
  serverPort: number | null;
  durUs: number | null;
  /** Every other source field, under its source name. */
  extra: Record<string, FieldValue>;
}

const MAX_TEXT = 4000;
const MAX_EXTRA = 60;

/** "-" and "" mean "not logged" in every access log format. */
export function orNull(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value === '-' || value === '' ? null : value;
}

/** A decimal integer ("153"), or null for "-", "" or anything else. */
export function intOrNull(value: string | number | null | undefined): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (value === null || value === undefined || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Percent-decoding that never throws: runs of %XX become UTF-8 text (invalid bytes show as
 * U+FFFD), a stray "%" stays as written. Only one layer is removed, so a double-encoded
 * "%253B" reads "%3B", which is what the server received after its own decoding.
 */
export function percentDecode(text: string, plusIsSpace: boolean): string {
  if (!text.includes('%') && !(plusIsSpace && text.includes('+'))) return text;
  let out = '';
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) out += utf8.decode(new Uint8Array(bytes));
    bytes = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
      continue;
    }
    flush();
    out += plusIsSpace && c === '+' ? ' ' : c;
  }
  flush();
  return out;
}

/** Control characters made visible ("\n", "\x00"), so a decoded %0a stays on one line. */
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- the same, every occurrence
const CONTROLS = /[\u0000-\u001f\u007f]/g;

export function visibleControls(text: string): string {
  if (!CONTROL.test(text)) return text;
  return text.replace(CONTROLS, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** "METHOD URI PROTOCOL" → parts; a line that is not one (TLS bytes, "-", junk) → null. */
export function splitRequestLine(line: string): { method: string; uri: string; protocol: string | null } | null {
  const m = /^([A-Za-z][A-Za-z0-9_-]{0,31}) (\S+)(?: (\S+))?$/.exec(line);
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  return { method: m[1], uri: m[2], protocol: m[3] ?? null };
}

/** Path and query of a logged URI, raw and decoded (the query's "+" reads as a space). */
export function splitUri(uri: string): { path: string; query: string | null; pathDecoded: string; queryDecoded: string | null } {
  const q = uri.indexOf('?');
  const path = q < 0 ? uri : uri.slice(0, q);
  const query = q < 0 ? null : uri.slice(q + 1);
  return {
    path,
    query,
    pathDecoded: visibleControls(percentDecode(path, false)),
    queryDecoded: query === null ? null : visibleControls(percentDecode(query, true)),
  };
}

function quoted(value: string): string {
  return /[\s"]/.test(value) ? JSON.stringify(value) : value;
}

export function accessRecordToEvent(rec: AccessRecord, sourceLine: number, ctx: ImportContext): CanonicalEvent {
  const parts = rec.uri === null ? null : splitUri(rec.uri);
  const target = parts === null ? null : parts.queryDecoded === null ? parts.pathDecoded : `${parts.pathDecoded}?${parts.queryDecoded}`;
  const requestText = rec.requestLine ?? [rec.method, rec.uri, rec.protocol].filter((x) => x !== null).join(' ');
  const args = [
    requestText === '' ? null : visibleControls(requestText),
    rec.client === null ? null : `client=${rec.client}`,
    rec.user === null ? null : `user=${quoted(rec.user)}`,
    rec.userAgent === null ? null : `ua=${quoted(rec.userAgent)}`,
  ]
    .filter((x) => x !== null)
    .join(' ');

  const fields: Record<string, FieldValue> = { log_format: rec.variant };
  const put = (name: string, value: FieldValue | undefined): void => {
    if (value === null || value === undefined) return;
    fields[name] = typeof value === 'string' ? value.slice(0, MAX_TEXT) : value;
  };
  put('client_ip', rec.client);
  put('user', rec.user);
  put('method', rec.method);
  put('protocol', rec.protocol);
  put('status', rec.status);
  put('bytes', rec.bytes);
  put('referer', rec.referer);
  put('user_agent', rec.userAgent);
  put('path', parts?.path);
  put('query', parts?.query);
  put('query_decoded', parts?.queryDecoded);
  put('vhost', rec.server);
  put('server_port', rec.serverPort);
  let extras = 0;
  for (const [k, v] of Object.entries(rec.extra)) {
    if (extras++ >= MAX_EXTRA) break;
    if (!(k in fields)) put(k, v);
  }

  const status = rec.status === null ? null : String(rec.status);
  return {
    ts_us: rec.tsUs,
    dur_us: rec.durUs,
    host: rec.server ?? ctx.host,
    kind: 'network',
    category: 'network',
    op: rec.method === null ? 'http.request' : `http.${rec.method.toLowerCase()}`,
    target: target?.slice(0, MAX_TEXT) ?? null,
    args: args === '' ? null : args.slice(0, MAX_TEXT),
    ret: status,
    error: rec.status !== null && rec.status >= 400 ? status : null,
    source_line: sourceLine,
    fields,
  };
}
