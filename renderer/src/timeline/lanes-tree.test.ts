import { describe, expect, it } from 'vitest';
import type { Lane, ProcessNode } from '../../../core/api.ts';
import { orderLanesByTree } from './lanes.ts';

const lane = (lane_id: string, group: 'api' | 'source', pid: number | null, host: string | null = null): Lane => ({
  lane_id, group, host, pid, label: lane_id, kind: group === 'api' ? 'api' : 'log', process: null, capture_id: group === 'source' ? 1 : null, count: 1, first_us: 0, last_us: 1,
});
const proc = (proc_id: number, parent_id: number | null, pid: number, start: number, memberPids: number[] = [pid]): ProcessNode => ({
  proc_id, parent_id, pid, host: 'hmi', host_pid: null, ns_pid: null, ppid: null, image: null, command_line: null, user: null, start_us: start, end_us: start,
  exit_code: null, exited: false, captures: [1], events: 1, members: memberPids.map((p) => ({ capture_id: 1, pid: p, first_us: 0, last_us: 1 })),
});

describe('lanes in process-tree order', () => {
  it('puts each process after its parent, indented, sources first and unknown pids last', () => {
    // hmi(1202, thread 1203) → sh(1210) → id(1212); hmi → df(1207). Lanes come sorted by pid.
    const nodes = [proc(1, null, 1202, 0, [1202, 1203]), proc(2, 1, 1207, 1), proc(3, 1, 1210, 2), proc(4, 3, 1212, 3)];
    const lanes = [lane('api::1202', 'api', 1202), lane('api::1203', 'api', 1203), lane('api::1207', 'api', 1207), lane('api::1210', 'api', 1210), lane('api::1212', 'api', 1212), lane('api::99', 'api', 99), lane('src:1:log', 'source', null)];
    const { lanes: ordered, depth } = orderLanesByTree(lanes, nodes);
    expect(ordered.map((l) => l.lane_id)).toEqual(['src:1:log', 'api::1202', 'api::1203', 'api::1207', 'api::1210', 'api::1212', 'api::99']);
    expect(['api::1202', 'api::1207', 'api::1210', 'api::1212'].map((id) => depth.get(id))).toEqual([0, 1, 1, 2]);
    expect(depth.has('api::99')).toBe(false);
  });
});
