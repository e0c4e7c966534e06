// Flows from Zeek (conn uid shared with the protocol logs) and from tshark exports without a
// stream column (the unordered 5-tuple), each with its opener and its ICS requests.
import { describe, expect, it } from 'vitest';
import { wireFlows, type WireRow } from './wire-flows.ts';

let id = 1;
const row = (ts: number, kind: string, op: string, fields: Record<string, unknown>, capture_id = 5): WireRow => ({ event_id: id++, capture_id, ts_us: ts, kind, op, fields });

describe('wire flows', () => {
  it('groups Zeek records by uid, oriented by orig/resp, with the writes the ICS logs mark', () => {
    const conn = row(100, 'network', 'conn', { zeek_path: 'conn', uid: 'CAbc1', 'id.orig_h': '10.0.0.2', 'id.orig_p': 50000, 'id.resp_h': '10.0.0.5', 'id.resp_p': 502, proto: 'tcp' });
    const read = row(150, 'ics', 'modbus.read_holding_registers', { zeek_path: 'modbus', uid: 'CAbc1', ics_write: false, ics_reply: false, 'id.orig_h': '10.0.0.2', 'id.orig_p': 50000, 'id.resp_h': '10.0.0.5', 'id.resp_p': 502 });
    const write = row(200, 'ics', 'modbus.write_single_register', { zeek_path: 'modbus', uid: 'CAbc1', ics_write: true, ics_reply: false });
    const reply = row(210, 'ics', 'modbus.write_single_register', { zeek_path: 'modbus', uid: 'CAbc1', ics_write: false, ics_reply: true });
    // Zeek writes conn.log when the connection ends: its record may come after the operations.
    const [flow, ...rest] = wireFlows([read, write, reply, conn]);
    expect(rest).toEqual([]);
    expect(flow).toMatchObject({
      key: 'zeek uid CAbc1', transport: 'tcp', client: { ip: '10.0.0.2', port: 50000 }, server: { ip: '10.0.0.5', port: 502 },
      direction_known: true, open_event_id: conn.event_id, first_event_id: conn.event_id,
    });
    expect(flow?.ics.map((o) => [o.event_id, o.write])).toEqual([[read.event_id, false], [write.event_id, true]]);
  });

  it('falls back to the 5-tuple without tcp.stream, and to the first packet when no SYN was seen', () => {
    const a = row(1, 'network', 'tcp', { 'ip.src': '10.0.0.5', 'ip.dst': '10.0.0.2', 'tcp.srcport': '502', 'tcp.dstport': '50001', 'tcp.flags.str': '·······AP···' });
    const b = row(2, 'network', 'tcp', { 'ip.src': '10.0.0.2', 'ip.dst': '10.0.0.5', 'tcp.srcport': '50001', 'tcp.dstport': '502', 'tcp.flags.str': '·······A····' });
    const [flow, ...rest] = wireFlows([a, b]);
    expect(rest).toEqual([]);
    expect(flow).toMatchObject({ key: '5-tuple tcp 10.0.0.2:50001 10.0.0.5:502', direction_known: false, open_event_id: null, client: { ip: '10.0.0.5', port: 502 } });
  });

  it('joins a Zeek uid across logs imported as separate captures (conn.log, s7comm.log)', () => {
    const conn = row(100, 'network', 'conn', { zeek_path: 'conn', uid: 'CS7a', proto: 'tcp', 'id.orig_h': '10.0.0.2', 'id.orig_p': 50000, 'id.resp_h': '10.0.0.7', 'id.resp_p': 102 }, 1);
    const job = row(150, 'ics', 's7.write_var', { zeek_path: 's7comm', uid: 'CS7a', ics_protocol: 's7comm', ics_write: true }, 2);
    const other = row(160, 'ics', 's7.read_var', { zeek_path: 's7comm', uid: 'CS7b', ics_write: false }, 2);
    const flows = wireFlows([conn, job, other]);
    expect(flows.map((f) => [f.key, f.capture_id, f.ics.map((o) => [o.op, o.protocol])])).toEqual([
      ['zeek uid CS7a', 1, [['s7.write_var', 's7comm']]],
      ['zeek uid CS7b', 2, [['s7.read_var', 's7']]],
    ]);
  });
});
