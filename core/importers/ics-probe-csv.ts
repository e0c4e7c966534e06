// ICS flow-probe CSV exports (the IPFIX-probe format of the BUT IEC 104 and MMS datasets):
// delimited (usually ';'), a header row, one row per ICS packet, TimeStamp as a time of day only
// (→ the import's date and zone), IEC 60870-5-104 columns (fmt, uType, asduType, cot, ioa, …) or
// MMS columns (MMS Type, MMS Service, Domain Id, Item Id, …). Columns are bound by header name.
// See docs/formats/network.md.
import type { CanonicalEvent } from '../model/event.ts';
import type { DetectSample, ImportContext, ImportSink, LineParser, TextImporter } from './types.ts';
import { guessSeparator, splitDelimited } from './tshark-delimited.ts';
import { iec104Asdu, IEC104_CAUSES, IEC104_U_FUNCTIONS, mmsMessage, type IcsFunction } from './ics-protocols.ts';
import { dateToUtcUs, isoToUs, TIME, timeOfDayToUs, wallClockToUtcUs } from '../util/time.ts';

type Flavour = 'iec104' | 'mms';

/** Header names compared without case, spaces or punctuation ("MMS Type" → "mmstype"). */
function key(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function flavourOf(keys: Set<string>): Flavour | null {
  if (!keys.has('timestamp') || !keys.has('srcip') || !keys.has('dstip')) return null;
  if (keys.has('asdutype') || (keys.has('fmt') && keys.has('cot'))) return 'iec104';
  if (keys.has('mmstype') || keys.has('mmsservice')) return 'mms';
  return null;
}

function detect(sample: DetectSample): number {
  const header = sample.lines.find((l) => l.trim() !== '');
  if (header === undefined) return 0;
  const split = splitDelimited(header, guessSeparator(header));
  if (!split.complete) return 0;
  return flavourOf(new Set(split.cells.map(key))) ? 0.9 : 0;
}

/** "0x00000003" / "3" / "" → number or null. */
function int(text: string | undefined): number | null {
  const t = (text ?? '').trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t, 16);
  if (/^\d+$/.test(t)) return Number(t);
  return null;
}

function kv(parts: [string, string | number | null | undefined][]): string {
  return parts
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

type Row = (name: string) => string | undefined;

interface Mapped {
  fn: IcsFunction;
  reply: boolean;
  detail: string;
  fields: Record<string, string | number | boolean | null>;
}

function iec104Row(get: Row): Mapped {
  const fmt = int(get('fmt'));
  if (fmt === 3) {
    const u = int(get('utype'));
    const name = u !== null ? (IEC104_U_FUNCTIONS[u] ?? `u_0x${u.toString(16)}`) : 'u_frame';
    return { fn: { op: `iec104.${name}`, write: false }, reply: name.endsWith('_con'), detail: kv([['apci', name]]), fields: {} };
  }
  if (fmt === 1) return { fn: { op: 'iec104.s_frame', write: false }, reply: false, detail: 'apci=s_frame', fields: {} };
  const type = int(get('asdutype'));
  if (type === null) return { fn: { op: 'iec104.i_frame', write: false }, reply: false, detail: 'apci=i_frame', fields: {} };
  const cause = int(get('cot'));
  const asdu = iec104Asdu(type, cause);
  const ioa = (get('ioa') ?? '').trim();
  return {
    fn: asdu,
    reply: asdu.reply,
    detail: kv([
      ['type', asdu.typeName],
      ['cot', cause === null ? null : (IEC104_CAUSES[cause] ?? String(cause))],
      ['asdu_addr', get('addr')],
      ['oa', get('oa')],
      ['ioa', ioa],
      ['objects', get('numix')],
    ]),
    fields: { ics_type: asdu.typeName, ics_cause: cause, ics_address: int(ioa.split(',')[0]), ics_points: ioa || null },
  };
}

function mmsRow(get: Row): Mapped {
  const type = int(get('mmstype'));
  const service = int(get('mmsservice'));
  const msg = mmsMessage(type, service);
  const domain = (get('domainid') ?? '').trim() || null;
  const item = (get('itemid') ?? '').trim() || null;
  return {
    fn: msg,
    reply: msg.reply,
    detail: kv([
      ['pdu', msg.pdu],
      ['service', service],
      ['invoke', get('invokeid')],
      ['domain', domain],
      ['item', item],
      ['object_class', get('objectclass')],
    ]),
    fields: { ics_domain: domain, ics_item: item, ics_invoke: int(get('invokeid')) },
  };
}

class IcsProbeParser implements LineParser {
  private columns: Map<string, number> | null = null;
  private columnCount = 0;
  private separator = ';';
  private flavour: Flavour = 'iec104';
  private readonly dayUs: number;
  private dayOffsetUs = 0; // grows by a day each time the time of day wraps past midnight
  private lastTodUs: number | null = null;
  private reportedDateUse = false;

  constructor(
    private readonly ctx: ImportContext,
    private readonly sink: ImportSink,
  ) {
    this.dayUs = dateToUtcUs(ctx.date) ?? 0;
  }

  line(text: string, n: number): void {
    if (text.trim() === '') return this.sink.skip(n);
    if (this.columns === null) return this.header(text, n);
    if (!this.reportedDateUse) {
      this.reportedDateUse = true;
      this.sink.usedDate(); // every stamp here is a time of day completed with ctx.date
    }
    const split = splitDelimited(text, this.separator);
    if (!split.complete) return this.sink.reject(n, 'unterminated quoted field', text);
    if (split.cells.length !== this.columnCount) {
      return this.sink.reject(n, `expected ${this.columnCount} columns (per header), found ${split.cells.length}`, text);
    }
    const columns = this.columns;
    const get: Row = (name) => {
      const i = columns.get(name);
      return i === undefined ? undefined : split.cells[i];
    };
    const stamp = (get('timestamp') ?? '').trim();
    const ts = this.time(stamp);
    if (ts === null) return this.sink.reject(n, `unreadable TimeStamp "${stamp.slice(0, 40)}"`, text);
    const mapped = this.flavour === 'iec104' ? iec104Row(get) : mmsRow(get);
    this.sink.event(this.toEvent(get, mapped, ts, n));
  }

  end(): void {}

  private header(text: string, n: number): void {
    this.separator = guessSeparator(text);
    const split = splitDelimited(text, this.separator);
    const keys = split.complete ? split.cells.map(key) : [];
    const flavour = flavourOf(new Set(keys));
    if (!flavour) {
      throw new Error(
        `${this.ctx.fileName}: line ${n} is not an ICS probe CSV header (expected TimeStamp, srcIP, dstIP and IEC 104 columns such as asduType/cot or MMS columns such as MMS Type)`,
      );
    }
    this.flavour = flavour;
    this.columns = new Map(keys.map((k, i) => [k, i]));
    this.columnCount = keys.length;
    this.sink.skip(n);
  }

  /** Time of day on the import's date (rolling over midnight), or a full date-time if written. */
  private time(stamp: string): number | null {
    const tod = timeOfDayToUs(stamp);
    if (tod === null) return isoToUs(stamp, this.ctx.tz);
    // Rows are in capture order: a jump back of more than 12 h is the next day, not disorder.
    if (this.lastTodUs !== null && tod < this.lastTodUs - TIME.US_PER_DAY / 2) this.dayOffsetUs += TIME.US_PER_DAY;
    this.lastTodUs = tod;
    return wallClockToUtcUs(this.dayUs + this.dayOffsetUs + tod, this.ctx.tz);
  }

  private toEvent(get: Row, mapped: Mapped, ts: number, n: number): CanonicalEvent {
    const src = `${get('srcip') ?? ''}:${get('srcport') ?? ''}`.replace(/:$/, '');
    const dst = `${get('dstip') ?? ''}:${get('dstport') ?? ''}`.replace(/:$/, '');
    const protocol = this.flavour;
    const fields: Record<string, string | number | boolean | null> = {
      ics_protocol: protocol,
      ics_function: mapped.fn.op.slice(mapped.fn.op.indexOf('.') + 1),
      ics_write: mapped.fn.write && !mapped.reply,
      ics_reply: mapped.reply,
      relative_time_s: get('relativetime')?.trim() || null,
      ip_len: int(get('iplen')),
    };
    for (const [k, v] of Object.entries(mapped.fields)) if (v !== null) fields[k] = v;
    for (const [k, v] of Object.entries(fields)) if (v === null) delete fields[k];
    return {
      ts_us: ts,
      source_line: n,
      host: this.ctx.host,
      kind: 'ics',
      category: 'ics',
      op: mapped.fn.op,
      target: dst || null,
      args: [`${src} → ${dst}`, mapped.detail].filter((x) => x).join(' '),
      fields,
    };
  }
}

export const icsProbeCsvImporter: TextImporter = {
  mode: 'text',
  format: 'ics-probe-csv',
  module: import.meta.url,
  title: 'ICS probe CSV (IEC 60870-5-104 / MMS packets, time of day only)',
  reads: 'delimited export with TimeStamp, srcIP, dstIP, … and IEC 104 columns (fmt, uType, asduType, cot, ioa) or MMS columns (MMS Type, MMS Service, Domain Id, Item Id)',
  version: '1.0.0',
  needsDate: true,
  detect,
  open(ctx: ImportContext, sink: ImportSink): LineParser {
    return new IcsProbeParser(ctx, sink);
  },
};
