import { describe, expect, it } from 'vitest';
import type { ProcessNode } from '../../../core/api.ts';
import { imageName, indexTree, initiallyExpanded, visibleRows, withDescendants } from './tree.ts';

function node(proc_id: number, parent_id: number | null, image: string, start: number, finding_ids: number[] = []): ProcessNode {
  return {
    proc_id, parent_id, image, host: 'hmi', pid: 1000 + proc_id, host_pid: null, ns_pid: null, ppid: null, command_line: null, user: null,
    start_us: start, end_us: start + 10, exit_code: null, exited: false, captures: [1], events: 1, members: [], finding_ids,
  };
}

// node → sh → (id, curl); node → df; cron alone.
const nodes = [node(1, null, '/usr/bin/node', 0), node(2, 1, '/bin/sh', 5), node(3, 2, '/usr/bin/id', 7, [11]), node(4, 2, '/usr/bin/curl', 6, [11, 12]), node(5, 1, '/usr/bin/df', 3), node(6, null, '/usr/sbin/cron', 1)];

describe('process tree rows', () => {
  const index = indexTree(nodes);

  it('lists roots, and children of expanded nodes in start order', () => {
    expect(visibleRows(index, new Set()).map((r) => r.node.proc_id)).toEqual([1, 6]);
    const rows = visibleRows(index, new Set([1, 2]));
    expect(rows.map((r) => [r.node.proc_id, r.depth])).toEqual([
      [1, 0],
      [5, 1],
      [2, 1],
      [4, 2],
      [3, 2],
      [6, 0],
    ]);
    expect(rows.find((r) => r.node.proc_id === 1)).toMatchObject({ hasChildren: true, expanded: true, findingsBelow: 2 });
    expect(rows.find((r) => r.node.proc_id === 5)).toMatchObject({ hasChildren: false, findingsBelow: 0 });
  });

  it('selects a process with everything it started', () => {
    expect(withDescendants(2, index).sort()).toEqual([2, 3, 4]);
    expect(withDescendants(6, index)).toEqual([6]);
  });

  it('opens the way to the processes with findings', () => {
    expect([...initiallyExpanded(index)].sort()).toEqual([1, 2]);
    expect(imageName(nodes[0] as ProcessNode)).toBe('node');
  });
});
