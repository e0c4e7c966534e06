// The analyst's arrangement of the timeline's lanes: hidden lanes, collapsed groups (a host's API
// lanes, the other sources, or a process's subtree in tree order), a custom order within each
// group, the lane height (density) and the timeline's height (the splitter). Pure functions over
// the server's lane list, so the URL state (state/url-state.ts) can carry the layout and tests can
// check every operation without a browser.
import type { Lane } from '../../../core/api.ts';

export const DENSITIES = ['compact', 'normal', 'comfortable'] as const;
export type Density = (typeof DENSITIES)[number];

/** Lane height in CSS pixels per density. */
export const LANE_HEIGHTS: Record<Density, number> = { compact: 14, normal: 22, comfortable: 32 };

/** Bounds of the splitter: the timeline is never squeezed below a few lanes or past most of the window. */
export const MIN_TIMELINE_HEIGHT = 120;
export const MAX_TIMELINE_HEIGHT = 4000;

export interface LaneLayout {
  /** Lane ids not drawn. */
  hidden: string[];
  /** Group keys (groupKeyOf) whose lanes are folded away, and `tree:<lane_id>` for a process's subtree. */
  collapsed: string[];
  /** Lane ids in the analyst's order; lanes not listed keep their default place after them, within their group. */
  order: string[];
  density: Density;
  /** Height of the timeline in CSS pixels (the splitter); null: the stylesheet's default. */
  timelineHeight: number | null;
  /** Process lanes in process-tree order. */
  byTree: boolean;
}

export const DEFAULT_LANE_LAYOUT: LaneLayout = { hidden: [], collapsed: [], order: [], density: 'normal', timelineHeight: null, byTree: false };

/** The group a lane is shown (and collapsed, and reordered) with: its host's API calls, or the other sources. */
export function groupKeyOf(lane: Pick<Lane, 'group' | 'host'>): string {
  return lane.group === 'api' ? `host:${lane.host ?? ''}` : 'sources';
}

export function groupLabel(key: string): string {
  if (key === 'sources') return 'Other sources';
  const host = key.slice('host:'.length);
  return `API calls — ${host === '' ? 'unknown host' : host}`;
}

export function treeKey(laneId: string): string {
  return `tree:${laneId}`;
}

/** Lanes in the layout's order: within each run of lanes of one group, listed ids first (in their order), the rest after in default order. */
export function orderedLanes(lanes: readonly Lane[], layout: Pick<LaneLayout, 'order'>): Lane[] {
  if (layout.order.length === 0) return [...lanes];
  const rank = new Map(layout.order.map((id, i) => [id, i]));
  const out: Lane[] = [];
  let run: Lane[] = [];
  const flush = () => {
    const ranked = run.map((lane, i) => ({ lane, i, r: rank.get(lane.lane_id) ?? Number.POSITIVE_INFINITY }));
    ranked.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r - b.r));
    out.push(...ranked.map((x) => x.lane));
    run = [];
  };
  for (const lane of lanes) {
    const previous = run[run.length - 1];
    if (previous && groupKeyOf(previous) !== groupKeyOf(lane)) flush();
    run.push(lane);
  }
  flush();
  return out;
}

export interface ShownLanes {
  /** The lanes drawn, in order. */
  lanes: Lane[];
  /** Collapsed groups present in the case, with the number of lanes each folds away. */
  collapsedGroups: { key: string; lanes: number }[];
  /** Lanes hidden by the analyst that exist in the case. */
  hiddenCount: number;
}

/**
 * What the timeline draws: ordered, without hidden lanes, without the lanes of collapsed groups,
 * and (given tree depths) without the descendants of a collapsed process lane.
 */
export function shownLanes(lanes: readonly Lane[], layout: LaneLayout, depth: ReadonlyMap<string, number> | null = null): ShownLanes {
  const hidden = new Set(layout.hidden);
  const collapsed = new Set(layout.collapsed);
  const folded = new Map<string, number>();
  const out: Lane[] = [];
  let hiddenCount = 0;
  // While inside a collapsed subtree: the depth of its root.
  let subtreeDepth: number | null = null;
  for (const lane of orderedLanes(lanes, layout)) {
    const d = depth?.get(lane.lane_id);
    if (subtreeDepth !== null) {
      if (d !== undefined && d > subtreeDepth) continue;
      subtreeDepth = null;
    }
    const group = groupKeyOf(lane);
    if (collapsed.has(group)) {
      folded.set(group, (folded.get(group) ?? 0) + 1);
      continue;
    }
    if (hidden.has(lane.lane_id)) {
      hiddenCount++;
      continue;
    }
    out.push(lane);
    if (d !== undefined && collapsed.has(treeKey(lane.lane_id))) subtreeDepth = d;
  }
  return { lanes: out, collapsedGroups: [...folded].map(([key, n]) => ({ key, lanes: n })), hiddenCount };
}

function toggled(list: readonly string[], item: string): string[] {
  return list.includes(item) ? list.filter((x) => x !== item) : [...list, item];
}

export function toggleHidden(layout: LaneLayout, laneId: string): LaneLayout {
  return { ...layout, hidden: toggled(layout.hidden, laneId) };
}

export function toggleCollapsed(layout: LaneLayout, key: string): LaneLayout {
  return { ...layout, collapsed: toggled(layout.collapsed, key) };
}

/**
 * Moves a lane one place up (-1) or down (+1) among the visible lanes of its group, by swapping
 * it with that neighbour. The whole current order is stored so the move survives new lanes.
 * Unchanged when there is no such neighbour.
 */
export function moveLane(lanes: readonly Lane[], layout: LaneLayout, laneId: string, step: -1 | 1): LaneLayout {
  const ordered = orderedLanes(lanes, layout);
  const at = ordered.findIndex((l) => l.lane_id === laneId);
  const lane = ordered[at];
  if (!lane) return layout;
  const hidden = new Set(layout.hidden);
  let other = at + step;
  while (ordered[other] !== undefined && hidden.has(ordered[other]?.lane_id ?? '')) other += step;
  const neighbour = ordered[other];
  if (!neighbour || groupKeyOf(neighbour) !== groupKeyOf(lane)) return layout;
  const ids = ordered.map((l) => l.lane_id);
  ids[at] = neighbour.lane_id;
  ids[other] = lane.lane_id;
  return { ...layout, order: ids };
}

export function clampTimelineHeight(px: number, windowHeight: number): number {
  const max = Math.max(MIN_TIMELINE_HEIGHT, Math.min(MAX_TIMELINE_HEIGHT, windowHeight - 120));
  return Math.round(Math.min(max, Math.max(MIN_TIMELINE_HEIGHT, px)));
}
