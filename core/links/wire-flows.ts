// Wire-side flows from network captures: tshark exports (CSV or JSON; a flow is a tcp.stream /
// udp.stream, else the unordered 5-tuple) and Zeek logs (a flow is a conn uid, shared by
// conn.log and the protocol logs). Each flow keeps its first packet, its SYN when seen, who
// opened it, and the ICS operations it carried (events the importers gave kind 'ics').
import { endpointKey, normaliseIp, type Endpoint, type Transport } from './endpoints.ts';

/** Capture formats whose events are packets or flows on the wire. */
export const WIRE_FORMATS: ReadonlySet<string> = new Set(['tshark-csv', 'tshark-json', 'zeek']);

export interface WireRow {
  event_id: number;
  capture_id: number;
  ts_us: number;
  kind: string;
  op: string;
  fields: Record<string, unknown> | null;
}

export interface IcsOperation {
  event_id: number;
  ts_us: number;
  op: string;
  /** The request changes the device (a write, an operate, a control service). */
  write: boolean;
  /** "modbus", "s7comm", "dnp3", "enip" … (the importer's ics_protocol, else the op's prefix). */
  protocol: string | null;
}

export interface WireFlow {
  capture_id: number;
  /** "tcp.stream 4", "zeek uid CHhAvV…" or "5-tuple …": also the link's rule text. */
  key: string;
  transport: Transport | null;
  /** Opener and listener when a SYN (or Zeek's orig/resp) says so; else the first packet's ends. */
  client: Endpoint | null;
  server: Endpoint | null;
  /** True when client/server come from a SYN or Zeek's orig/resp, not a guess from packet order. */
  direction_known: boolean;
  first_event_id: number;
  first_ts_us: number;
  last_ts_us: number;
  /** The SYN (tshark) or the conn record (Zeek): the moment the connection was opened on the wire. */
  open_event_id: number | null;
  open_ts_us: number | null;
  ics: IcsOperation[];
}

function text(fields: Record<string, unknown>, ...names: string[]): string | null {
  for (const n of names) {
    const v = fields[n];
    if (typeof v === 'string' && v.trim() !== '') return v.split('|')[0]?.trim() ?? null;
    if (typeof v === 'number') return String(v);
  }
  return null;
}

function ep(ip: string | null, port: string | null): Endpoint | null {
  if (ip === null || port === null) return null;
  const p = Number(port);
  return Number.isInteger(p) && p >= 0 && p <= 65535 ? { ip: normaliseIp(ip), port: p } : null;
}

interface PacketView {
  key: string;
  transport: Transport | null;
  src: Endpoint | null;
  dst: Endpoint | null;
  /** This row opened the flow: a bare SYN, or a Zeek conn record (orig → resp). */
  opens: boolean;
  /** src/dst are orig/resp (Zeek) rather than one packet's direction. */
  oriented: boolean;
}

function tsharkView(f: Record<string, unknown>): PacketView | null {
  const ipSrc = text(f, 'ip.src', 'ipv6.src');
  const ipDst = text(f, 'ip.dst', 'ipv6.dst');
  const tcpStream = text(f, 'tcp.stream');
  const udpStream = text(f, 'udp.stream');
  const transport: Transport | null = text(f, 'tcp.srcport') !== null ? 'tcp' : text(f, 'udp.srcport') !== null ? 'udp' : null;
  const src = ep(ipSrc, text(f, 'tcp.srcport', 'udp.srcport'));
  const dst = ep(ipDst, text(f, 'tcp.dstport', 'udp.dstport'));
  let key: string | null = null;
  if (tcpStream !== null) key = `tcp.stream ${tcpStream}`;
  else if (udpStream !== null) key = `udp.stream ${udpStream}`;
  else if (src && dst && transport) {
    const [a, b] = [endpointKey(src), endpointKey(dst)].sort();
    key = `5-tuple ${transport} ${a} ${b}`;
  }
  if (key === null) return null;
  const flags = text(f, 'tcp.flags.str') ?? '';
  const synFlag = text(f, 'tcp.flags.syn');
  const ackFlag = text(f, 'tcp.flags.ack');
  const opens = flags !== '' ? flags.includes('S') && !flags.includes('A') : synFlag === '1' || synFlag === 'True' ? ackFlag === '0' || ackFlag === 'False' : false;
  return { key, transport, src, dst, opens, oriented: false };
}

function zeekView(f: Record<string, unknown>): PacketView | null {
  const uid = text(f, 'uid');
  if (uid === null) return null;
  const orig = ep(text(f, 'id.orig_h', 'id_orig_h'), text(f, 'id.orig_p', 'id_orig_p'));
  const resp = ep(text(f, 'id.resp_h', 'id_resp_h'), text(f, 'id.resp_p', 'id_resp_p'));
  const proto = text(f, 'proto')?.toLowerCase();
  const transport: Transport | null = proto === 'tcp' ? 'tcp' : proto === 'udp' ? 'udp' : null;
  return { key: `zeek uid ${uid}`, transport, src: orig, dst: resp, opens: text(f, 'zeek_path') === 'conn', oriented: true };
}

function icsOf(row: WireRow): IcsOperation | null {
  if (row.kind !== 'ics') return null;
  const f = row.fields ?? {};
  if (f['ics_reply'] === true || f['ics_reply'] === 'true') return null;
  const flagged = f['ics_write'];
  const write = flagged === true || flagged === 'true' || (flagged === undefined && /write|operate|select|control|set_|start|stop|download|delete/i.test(row.op));
  const protocol = text(f, 'ics_protocol') ?? (row.op.includes('.') ? (row.op.split('.')[0] ?? null) : null);
  return { event_id: row.event_id, ts_us: row.ts_us, op: row.op, write, protocol };
}

/** Groups one or more wire captures' rows into flows (rows in any order). */
export function wireFlows(rows: readonly WireRow[]): WireFlow[] {
  const sorted = [...rows].sort((a, b) => a.ts_us - b.ts_us || a.event_id - b.event_id);
  const flows = new Map<string, WireFlow>();
  for (const row of sorted) {
    const f = row.fields;
    if (!f) continue;
    const view = tsharkView(f) ?? zeekView(f);
    if (!view) continue;
    // A Zeek uid names one connection across all the logs of a run (conn, modbus, s7comm … are
    // separate files, so separate captures); a tshark stream number only within its export.
    const id = view.oriented ? view.key : `${row.capture_id}|${view.key}`;
    let flow = flows.get(id);
    if (!flow) {
      flow = {
        capture_id: row.capture_id, key: view.key, transport: view.transport, client: view.src, server: view.dst, direction_known: view.oriented,
        first_event_id: row.event_id, first_ts_us: row.ts_us, last_ts_us: row.ts_us, open_event_id: null, open_ts_us: null, ics: [],
      };
      flows.set(id, flow);
    }
    flow.last_ts_us = row.ts_us;
    if (view.opens && flow.open_event_id === null) {
      flow.open_event_id = row.event_id;
      flow.open_ts_us = row.ts_us;
      flow.client = view.src;
      flow.server = view.dst;
      flow.direction_known = true;
    } else if (view.oriented && !flow.direction_known) {
      flow.client = view.src;
      flow.server = view.dst;
      flow.direction_known = true;
    }
    const op = icsOf(row);
    if (op) flow.ics.push(op);
  }
  return [...flows.values()];
}
