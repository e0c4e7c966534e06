// The flows view: who talked to which controller. Wire flows are grouped by who opened them —
// the host-side process when a host capture's connect/accept is linked to the flow (match.ts),
// else the client's address — the server endpoint and the ICS protocol they carried, with the
// functions used (Modbus function, S7 job, DNP3 function, CIP service: the importers' op
// names), counts, and first/last seen.
import type { FlowFunction, FlowSummary } from '../model/link.ts';
import type { ProcessNode } from '../model/process.ts';
import { readProcessTree } from '../process/store.ts';
import type { CaseStore } from '../store/case-store.ts';
import { endpointKey } from './endpoints.ts';
import { processLabel } from './process-label.ts';
import type { FlowMatch } from './match.ts';
import { readConnections } from './store.ts';
import type { WireFlow } from './wire-flows.ts';

/** Who is behind a host connection: process image (or name) and pid. */
export interface ConnectionOwner {
  process: string;
  pid: number | null;
}

/** Groups flows; `owners` maps a matched connection's anchor event to its process. */
export function summariseFlows(flows: readonly WireFlow[], matches: readonly FlowMatch[], owners: ReadonlyMap<number, ConnectionOwner>): FlowSummary[] {
  const matchOf = new Map<string, FlowMatch>();
  for (const m of matches) matchOf.set(flowId(m.flow), m);
  const groups = new Map<string, FlowSummary & { fn: Map<string, FlowFunction> }>();
  for (const f of flows) {
    if (!f.server) continue;
    const match = matchOf.get(flowId(f));
    const owner = match ? owners.get(match.connection.anchor_event_id) : undefined;
    const server = endpointKey(f.server);
    const protocol = f.ics.find((op) => op.protocol !== null)?.protocol ?? null;
    // One group per process (two python3 scripts are two talkers), or per client host.
    const who = owner ? `process ${owner.process}${owner.pid !== null ? ` pid ${owner.pid}` : ''}` : `host ${f.client?.ip ?? '?'}`;
    // Connections that carried no decoded operation (retries, refused) belong with the others to the same server.
    const key = `${who} → ${server}${f.transport ? `/${f.transport}` : ''}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        key, process: owner?.process ?? null, pids: [], client_host: owner ? null : (f.client?.ip ?? null), server, transport: f.transport, protocol,
        connections: 0, linked_connections: 0, requests: 0, writes: 0, functions: [], first_us: f.first_ts_us, last_us: f.last_ts_us, fn: new Map(),
      };
      groups.set(key, g);
    }
    g.protocol ??= protocol;
    g.connections++;
    if (match) g.linked_connections++;
    if (owner?.pid != null && !g.pids.includes(owner.pid)) g.pids.push(owner.pid);
    g.first_us = Math.min(g.first_us, f.first_ts_us);
    g.last_us = Math.max(g.last_us, f.last_ts_us);
    for (const op of f.ics) {
      g.requests++;
      if (op.write) g.writes++;
      const fn = g.fn.get(op.op) ?? { op: op.op, count: 0, write: op.write };
      fn.count++;
      fn.write ||= op.write;
      g.fn.set(op.op, fn);
    }
  }
  return [...groups.values()]
    .map(({ fn, ...g }) => ({ ...g, pids: g.pids.sort((a, b) => a - b), functions: [...fn.values()].sort((a, b) => b.count - a.count || a.op.localeCompare(b.op)) }))
    .sort((a, b) => b.writes - a.writes || b.requests - a.requests || a.first_us - b.first_us || a.key.localeCompare(b.key));
}

function flowId(f: WireFlow): string {
  return `${f.capture_id}|${f.key}`;
}

/** The process owning (capture, pid), by the process tree: "python3 mb.py", "curl", else null. */
function imageOf(nodes: readonly ProcessNode[], captureId: number, pid: number): string | null {
  return processLabel(nodes.find((n) => n.members.some((m) => m.capture_id === captureId && m.pid === pid)));
}

export interface FlowsQuery {
  /** Keep groups whose process contains this text (case-insensitive). */
  process?: string;
}

export async function readFlowSummaries(store: CaseStore, query: FlowsQuery = {}): Promise<FlowSummary[]> {
  const { flows, matches } = await readConnections(store);
  const nodes = await readProcessTree(store);
  const owners = new Map<number, ConnectionOwner>();
  for (const m of matches) {
    const c = m.connection;
    owners.set(c.anchor_event_id, { process: (c.pid === null ? null : imageOf(nodes, c.capture_id, c.pid)) ?? (c.pid === null ? `capture ${c.capture_id}` : `pid ${c.pid}`), pid: c.pid });
  }
  const all = summariseFlows(flows, matches, owners);
  const wanted = query.process?.trim().toLowerCase();
  return wanted ? all.filter((g) => g.process?.toLowerCase().includes(wanted)) : all;
}
