// nginx access logs written as JSON (`log_format NAME escape=json '{"time_local":"$time_local",…}'`):
// one object per line whose keys are nginx variable names. Known variables fill the request;
// every other key is kept in fields under its own name. Recognised by those names, so a generic
// JSON log that merely has a "status" or a "time" is left to the jsonl importer.
import { epochSecondsTextToUs, isoToUs } from '../util/time.ts';
import { parseClfTime } from './access-log-clf.ts';
import { intOrNull, orNull, splitRequestLine, type AccessRecord, type FieldValue } from './access-log-record.ts';

/** nginx variables that access-log formats use; a record naming several of them is an access log. */
const NGINX_VARIABLES = new Set([
  'remote_addr',
  'remote_user',
  'time_local',
  'time_iso8601',
  'msec',
  'request',
  'request_method',
  'request_uri',
  'uri',
  'args',
  'server_protocol',
  'status',
  'body_bytes_sent',
  'bytes_sent',
  'request_length',
  'request_time',
  'http_referer',
  'http_user_agent',
  'http_x_forwarded_for',
  'upstream_addr',
  'upstream_status',
  'upstream_response_time',
  'server_name',
  'server_port',
  'server_addr',
  'realip_remote_addr',
]);

/** Time keys in the order tried: msec carries milliseconds, the others whole seconds. */
const TIME_KEYS = ['msec', 'time_iso8601', 'time_local', '@timestamp', 'timestamp', 'time'] as const;
/** Keys read into the record itself (not repeated in `extra`). */
const MAPPED = new Set([...TIME_KEYS, 'remote_addr', 'remote_user', 'request', 'request_method', 'request_uri', 'uri', 'args', 'server_protocol', 'status', 'body_bytes_sent', 'bytes_sent', 'http_referer', 'http_user_agent', 'server_name', 'server_port']);

function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function hasRequest(o: Record<string, unknown>): boolean {
  return text(o['request']) !== null || (text(o['request_method']) !== null && (text(o['request_uri']) !== null || text(o['uri']) !== null));
}

/** Whether a parsed JSON object reads as an nginx access record (used by detection). */
export function isNginxAccessObject(o: Record<string, unknown>): boolean {
  const named = Object.keys(o).filter((k) => NGINX_VARIABLES.has(k)).length;
  return named >= 4 && hasRequest(o) && TIME_KEYS.some((k) => k in o);
}

/** The record's time: msec (epoch seconds), then ISO 8601, then the CLF $time_local form. */
function recordTime(o: Record<string, unknown>, tz: string): { key: string; us: number | null } | null {
  for (const key of TIME_KEYS) {
    const value = text(o[key]);
    if (value === null || value === '') continue;
    if (key === 'msec') {
      const us = typeof o[key] === 'number' ? Math.round((o[key] as number) * 1000) * 1000 : epochSecondsTextToUs(value);
      return { key, us };
    }
    return { key, us: isoToUs(value, tz) ?? parseClfTime(value, tz) };
  }
  return null;
}

/** One parsed nginx JSON object → a record, or why it is not one. */
export function nginxJsonRecord(o: Record<string, unknown>, tz: string): AccessRecord | string {
  const time = recordTime(o, tz);
  if (time === null) return `no time field (${TIME_KEYS.join(', ')})`;
  if (time.us === null) return `field "${time.key}" is not a readable time: ${String(text(o[time.key])).slice(0, 60)}`;
  if (!hasRequest(o)) return 'no request field ("request", or "request_method" with "request_uri")';

  const requestLine = orNull(text(o['request']));
  const parts = requestLine === null ? null : splitRequestLine(requestLine);
  const args = orNull(text(o['args']));
  const uri = parts?.uri ?? orNull(text(o['request_uri'])) ?? (orNull(text(o['uri'])) === null ? null : `${text(o['uri'])}${args === null ? '' : `?${args}`}`);
  const seconds = text(o['request_time']);
  const serverName = orNull(text(o['server_name']));

  const extra: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(o)) {
    if (MAPPED.has(k) || v === '' || v === '-') continue;
    extra[k] = v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);
  }
  return {
    variant: 'nginx-json',
    tsUs: time.us,
    client: orNull(text(o['remote_addr'])),
    user: orNull(text(o['remote_user'])),
    method: parts?.method ?? orNull(text(o['request_method'])),
    uri,
    protocol: parts?.protocol ?? orNull(text(o['server_protocol'])),
    requestLine,
    status: intOrNull(text(o['status'])),
    bytes: intOrNull(text(o['body_bytes_sent']) ?? text(o['bytes_sent'])),
    referer: orNull(text(o['http_referer'])),
    userAgent: orNull(text(o['http_user_agent'])),
    server: serverName === '_' ? null : serverName, // "_" is nginx's catch-all server, not a name
    serverPort: intOrNull(text(o['server_port'])),
    durUs: seconds !== null && /^\d+(\.\d+)?$/.test(seconds) ? Math.round(Number(seconds) * 1_000_000) : null,
    extra,
  };
}
