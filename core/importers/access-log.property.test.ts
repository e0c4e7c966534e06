// Any combined-format line, written as Apache or nginx would write it (their own escaping, an
// optional vhost prefix and response-time suffix), reads back with every field it was made from.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runText } from '../testing/collecting-sink.ts';
import { accessLogImporter } from './access-log.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Characters that escaping, percent-encoding or quoting could get wrong, drawn often. */
const TRICKY = ['"', '\\', '\\x22', ' ', '%', '%3B', '+', '?', '&', '=', '/', ';', '|', '$(', '`', '<', '>', "'", '-', '[', ']', 'é', '中', '😀'];
/** Printable text: what a path segment, referer or user agent may hold once decoded. */
const printable = (min: number) =>
  fc
    .string({ unit: fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), minLength: min, maxLength: 16 })
    // eslint-disable-next-line no-control-regex -- control characters are excluded on purpose
    .filter((s) => !/[\u0000-\u001f\u007f]/.test(s));
const token = fc.stringMatching(/^[A-Za-z0-9._@]{1,12}$/);

/**
 * Apache: `\"` and `\\`, other bytes outside printable ASCII as \xHH. nginx: all of these as
 * \xHH. "utf8": `\"` and `\\` only, other text raw (as some proxies write it).
 */
function escapeAs(server: 'apache' | 'nginx' | 'utf8', text: string): string {
  if (server === 'utf8') return text.replace(/["\\]/g, (c) => `\\${c}`);
  let out = '';
  for (const byte of new TextEncoder().encode(text)) {
    const c = String.fromCharCode(byte);
    if (server === 'apache' && (c === '"' || c === '\\')) out += `\\${c}`;
    else if (byte < 0x20 || byte >= 0x7f || c === '"' || c === '\\') out += `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += c;
  }
  return out;
}

const lineArb = fc.record({
  server: fc.constantFrom('apache' as const, 'nginx' as const, 'utf8' as const),
  vhost: fc.option(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), fc.integer({ min: 1, max: 65535 })), { nil: null }),
  client: fc.oneof(fc.ipV4(), fc.ipV6()),
  user: fc.option(token, { nil: null }),
  utcSeconds: fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2099, 11, 31) / 1000 }),
  offsetQuarters: fc.integer({ min: -48, max: 56 }),
  method: fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PROPFIND'),
  segments: fc.array(printable(0), { maxLength: 4 }),
  query: fc.option(fc.array(fc.tuple(printable(1), printable(0)), { minLength: 1, maxLength: 3 }), { nil: null }),
  status: fc.integer({ min: 100, max: 599 }),
  bytes: fc.option(fc.nat({ max: 10_000_000 }), { nil: null }),
  referer: fc.option(printable(1).filter((s) => s !== '-'), { nil: null }),
  agent: fc.option(printable(1).filter((s) => s !== '-'), { nil: null }),
  durationUnits: fc.option(fc.nat({ max: 60_000_000 }), { nil: null }),
});

type LineSpec = typeof lineArb extends fc.Arbitrary<infer T> ? T : never;

function writeLine(s: LineSpec): { line: string; target: string; durUs: number | null } {
  const offsetMin = s.offsetQuarters * 15;
  const wall = new Date((s.utcSeconds + offsetMin * 60) * 1000);
  const zone = `${offsetMin < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offsetMin) / 60))}${pad(Math.abs(offsetMin) % 60)}`;
  const time = `${pad(wall.getUTCDate())}/${MONTHS[wall.getUTCMonth()]}/${wall.getUTCFullYear()}:${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())} ${zone}`;
  const path = `/${s.segments.map(encodeURIComponent).join('/')}`;
  const query = s.query === null ? null : s.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const uri = query === null ? path : `${path}?${query}`;
  const quoted = (v: string | null): string => `"${v === null ? '-' : escapeAs(s.server, v)}"`;
  // nginx appends $request_time (seconds, three decimals), Apache %D (whole microseconds).
  const suffix = s.durationUnits === null ? '' : s.server === 'nginx' ? ` ${(Math.floor(s.durationUnits / 1000) / 1000).toFixed(3)}` : ` ${s.durationUnits}`;
  const durUs = s.durationUnits === null ? null : s.server === 'nginx' ? Math.floor(s.durationUnits / 1000) * 1000 : s.durationUnits;
  const prefix = s.vhost === null ? '' : `${s.vhost[0]}:${s.vhost[1]} `;
  const line = `${prefix}${s.client} - ${s.user ?? '-'} [${time}] "${s.method} ${uri} HTTP/1.1" ${s.status} ${s.bytes ?? '-'} ${quoted(s.referer)} ${quoted(s.agent)}${suffix}`;
  const decodedQuery = s.query === null ? null : s.query.map(([k, v]) => `${k}=${v}`).join('&');
  return { line, target: `/${s.segments.join('/')}${decodedQuery === null ? '' : `?${decodedQuery}`}`, durUs };
}

describe('access-log combined lines (property)', () => {
  it('every generated line reads back with the fields it was written from', () => {
    fc.assert(
      fc.property(lineArb, (spec) => {
        const { line, target, durUs } = writeLine(spec);
        const r = runText(accessLogImporter, line, { tz: 'Asia/Tokyo' });
        expect(r.rejects).toEqual([]);
        expect(r.events).toHaveLength(1);
        const e = r.events[0];
        expect(e?.ts_us).toBe(spec.utcSeconds * 1_000_000);
        expect(e?.op).toBe(`http.${spec.method.toLowerCase()}`);
        expect(e?.target).toBe(target);
        expect(e?.dur_us).toBe(durUs);
        expect(e?.ret).toBe(String(spec.status));
        expect(e?.host).toBe(spec.vhost?.[0] ?? null);
        expect(e?.fields).toMatchObject({
          log_format: spec.vhost === null ? 'combined' : 'vhost_combined',
          client_ip: spec.client,
          method: spec.method,
          status: spec.status,
        });
        const optional = { user: spec.user, bytes: spec.bytes, referer: spec.referer, user_agent: spec.agent, server_port: spec.vhost?.[1] ?? null };
        for (const [name, value] of Object.entries(optional)) expect(e?.fields?.[name] ?? null).toBe(value);
      }),
      { numRuns: 300 },
    );
  });
});
