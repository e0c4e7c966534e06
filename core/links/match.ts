// Host connection ↔ wire flow. A pair must agree on the ends the host knows (the peer always,
// the local port when the capture shows it) and on time. Clocks of different captures may
// disagree, so time is judged after a consensus offset per (host capture, wire capture): the
// offset that puts the most candidate pairs within the tolerance of each other. Retries to the
// same server a second apart then cannot be confused with one another even when the clocks
// are seconds apart.
import { endpointKey, type Endpoint } from './endpoints.ts';
import type { HostConnection } from './socket-table.ts';
import type { WireFlow } from './wire-flows.ts';

export interface MatchOptions {
  /** Largest clock difference between two captures considered at all (µs). */
  max_offset_us: number;
  /** Largest distance of a pair from the consensus offset (µs). */
  tolerance_us: number;
}

/**
 * A rival flow is one whose time fits within this much of the chosen one: a connect and its SYN
 * are microseconds apart, so a flow tens of milliseconds further off is no real alternative.
 */
const AMBIGUITY_US = 20_000;

export const DEFAULT_MATCH_OPTIONS: MatchOptions = { max_offset_us: 600_000_000, tolerance_us: 250_000 };

export interface FlowMatch {
  connection: HostConnection;
  flow: WireFlow;
  /** Wire open time − host anchor time, µs (the host capture's clock error plus the call's latency). */
  diff_us: number;
  confidence: number;
  rule: string;
}

function sameIp(a: string, b: string): boolean {
  return a === b || a === '0.0.0.0' || b === '0.0.0.0' || a === '::' || b === '::';
}

function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return a.port === b.port && sameIp(a.ip, b.ip);
}

/** The ends a connection and a flow must share; null when the connection cannot be matched. */
function agrees(c: HostConnection, f: WireFlow): { exact: boolean } | null {
  if (c.transport && f.transport && c.transport !== f.transport) return null;
  if (!c.remote || !f.client || !f.server) return null;
  // A client's peer is the flow's server; a server's peer is the flow's client. A record that
  // does not say which side it is may be either.
  const asClient = c.role !== 'server' && sameEndpoint(c.remote, f.server) && (!c.local || sameEndpoint(c.local, f.client));
  const asServer = c.role !== 'client' && sameEndpoint(c.remote, f.client) && (!c.local || c.local.port === f.server.port);
  if (!asClient && !asServer) return null;
  return { exact: c.local !== null && c.local.port !== 0 };
}

function openTs(f: WireFlow): number {
  return f.open_ts_us ?? f.first_ts_us;
}

interface Candidate {
  c: HostConnection;
  f: WireFlow;
  diff: number;
  exact: boolean;
}

/** The offset most candidate differences agree on (within ±tolerance), nearest zero on ties. */
export function consensusOffset(diffs: readonly number[], tolerance: number): number | null {
  if (diffs.length === 0) return null;
  const s = [...diffs].sort((a, b) => a - b);
  let best = { count: 0, centre: 0 };
  let j = 0;
  for (let i = 0; i < s.length; i++) {
    while ((s[j] ?? 0) < (s[i] ?? 0) - 2 * tolerance) j++;
    const count = i - j + 1;
    const centre = s[j + Math.floor(count / 2)] ?? 0;
    if (count > best.count || (count === best.count && Math.abs(centre) < Math.abs(best.centre))) best = { count, centre };
  }
  return best.centre;
}

function groupKey(c: HostConnection, f: WireFlow): string {
  return `${c.capture_id}|${f.capture_id}`;
}

/** Pairs each host connection with at most one flow per wire capture, and each flow with one connection. */
export function matchConnections(
  connections: readonly HostConnection[],
  flows: readonly WireFlow[],
  options: MatchOptions = DEFAULT_MATCH_OPTIONS,
): FlowMatch[] {
  const byServer = new Map<string, WireFlow[]>();
  const index = (e: Endpoint | null, f: WireFlow): void => {
    if (!e) return;
    const k = String(e.port);
    const list = byServer.get(k) ?? [];
    list.push(f);
    byServer.set(k, list);
  };
  for (const f of flows) {
    index(f.server, f);
    if (f.client && f.client.port !== f.server?.port) index(f.client, f);
  }
  const groups = new Map<string, Candidate[]>();
  for (const c of connections) {
    if (!c.remote) continue;
    for (const f of byServer.get(String(c.remote.port)) ?? []) {
      const diff = openTs(f) - c.anchor_ts_us;
      if (Math.abs(diff) > options.max_offset_us) continue;
      const ok = agrees(c, f);
      if (!ok) continue;
      const list = groups.get(groupKey(c, f)) ?? [];
      list.push({ c, f, diff, exact: ok.exact });
      groups.set(groupKey(c, f), list);
    }
  }
  const out: FlowMatch[] = [];
  for (const candidates of groups.values()) {
    const offset = consensusOffset(
      candidates.map((x) => x.diff),
      options.tolerance_us,
    );
    if (offset === null) continue;
    const near = candidates
      .filter((x) => Math.abs(x.diff - offset) <= options.tolerance_us)
      .sort((a, b) => Number(b.exact) - Number(a.exact) || Math.abs(a.diff - offset) - Math.abs(b.diff - offset));
    const byConnection = new Map<number, Candidate[]>();
    for (const x of near) byConnection.set(x.c.anchor_event_id, [...(byConnection.get(x.c.anchor_event_id) ?? []), x]);
    const rivalsOf = (x: Candidate): number => {
      const own = Math.abs(x.diff - offset);
      return (byConnection.get(x.c.anchor_event_id) ?? []).filter((y) => y !== x && y.exact === x.exact && Math.abs(y.diff - offset) <= own + AMBIGUITY_US).length;
    };
    const usedC = new Set<number>();
    const usedF = new Set<number>();
    for (const x of near) {
      if (usedC.has(x.c.anchor_event_id) || usedF.has(x.f.first_event_id)) continue;
      usedC.add(x.c.anchor_event_id);
      usedF.add(x.f.first_event_id);
      const rivals = rivalsOf(x);
      const ends = x.exact ? `5-tuple ${endpointKey(x.c.local as Endpoint)} → ${endpointKey(x.c.remote as Endpoint)}` : `peer ${endpointKey(x.c.remote as Endpoint)}`;
      const confidence = (x.exact ? 0.98 : 0.85) / (1 + rivals) * (x.f.direction_known ? 1 : 0.8);
      out.push({
        connection: x.c,
        flow: x.f,
        diff_us: x.diff,
        confidence: Math.round(confidence * 1000) / 1000,
        rule: `${ends} (${x.c.source}) = ${x.f.key}; opened ${Math.round(x.diff - offset)} µs from the consensus offset ${Math.round(offset)} µs`,
      });
    }
  }
  return out;
}
