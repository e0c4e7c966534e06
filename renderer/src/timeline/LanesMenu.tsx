// The lanes menu: lane height (density), collapse or expand each group, hide or show each lane
// and move it up or down within its group. Every change is a lane-layout operation
// (lane-layout.ts) kept in the view state, so the address and saved views carry it.
import type { Lane } from '../../../core/api.ts';
import { DENSITIES, DEFAULT_LANE_LAYOUT, type Density, type LaneLayout, groupKeyOf, groupLabel, moveLane, orderedLanes, toggleCollapsed, toggleHidden } from './lane-layout.ts';

interface LanesMenuProps {
  lanes: readonly Lane[];
  layout: LaneLayout;
  onChange(layout: LaneLayout): void;
  onClose(): void;
}

export function LanesMenu({ lanes, layout, onChange, onClose }: LanesMenuProps) {
  const ordered = orderedLanes(lanes, layout);
  const hidden = new Set(layout.hidden);
  const collapsed = new Set(layout.collapsed);
  const groups: { key: string; lanes: Lane[] }[] = [];
  for (const lane of ordered) {
    const key = groupKeyOf(lane);
    const last = groups[groups.length - 1];
    if (last?.key === key) last.lanes.push(lane);
    else groups.push({ key, lanes: [lane] });
  }
  return (
    <div className="lanes-menu" data-testid="lanes-menu" role="dialog" aria-label="lanes">
      <div className="legend-head">
        <label>
          lane height{' '}
          <select value={layout.density} onChange={(e) => onChange({ ...layout, density: e.target.value as Density })} data-testid="lane-density">
            {DENSITIES.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => onChange({ ...DEFAULT_LANE_LAYOUT, byTree: layout.byTree, timelineHeight: layout.timelineHeight })} data-testid="lanes-reset" title="Show every lane in the default order">
          Reset
        </button>
        <button type="button" className="link" onClick={onClose} aria-label="close the lanes menu" data-testid="lanes-menu-close">
          ✕
        </button>
      </div>
      <div className="lanes-menu-list">
        {groups.map((group) => (
          <div key={group.key} className="lanes-menu-group" data-testid="lanes-menu-group" data-group={group.key}>
            <label className="toggle">
              <input type="checkbox" checked={!collapsed.has(group.key)} onChange={() => onChange(toggleCollapsed(layout, group.key))} data-testid="lane-group-toggle" />
              <strong>{groupLabel(group.key)}</strong> <span className="muted">({group.lanes.length})</span>
            </label>
            {!collapsed.has(group.key) &&
              group.lanes.map((lane) => (
                <div key={lane.lane_id} className="lanes-menu-lane" data-testid="lanes-menu-lane" data-lane-id={lane.lane_id}>
                  <label className="toggle" title={hidden.has(lane.lane_id) ? 'Show this lane' : 'Hide this lane'}>
                    <input type="checkbox" checked={!hidden.has(lane.lane_id)} onChange={() => onChange(toggleHidden(layout, lane.lane_id))} data-testid="lane-visible" />
                    {lane.label}
                  </label>
                  <button type="button" onClick={() => onChange(moveLane(lanes, layout, lane.lane_id, -1))} aria-label={`move ${lane.label} up`} data-testid="lane-up">
                    ↑
                  </button>
                  <button type="button" onClick={() => onChange(moveLane(lanes, layout, lane.lane_id, 1))} aria-label={`move ${lane.label} down`} data-testid="lane-down">
                    ↓
                  </button>
                </div>
              ))}
          </div>
        ))}
      </div>
    </div>
  );
}
