// Lane order and the mapping from an event to its lane. The server defines lanes (Lane.lane_id:
// "api:<host>:<pid>" or "src:<capture_id>:<kind>"); events carry host/pid/capture/kind, so the
// renderer rebuilds the same key from both sides instead of parsing ids.
import type { Lane, ProcessNode, StoredEvent } from '../../../core/api.ts';

/**
 * One lane per other source (alarms, logs, network, ICS…) first, then API lanes grouped by host
 * (then pid). The sources are few and are the context every call is read against, so they stay
 * in view above however many processes the trace holds.
 */
export function orderLanes(lanes: readonly Lane[]): Lane[] {
  const text = (value: string | null) => value ?? '';
  return [...lanes].sort((a, b) => {
    if (a.group !== b.group) return a.group === 'source' ? -1 : 1;
    if (a.group === 'api') return text(a.host).localeCompare(text(b.host)) || (a.pid ?? -1) - (b.pid ?? -1) || a.lane_id.localeCompare(b.lane_id);
    return (
      text(a.host).localeCompare(text(b.host)) || a.kind.localeCompare(b.kind) || (a.capture_id ?? -1) - (b.capture_id ?? -1) || a.lane_id.localeCompare(b.lane_id)
    );
  });
}

function apiKey(host: string | null, pid: number | null): string {
  return `api|${host ?? ''}|${pid ?? ''}`;
}

function sourceKey(captureId: number | null, kind: string): string {
  return `src|${captureId ?? ''}|${kind}`;
}

/** Returns a function giving an event's lane position in `ordered`, or -1 when no lane fits. */
export function laneIndexer(ordered: readonly Lane[]): (event: Pick<StoredEvent, 'kind' | 'host' | 'pid' | 'capture_id'>) => number {
  const byKey = new Map<string, number>();
  const byId = new Map<string, number>();
  ordered.forEach((lane, index) => {
    byId.set(lane.lane_id, index);
    byKey.set(lane.group === 'api' ? apiKey(lane.host, lane.pid) : sourceKey(lane.capture_id, lane.kind), index);
  });
  return (event) => {
    const key = event.kind === 'api' ? apiKey(event.host, event.pid) : sourceKey(event.capture_id, event.kind);
    const found = byKey.get(key);
    if (found !== undefined) return found;
    const id = event.kind === 'api' ? `api:${event.host ?? ''}:${event.pid ?? ''}` : `src:${event.capture_id}:${event.kind}`;
    return byId.get(id) ?? -1;
  };
}

/** Heading shown above the first lane of each group: "API calls — host", "Other sources". */
export function laneGroupHeading(lane: Lane): string {
  return lane.group === 'api' ? `API calls — ${lane.host ?? 'unknown host'}` : 'Other sources';
}

/**
 * Lanes drawn and asked for beyond the scrolled-to ones, above and below. Small on purpose: a
 * density answer costs in proportion to its lanes (measured: 40 lanes ≈ 2× the time of 20), and
 * every pan and zoom pays it, while a vertical scroll past the margin asks once more.
 */
export const LANE_MARGIN = 2;
/** The lane window moves in steps of this many lanes, so a small scroll asks for nothing new. */
export const LANE_STEP = 4;

/**
 * The lanes [first, last) to ask the server for and draw, for a lanes box scrolled to
 * `scrollTop` showing `viewportPx` of lanes `laneHeight` tall: the visible ones plus a margin,
 * widened to multiples of LANE_STEP.
 */
export function visibleLaneRange(scrollTop: number, viewportPx: number, laneHeight: number, laneCount: number): { first: number; last: number } {
  const top = Math.floor(Math.max(0, scrollTop) / laneHeight) - LANE_MARGIN;
  const bottom = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportPx)) / laneHeight) + LANE_MARGIN;
  const first = Math.max(0, Math.floor(top / LANE_STEP) * LANE_STEP);
  const last = Math.min(laneCount, Math.ceil(bottom / LANE_STEP) * LANE_STEP);
  return { first: Math.min(first, last), last };
}

/**
 * API lanes in process-tree order (each process after its parent, children indented by depth)
 * instead of by pid; source lanes stay first. A lane belongs to the process one of whose
 * members has its pid (and host, when the lane names one). Lanes of no known process follow.
 */
export function orderLanesByTree(lanes: readonly Lane[], nodes: readonly ProcessNode[]): { lanes: Lane[]; depth: Map<string, number> } {
  const index = new Map<number, ProcessNode>(nodes.map((n) => [n.proc_id, n]));
  const children = new Map<number | null, ProcessNode[]>();
  for (const n of nodes) {
    const parent = n.parent_id !== null && index.has(n.parent_id) ? n.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), n]);
  }
  for (const list of children.values()) list.sort((a, b) => a.start_us - b.start_us || a.pid - b.pid);
  const position = new Map<string, { order: number; depth: number }>();
  let order = 0;
  const walk = (parent: number | null, depth: number): void => {
    for (const n of children.get(parent) ?? []) {
      for (const m of n.members) {
        const key = `${n.host ?? ''}|${m.pid}`;
        if (!position.has(key)) position.set(key, { order, depth });
        if (!position.has(`|${m.pid}`)) position.set(`|${m.pid}`, { order, depth });
      }
      order++;
      walk(n.proc_id, depth + 1);
    }
  };
  walk(null, 0);
  const placeOf = (lane: Lane) => position.get(`${lane.host ?? ''}|${lane.pid ?? ''}`) ?? position.get(`|${lane.pid ?? ''}`);
  const ordered = orderLanes(lanes);
  const sources = ordered.filter((l) => l.group === 'source');
  const api = ordered.filter((l) => l.group === 'api');
  const placed = api.filter((l) => placeOf(l) !== undefined).sort((a, b) => (placeOf(a)?.order ?? 0) - (placeOf(b)?.order ?? 0));
  const rest = api.filter((l) => placeOf(l) === undefined);
  const depth = new Map(placed.map((l) => [l.lane_id, placeOf(l)?.depth ?? 0]));
  return { lanes: [...sources, ...placed, ...rest], depth };
}
