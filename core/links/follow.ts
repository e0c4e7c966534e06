// "Follow" from a socket call, a flow or an ICS operation: the chain process → call → flow → ICS
// operations → device records and alarms, read from the links table transitively (walk.ts:
// bounded depth and size, cycles entered once), plus the alarms recorded within a window after
// the chain's last write that no link names (an alarm list rarely names the connection), each
// step marked when its order against the previous one is within the clocks' uncertainty.
import type { ChainProcess, ChainRole, ChainStep, FollowedChain, Link, LinkKind } from '../model/link.ts';
import { CHAIN_ROLES } from '../model/link.ts';
import type { StoredEvent } from '../model/event.ts';
import type { ProcessNode } from '../model/process.ts';
import { readProcessTree } from '../process/store.ts';
import type { CaseStore } from '../store/case-store.ts';
import { EVENT_SELECT, readEvents } from '../store/event-rows.ts';
import { sql } from '../store/sql.ts';
import { captureClockErrors, markUncertainOrder } from './ordering.ts';
import { allLinks, CHAIN_LIMIT } from './store.ts';
import { walkLinks } from './walk.ts';

export interface FollowOptions {
  /** Most links walked from the followed event. */
  max_depth: number;
  /** Alarms this long (µs) after the chain's last write belong to it even without a link. */
  alarm_window_us: number;
}

/** Depth 6 reaches an alarm from any call of the socket: call → connect → SYN → write → alarm, with room for a device record. */
export const DEFAULT_FOLLOW_OPTIONS: FollowOptions = { max_depth: 6, alarm_window_us: 5_000_000 };

/** Most alarms added by the window (a flood of alarms after a trip is one step, not hundreds). */
const WINDOW_ALARMS = 20;

/** What the far end of each link kind is, and what its near end is. */
const ROLE_OF: Record<LinkKind, { from: ChainRole; to: ChainRole }> = {
  'socket-call': { from: 'call', to: 'call' },
  'socket-flow': { from: 'call', to: 'flow' },
  'flow-ics': { from: 'flow', to: 'ics' },
  'flow-device': { from: 'flow', to: 'device' },
  'ics-device': { from: 'ics', to: 'device' },
  'ics-alarm': { from: 'ics', to: 'alarm' },
};

/** The role of an event in a chain, from the links that touch it (an alarm is an alarm whatever links it). */
export function roleOf(event: Pick<StoredEvent, 'event_id' | 'kind'>, links: readonly Link[]): ChainRole {
  if (event.kind === 'alarm') return 'alarm';
  // What reached it says most (a PLC log's "WRITE fc=6" record is the device's, not the wire's).
  for (const l of links) {
    if (l.to_event === event.event_id) return ROLE_OF[l.kind].to;
  }
  if (event.kind === 'ics') return 'ics';
  for (const l of links) {
    if (l.from_event === event.event_id) return ROLE_OF[l.kind].from;
  }
  return event.kind === 'network' ? 'flow' : 'call';
}

/** Steps in the order a chain is told: calls, flow, operations, device records, alarms; each by time. */
export function orderSteps(steps: ChainStep[]): ChainStep[] {
  const rank = (r: ChainRole): number => CHAIN_ROLES.indexOf(r);
  return [...steps].sort((a, b) => rank(a.role) - rank(b.role) || a.event.ts_us - b.event.ts_us || a.event.event_id - b.event.event_id);
}

function isWrite(e: StoredEvent): boolean {
  const flagged = e.fields?.['ics_write'];
  return flagged === true || flagged === 'true';
}

/** The process of the chain's first host call, with its ancestors' images. */
export function chainProcess(call: Pick<StoredEvent, 'capture_id' | 'pid'> | undefined, nodes: readonly ProcessNode[]): ChainProcess | null {
  if (!call || call.pid === null) return null;
  const node = nodes.find((n) => n.members.some((m) => m.capture_id === call.capture_id && m.pid === call.pid));
  if (!node) return null;
  const byId = new Map(nodes.map((n) => [n.proc_id, n]));
  const ancestry: string[] = [];
  const seen = new Set<number>([node.proc_id]);
  for (let p = node.parent_id === null ? undefined : byId.get(node.parent_id); p && !seen.has(p.proc_id); p = p.parent_id === null ? undefined : byId.get(p.parent_id)) {
    seen.add(p.proc_id);
    ancestry.push(p.image ?? `pid ${p.pid}`);
  }
  return { proc_id: node.proc_id, pid: node.pid, image: node.image, ancestry };
}

async function eventsById(store: CaseStore, ids: readonly number[]): Promise<StoredEvent[]> {
  return readEvents(store, sql`SELECT ${EVENT_SELECT} FROM event_rows e WHERE list_contains(CAST(CAST(${JSON.stringify(ids)} AS JSON) AS BIGINT[]), e.event_id)`);
}

/** Fan-out (a socket's calls, a flow's operations) listed per event: the rest are counted, not listed. */
const FOLLOW_FAN_OUT = 50;
/** Most writes of the reached flows added beyond the fan-out bound. */
const MAX_WRITES = 200;

async function writeIds(store: CaseStore, ids: readonly number[]): Promise<Set<number>> {
  const rows = await store.rows(
    sql`SELECT e.event_id FROM event_rows e
        WHERE list_contains(CAST(CAST(${JSON.stringify(ids)} AS JSON) AS BIGINT[]), e.event_id) AND json_extract_string(e.fields, '$.ics_write') = 'true'
        ORDER BY e.ts_us LIMIT ${MAX_WRITES}`,
    { event_id: 'num' },
  );
  return new Set(rows.map((r) => r.event_id));
}

export async function followChain(store: CaseStore, eventId: number, options: FollowOptions = DEFAULT_FOLLOW_OPTIONS): Promise<FollowedChain> {
  const all = await allLinks(store);
  const walk = walkLinks(all, eventId, { max_depth: options.max_depth, max_links: CHAIN_LIMIT, max_fan_out: FOLLOW_FAN_OUT });
  const links = [...walk.links];
  const depth = new Map(walk.depth);

  // A polling connection carries hundreds of reads and one write: followed from the host side or
  // the flow, every write of the reached flows is listed (and what the device and the alarms
  // recorded of it), whatever the fan-out bound left out. Followed from one operation, not.
  const startIsOperation = all.some((l) => l.kind === 'flow-ics' && l.to_event === eventId);
  const unlisted = startIsOperation ? [] : all.filter((l) => l.kind === 'flow-ics' && depth.has(l.from_event) && !depth.has(l.to_event));
  if (unlisted.length > 0) {
    const writes = await writeIds(store, unlisted.map((l) => l.to_event));
    for (const l of unlisted) {
      if (!writes.has(l.to_event)) continue;
      links.push(l);
      depth.set(l.to_event, (depth.get(l.from_event) ?? 0) + 1);
    }
    for (const l of all) {
      if ((l.kind === 'ics-device' || l.kind === 'ics-alarm') && writes.has(l.from_event) && !depth.has(l.to_event)) {
        links.push(l);
        depth.set(l.to_event, (depth.get(l.from_event) ?? 0) + 1);
      }
    }
  }
  const events = await eventsById(store, [...depth.keys()]);

  // Alarms after the chain's last write that no link names, within the window.
  const lastWrite = events.filter(isWrite).sort((a, b) => b.ts_us - a.ts_us)[0];
  if (lastWrite) {
    const alarms = await readEvents(
      store,
      sql`SELECT ${EVENT_SELECT} FROM event_rows e
          WHERE e.kind = 'alarm' AND e.ts_us >= ${lastWrite.ts_us} AND e.ts_us <= ${lastWrite.ts_us + options.alarm_window_us}
          ORDER BY e.ts_us, e.event_id LIMIT ${WINDOW_ALARMS}`,
    );
    for (const a of alarms) {
      if (depth.has(a.event_id)) continue;
      const dt = a.ts_us - lastWrite.ts_us;
      events.push(a);
      depth.set(a.event_id, (depth.get(lastWrite.event_id) ?? 0) + 1);
      links.push({
        from_event: lastWrite.event_id, to_event: a.event_id, kind: 'ics-alarm',
        confidence: Math.round(0.5 * (1 - dt / options.alarm_window_us) * 1000) / 1000,
        rule: `alarm ${dt} µs after the chain's last write ${lastWrite.op} (window ${options.alarm_window_us} µs, no link names it)`,
      });
    }
  }

  const steps = orderSteps(events.map((e) => ({ event: e, role: roleOf(e, links), depth: depth.get(e.event_id) ?? 0, order_uncertain: null })));
  const captures = new Set(steps.map((s) => s.event.capture_id));
  const marked = captures.size > 1 ? markUncertainOrder(steps, await captureClockErrors(store)) : steps;
  const firstCall = marked.find((s) => s.role === 'call' && s.event.pid !== null)?.event;
  const process = firstCall ? chainProcess(firstCall, await readProcessTree(store)) : null;
  return { event_id: eventId, process, steps: marked, links, truncated: walk.truncated };
}
