// Walking the links table from one event: breadth first, bounded in depth and in links, safe on
// cycles (each event is entered once). Links are always walked upward (to the socket's opening
// call, to the flow, to the connection); the fan-out kinds (a socket's calls, a flow's
// operations) are walked downward only from the event asked about or from a flow reached from
// the host side, so the chain of one Modbus read does not list every other read of the same
// connection.
import type { Link, LinkKind } from '../model/link.ts';

const FAN_OUT: ReadonlySet<LinkKind> = new Set(['socket-call', 'flow-ics']);

export interface WalkBounds {
  /** Most links walked away from the start (a chain is process → call → flow → op → alarm: 4). */
  max_depth: number;
  /** Most links returned. */
  max_links: number;
  /** Most fan-out links (a socket's calls, a flow's operations) walked from one event; default: no limit. */
  max_fan_out?: number;
}

export interface Walk {
  links: Link[];
  /** Links walked from the start to each reached event (the start: 0). */
  depth: Map<number, number>;
  /** The walk stopped at a bound with links left to follow. */
  truncated: boolean;
}

export function walkLinks(all: readonly Link[], eventId: number, bounds: WalkBounds): Walk {
  const down = new Map<number, Link[]>();
  const up = new Map<number, Link[]>();
  const add = (map: Map<number, Link[]>, key: number, l: Link): void => {
    const list = map.get(key);
    if (list) list.push(l);
    else map.set(key, [l]);
  };
  for (const l of all) {
    add(down, l.from_event, l);
    add(up, l.to_event, l);
  }
  // The chain's spine first (connect → flow, write → alarm), then the fan-out: a polling
  // connection's thousands of calls must not use up the bound before its flow is reached.
  for (const list of down.values()) list.sort((a, b) => Number(FAN_OUT.has(a.kind)) - Number(FAN_OUT.has(b.kind)));
  const maxFanOut = bounds.max_fan_out ?? Number.POSITIVE_INFINITY;
  const out = new Set<Link>();
  const depth = new Map<number, number>([[eventId, 0]]);
  let truncated = false;
  let frontier: { e: number; fanOut: boolean }[] = [{ e: eventId, fanOut: true }];
  for (let level = 1; frontier.length > 0; level++) {
    const next: { e: number; fanOut: boolean }[] = [];
    const visit = (l: Link, other: number, fanOut: boolean): void => {
      if (out.has(l)) return;
      if (level > bounds.max_depth || out.size >= bounds.max_links) {
        truncated = true;
        return;
      }
      out.add(l);
      if (depth.has(other)) return; // a cycle or a second path: the event is already in the chain
      depth.set(other, level);
      next.push({ e: other, fanOut });
    };
    for (const { e, fanOut } of frontier) {
      for (const l of up.get(e) ?? []) visit(l, l.from_event, false);
      let fanned = 0;
      for (const l of down.get(e) ?? []) {
        if (FAN_OUT.has(l.kind)) {
          if (!fanOut) continue;
          if (fanned++ >= maxFanOut) {
            truncated = true;
            continue;
          }
        }
        visit(l, l.to_event, l.kind === 'socket-flow');
      }
    }
    frontier = next;
  }
  return { links: [...out], depth, truncated };
}
