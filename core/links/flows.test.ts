// The flows view's aggregation: per (process or client host → server, protocol), functions with
// counts, writes, first/last seen and how many connections a host call is linked to.
import { describe, expect, it } from 'vitest';
import type { FlowMatch } from './match.ts';
import type { HostConnection } from './socket-table.ts';
import type { IcsOperation, WireFlow } from './wire-flows.ts';
import { summariseFlows } from './flows.ts';

let next = 100;
const op = (ts_us: number, name: string, write: boolean): IcsOperation => ({ event_id: next++, ts_us, op: name, write, protocol: name.split('.')[0] ?? null });
const flow = (key: string, clientPort: number, first: number, last: number, ics: IcsOperation[], server = { ip: '10.0.0.5', port: 502 }): WireFlow => ({
  capture_id: 2, key, transport: 'tcp', client: { ip: '10.0.0.2', port: clientPort }, server, direction_known: true,
  first_event_id: next++, first_ts_us: first, last_ts_us: last, open_event_id: null, open_ts_us: first, ics,
});
const match = (f: WireFlow, anchor: number): FlowMatch => ({
  connection: { capture_id: 1, pid: 7, anchor_event_id: anchor, anchor_ts_us: f.first_ts_us, anchor_dur_us: 10, role: 'client', transport: 'tcp', local: null, remote: f.server, calls: [], source: 'fd table' } as unknown as HostConnection,
  flow: f, diff_us: 0, confidence: 0.9, rule: 'test',
});

describe('summariseFlows', () => {
  it('groups by process, server and protocol, counts functions and writes, keeps first/last seen', () => {
    const hmi1 = flow('tcp.stream 0', 40100, 1_000, 2_000, [op(1_100, 'modbus.read_holding_registers', false), op(1_200, 'modbus.read_holding_registers', false)]);
    const retry = flow('tcp.stream 9', 40101, 800, 900, []); // refused: no operation, still the HMI's connection
    const hmi2 = flow('tcp.stream 1', 40102, 5_000, 9_000, [op(5_100, 'modbus.write_single_register', true), op(5_200, 'modbus.read_holding_registers', false)]);
    const stranger = flow('tcp.stream 2', 50000, 3_000, 3_500, [op(3_100, 'modbus.write_single_coil', true)]);
    const web = flow('tcp.stream 3', 50002, 4_000, 4_100, [], { ip: '10.0.0.9', port: 80 });
    const owners = new Map([[1, { process: 'hmi', pid: 7 }], [2, { process: 'hmi', pid: 7 }], [3, { process: 'hmi', pid: 7 }]]);
    const groups = summariseFlows([retry, hmi1, hmi2, stranger, web], [match(retry, 3), match(hmi1, 1), match(hmi2, 2)], owners);
    expect(groups.map((g) => g.key)).toEqual(['process hmi pid 7 → 10.0.0.5:502/tcp', 'host 10.0.0.2 → 10.0.0.5:502/tcp', 'host 10.0.0.2 → 10.0.0.9:80/tcp']);
    expect(groups[0]).toMatchObject({
      process: 'hmi', pids: [7], client_host: null, protocol: 'modbus', connections: 3, linked_connections: 3, requests: 4, writes: 1, first_us: 800, last_us: 9_000,
      functions: [{ op: 'modbus.read_holding_registers', count: 3, write: false }, { op: 'modbus.write_single_register', count: 1, write: true }],
    });
    expect(groups[1]).toMatchObject({ process: null, client_host: '10.0.0.2', connections: 1, linked_connections: 0, writes: 1 });
    expect(groups[2]).toMatchObject({ protocol: null, requests: 0 });
  });
});
