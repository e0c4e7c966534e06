// Matching under an unknown clock offset: a client that retries every 1.5 s while its host clock
// is 2.5 s ahead must still pair each connect with its own SYN, not a neighbour's.
import { describe, expect, it } from 'vitest';
import { consensusOffset, matchConnections } from './match.ts';
import type { HostConnection } from './socket-table.ts';
import type { WireFlow } from './wire-flows.ts';

const SERVER = { ip: '10.0.0.5', port: 502 };

function connection(id: number, ts: number, local: number | null): HostConnection {
  return {
    capture_id: 1, pid: 1, anchor_event_id: id, anchor_ts_us: ts, anchor_dur_us: 300, role: 'client', transport: 'tcp',
    local: local === null ? null : { ip: '10.0.0.2', port: local }, remote: SERVER, calls: [], source: 'fd table',
  };
}

function flow(id: number, ts: number, port: number): WireFlow {
  return {
    capture_id: 2, key: `tcp.stream ${id}`, transport: 'tcp', client: { ip: '10.0.0.2', port }, server: SERVER, direction_known: true,
    first_event_id: 1000 + id, first_ts_us: ts, last_ts_us: ts + 10, open_event_id: 1000 + id, open_ts_us: ts, ics: [],
  };
}

describe('connection ↔ flow matching', () => {
  it('finds the offset most pairs agree on, nearest zero on ties', () => {
    expect(consensusOffset([2_500_100, -1_000, 2_500_050, 1_000_000, 2_500_080], 1_000)).toBe(2_500_080);
    expect(consensusOffset([-500, 500], 100)).toBe(-500);
    expect(consensusOffset([], 100)).toBeNull();
  });

  it('pairs retries 1.5 s apart with their own flows when the host clock is 2.5 s behind', () => {
    const skew = 2_500_000;
    const starts = [0, 1_500_000, 3_000_000, 4_500_000, 6_000_000];
    // The host does not know its local ports (no getsockname): only the peer and the time tell.
    const conns = starts.map((t, k) => connection(k + 1, t, null));
    const flows = starts.map((t, k) => flow(k, t + skew + 80 + k * 7, 40_000 + k));
    const matches = matchConnections(conns, flows);
    expect(matches.map((m) => [m.connection.anchor_event_id, m.flow.first_event_id]).sort()).toEqual(starts.map((_, k) => [k + 1, 1000 + k]).sort());
    expect(matches.every((m) => m.confidence > 0.5 && m.confidence < 0.9)).toBe(true);
    expect(matches[0]?.rule).toMatch(/^peer 10\.0\.0\.5:502 \(fd table\) = tcp\.stream \d/);
  });

  it('uses the local port when known, and refuses a flow to another server', () => {
    const conns = [connection(1, 0, 40_001)];
    const flows = [flow(0, 90, 40_000), flow(1, 95, 40_001), { ...flow(2, 91, 40_001), server: { ip: '10.0.0.6', port: 502 } }];
    const [m, ...rest] = matchConnections(conns, flows);
    expect(rest).toEqual([]);
    expect(m?.flow.key).toBe('tcp.stream 1');
    expect(m?.confidence).toBeGreaterThan(0.95);
  });
});
