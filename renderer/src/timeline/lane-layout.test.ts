import { describe, expect, it } from 'vitest';
import type { Lane } from '../../../core/api.ts';
import { DEFAULT_LANE_LAYOUT, type LaneLayout, clampTimelineHeight, groupKeyOf, moveLane, orderedLanes, shownLanes, toggleCollapsed, toggleHidden, treeKey } from './lane-layout.ts';

function api(host: string, pid: number): Lane {
  return { lane_id: `api:${host}:${pid}`, group: 'api', host, pid, capture_id: null, kind: 'api', label: `pid ${pid}`, count: 1 } as Lane;
}
function src(capture: number, kind: string): Lane {
  return { lane_id: `src:${capture}:${kind}`, group: 'source', host: null, pid: null, capture_id: capture, kind, label: kind, count: 1 } as Lane;
}

const LANES = [src(1, 'log'), src(2, 'network'), api('hmi', 10), api('hmi', 11), api('hmi', 12), api('plc', 20)];
const ids = (lanes: readonly Lane[]) => lanes.map((l) => l.lane_id);

describe('lane layout', () => {
  it('the default layout shows every lane in the server order', () => {
    expect(ids(shownLanes(LANES, DEFAULT_LANE_LAYOUT).lanes)).toEqual(ids(LANES));
  });

  it('hides and shows a lane again', () => {
    const hidden = toggleHidden(DEFAULT_LANE_LAYOUT, 'api:hmi:11');
    const shown = shownLanes(LANES, hidden);
    expect(ids(shown.lanes)).not.toContain('api:hmi:11');
    expect(shown.hiddenCount).toBe(1);
    expect(shownLanes(LANES, toggleHidden(hidden, 'api:hmi:11')).lanes).toHaveLength(LANES.length);
  });

  it('collapses a group (its lanes counted, not drawn) and a process subtree in tree order', () => {
    const layout = toggleCollapsed(DEFAULT_LANE_LAYOUT, groupKeyOf(api('hmi', 0)));
    const shown = shownLanes(LANES, layout);
    expect(ids(shown.lanes)).toEqual(['src:1:log', 'src:2:network', 'api:plc:20']);
    expect(shown.collapsedGroups).toEqual([{ key: 'host:hmi', lanes: 3 }]);
    const depth = new Map([['api:hmi:10', 0], ['api:hmi:11', 1], ['api:hmi:12', 2], ['api:plc:20', 0]]);
    const subtree = toggleCollapsed(DEFAULT_LANE_LAYOUT, treeKey('api:hmi:11'));
    expect(ids(shownLanes(LANES, subtree, depth).lanes)).toEqual(['src:1:log', 'src:2:network', 'api:hmi:10', 'api:hmi:11', 'api:plc:20']);
  });

  it('moves a lane within its group only, skipping hidden neighbours', () => {
    let layout: LaneLayout = moveLane(LANES, DEFAULT_LANE_LAYOUT, 'api:hmi:12', -1);
    expect(ids(orderedLanes(LANES, layout))).toEqual(['src:1:log', 'src:2:network', 'api:hmi:10', 'api:hmi:12', 'api:hmi:11', 'api:plc:20']);
    // The first of its group cannot move above it into another group.
    expect(moveLane(LANES, DEFAULT_LANE_LAYOUT, 'api:hmi:10', -1)).toBe(DEFAULT_LANE_LAYOUT);
    expect(moveLane(LANES, DEFAULT_LANE_LAYOUT, 'api:plc:20', -1)).toBe(DEFAULT_LANE_LAYOUT);
    layout = toggleHidden(DEFAULT_LANE_LAYOUT, 'api:hmi:11');
    layout = moveLane(LANES, layout, 'api:hmi:10', 1);
    expect(ids(shownLanes(LANES, layout).lanes)).toEqual(['src:1:log', 'src:2:network', 'api:hmi:12', 'api:hmi:10', 'api:plc:20']);
  });

  it('keeps a custom order when new lanes arrive: unknown lanes follow in their default place', () => {
    const layout = moveLane(LANES, DEFAULT_LANE_LAYOUT, 'src:2:network', -1);
    const more = [...LANES.slice(0, 2), src(3, 'alarm'), ...LANES.slice(2)];
    expect(ids(orderedLanes(more, layout)).slice(0, 3)).toEqual(['src:2:network', 'src:1:log', 'src:3:alarm']);
  });

  it('clamps the splitter between a few lanes and the window', () => {
    expect(clampTimelineHeight(10, 1000)).toBe(120);
    expect(clampTimelineHeight(5000, 1000)).toBe(880);
    expect(clampTimelineHeight(400.4, 1000)).toBe(400);
  });
});
