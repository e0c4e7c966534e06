// One packet from any tshark/Wireshark export (CSV of -e fields or of GUI columns, -T json with
// or without -e, -T ek) behind one field accessor, and its mapping to a canonical event. Field
// names are compared normalised ("ip.src", "ip_src" and ek's "ip_ip_src" under layer "ip" all
// match), so the exports differ only in how they are read.
import type { ImportContext, ImportSink } from './types.ts';
import type { CanonicalEvent } from '../model/event.ts';
import { dateToUtcUs, epochSecondsTextToUs, isoToUs, timeOfDayToUs, usToIso, wallClockToUtcUs } from '../util/time.ts';
import { icsFromPacket } from './tshark-ics.ts';

type FieldValue = string | number | boolean | null;

export interface Packet {
  /** First value of a field, or null when absent or empty. */
  get(name: string): string | null;
  /** All values of a field (tshark occurrence=a, JSON arrays, aggregated "a|b"). */
  all(name: string): string[];
  /** True when any field of this protocol is present ("modbus" → modbus.*). */
  hasProtocol(prefix: string): boolean;
  /** Values of every field whose normalised name matches (for value fields with many names). */
  matching(pattern: RegExp): string[];
  /** Fields worth keeping in `fields`. */
  keep(): Record<string, FieldValue>;
}

export function normaliseName(name: string): string {
  return name.trim().toLowerCase().replace(/[.\s-]+/g, '_');
}

/** Wireshark GUI column titles → the field each one shows. */
const COLUMN_TITLES: Record<string, string> = {
  'no.': 'frame.number',
  no: 'frame.number',
  time: '_ws.col.Time',
  source: '_ws.col.Source',
  destination: '_ws.col.Destination',
  protocol: '_ws.col.Protocol',
  length: 'frame.len',
  info: '_ws.col.Info',
  'source port': 'srcport',
  'destination port': 'dstport',
};

export function canonicalColumn(title: string): string {
  return COLUMN_TITLES[title.trim().toLowerCase()] ?? title.trim();
}

/** Multi-value separators tshark uses with -E occurrence=a (aggregator ',' by default, '|' often). */
const AGGREGATED = /[|,;]/;

/** Builds a packet from field → values (values already split where the export says so). */
export function makePacket(values: Map<string, string[]>, splitAggregated: boolean, maxKept = 80): Packet {
  const byNorm = new Map<string, string[]>();
  for (const [k, v] of values) {
    const norm = normaliseName(k);
    if (!byNorm.has(norm)) byNorm.set(norm, v);
  }
  const lookup = (name: string): string[] => byNorm.get(normaliseName(name)) ?? [];
  return {
    get(name) {
      const v = lookup(name).find((x) => x !== '');
      return v === undefined ? null : v;
    },
    all(name) {
      const v = lookup(name).filter((x) => x !== '');
      return splitAggregated ? v.flatMap((x) => x.split(AGGREGATED)) : v;
    },
    hasProtocol(prefix) {
      const p = `${normaliseName(prefix)}_`;
      for (const [k, v] of byNorm) if (k.startsWith(p) && v.some((x) => x !== '')) return true;
      return false;
    },
    matching(pattern) {
      const out: string[] = [];
      for (const [k, v] of byNorm) if (pattern.test(k)) out.push(...v.filter((x) => x !== ''));
      return out;
    },
    keep() {
      const out: Record<string, FieldValue> = {};
      let n = 0;
      for (const [k, v] of values) {
        const nonEmpty = v.filter((x) => x !== '');
        if (nonEmpty.length === 0) continue;
        out[k] = nonEmpty.join('|');
        if (++n >= maxKept) break;
      }
      return out;
    },
  };
}

/** Per-import time state: relative times need an anchor, chosen once and announced once. */
export class PacketClock {
  private warnedRelative = false;
  private warnedTimeOfDay = false;
  constructor(
    private readonly ctx: ImportContext,
    private readonly sink: ImportSink,
  ) {}

  /** The packet's time in µs UTC, or null with the reason. */
  timeOf(p: Packet): { us: number } | { error: string } {
    const epoch = p.get('frame.time_epoch');
    if (epoch !== null) {
      const us = epochSecondsTextToUs(epoch.trim());
      return us === null ? { error: `unreadable frame.time_epoch "${epoch}"` } : { us };
    }
    for (const name of ['frame.time_utc', 'frame.time', '_ws.col.UTC', '_ws.col.Time', '_ws.col.cls_time', 'Time']) {
      const text = p.get(name);
      if (text === null) continue;
      const us = this.parseTime(text, name === 'frame.time_utc' || name === '_ws.col.UTC');
      return us === null ? { error: `unreadable time "${text.slice(0, 60)}" in ${name}` } : { us };
    }
    const ekMs = p.get('timestamp'); // -T ek document: epoch milliseconds only
    if (ekMs !== null && /^\d{12,14}$/.test(ekMs)) return { us: Number(ekMs) * 1000 };
    return { error: 'packet has no time field (frame.time_epoch, frame.time or a Time column)' };
  }

  private parseTime(text: string, utc: boolean): number | null {
    const t = text.trim();
    const zone = utc ? 'UTC' : this.ctx.tz;
    if (/^\d+(\.\d+)?$/.test(t)) {
      // Epoch seconds (the column set to "Seconds since 1970") or seconds since capture start.
      if (Number(t) >= 1e8) return epochSecondsTextToUs(t);
      return this.relative(t);
    }
    const iso = isoToUs(t.replace(/(\.\d{6})\d+/, '$1'), zone);
    if (iso !== null) return iso;
    const wireshark = wiresharkAbsoluteToUs(t, zone);
    if (wireshark !== null) return wireshark;
    const tod = timeOfDayToUs(t);
    const day = dateToUtcUs(this.ctx.date);
    if (tod === null || day === null) return null;
    if (!this.warnedTimeOfDay) {
      this.warnedTimeOfDay = true;
      this.sink.usedDate();
      this.sink.warn(`packet times carry no date; assumed ${this.ctx.date} (${this.ctx.dateBasis}) in ${zone}. Re-import with --date if that is wrong.`);
    }
    return wallClockToUtcUs(day + tod, zone);
  }

  private relative(seconds: string): number | null {
    const rel = epochSecondsTextToUs(seconds);
    if (rel === null) return null;
    const anchor = this.ctx.startUs ?? wallClockToUtcUs(dateToUtcUs(this.ctx.date) ?? 0, this.ctx.tz);
    if (!this.warnedRelative) {
      this.warnedRelative = true;
      this.sink.warn(
        `packet times are seconds since the start of the capture; anchored at ${usToIso(anchor)} ` +
          `(${this.ctx.startUs !== null ? 'from --start' : `midnight of ${this.ctx.date}, ${this.ctx.dateBasis}`}). Re-import with --start for true times.`,
      );
    }
    return anchor + rel;
  }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Wireshark's absolute format "Nov 26, 2026 06:13:22.613126000 UTC" (frame.time). A zone other
 * than UTC/GMT/±HHMM is a local abbreviation (CEST, …) that cannot be resolved reliably: the
 * analyst's --tz is used instead.
 */
export function wiresharkAbsoluteToUs(text: string, defaultZone: string): number | null {
  const m = /^([A-Za-z]{3})\s+(\d{1,2}),\s+(\d{4})\s+(\d{1,2}:\d{2}:\d{2}(?:\.\d+)?)(?:\s+(.+))?$/.exec(text.trim());
  if (!m) return null;
  const month = MONTHS.indexOf((m[1] ?? '').toLowerCase());
  if (month < 0) return null;
  const day = dateToUtcUs(`${m[3]}-${String(month + 1).padStart(2, '0')}-${(m[2] ?? '').padStart(2, '0')}`);
  const tod = timeOfDayToUs(m[4] ?? '');
  if (day === null || tod === null) return null;
  const zone = (m[5] ?? '').trim();
  if (zone === 'UTC' || zone === 'GMT' || zone === 'Coordinated Universal Time') return day + tod;
  const offset = /^(?:UTC|GMT)?([+-]\d{2}):?(\d{2})$/.exec(zone);
  if (offset) return wallClockToUtcUs(day + tod, `${offset[1]}:${offset[2]}`);
  return wallClockToUtcUs(day + tod, defaultZone);
}

function endpoint(host: string | null, port: string | null): string | null {
  if (host === null) return null;
  const h = host.includes(':') && port !== null ? `[${host}]` : host;
  return port === null ? host : `${h}:${port}`;
}

/** The packet as an event (time and line added by the caller). */
export function packetToEvent(p: Packet, tsUs: number, sourceLine: number, ctx: ImportContext): CanonicalEvent {
  const srcHost = p.get('ip.src') ?? p.get('ipv6.src') ?? p.get('_ws.col.Source') ?? p.get('_ws.col.def_src') ?? p.get('eth.src');
  const dstHost = p.get('ip.dst') ?? p.get('ipv6.dst') ?? p.get('_ws.col.Destination') ?? p.get('_ws.col.def_dst') ?? p.get('eth.dst');
  const srcPort = p.get('tcp.srcport') ?? p.get('udp.srcport') ?? p.get('sctp.srcport') ?? p.get('srcport');
  const dstPort = p.get('tcp.dstport') ?? p.get('udp.dstport') ?? p.get('sctp.dstport') ?? p.get('dstport');
  const src = endpoint(srcHost, srcPort);
  const dst = endpoint(dstHost, dstPort);
  const protocol = p.get('_ws.col.Protocol') ?? p.get('frame.protocols')?.split(':').pop() ?? 'frame';
  const info = p.get('_ws.col.Info')?.trim() ?? null;
  const length = p.get('frame.len');
  const flow = src && dst ? `${src} → ${dst}` : (src ?? dst ?? '');
  const summary = (extra: string | null): string => [flow, length ? `len=${length}` : null, extra].filter((x) => x).join(' ');

  const fields: Record<string, FieldValue> = p.keep();
  const ics = icsFromPacket(p, { srcPort, dstPort, info, protocol });
  if (ics) {
    Object.assign(fields, ics.fields);
    return {
      ts_us: tsUs,
      source_line: sourceLine,
      host: ctx.host,
      kind: 'ics',
      category: 'ics',
      op: ics.op,
      target: dst,
      args: summary([ics.detail, info].filter((x) => x).join(' | ')),
      error: ics.error,
      fields,
    };
  }
  const syslog = p.get('syslog.msg');
  const method = p.get('http.request.method');
  const status = p.get('http.response.code');
  let op = protocolOp(protocol);
  let detail = info;
  let ret: string | null = null;
  if (syslog !== null) {
    op = 'syslog';
    detail = info ?? syslog; // the Info column carries facility.severity plus the message
  } else if (method !== null) {
    op = `http.${method.toLowerCase()}`;
    detail = [method, p.get('http.request.uri'), info].filter((x) => x).join(' ');
  } else if (status !== null) {
    op = 'http.response';
    ret = status;
  }
  return {
    ts_us: tsUs,
    source_line: sourceLine,
    host: ctx.host,
    kind: 'network',
    category: 'network',
    op,
    target: dst,
    args: summary(detail),
    ret,
    error: status !== null && Number(status) >= 400 ? status : null,
    fields,
  } satisfies CanonicalEvent;
}

/** "Modbus/TCP" → "modbus_tcp", "TCP" → "tcp". */
function protocolOp(protocol: string): string {
  return (
    protocol
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'frame'
  );
}
