// The labels beside the timeline's lanes: one per lane, group headings that collapse, and the
// fold toggle of a process with children in tree order.
import { memo } from 'react';
import type { Lane } from '../../../core/api.ts';
import { formatCount } from '../display/count.ts';
import { laneGroupHeading } from './lanes.ts';
import { groupKeyOf, groupLabel } from './lane-layout.ts';

/** Memoised: the timeline re-renders on every pan step, and 200 labels with their
 * locale-formatted counts then cost more of the browser's time than drawing the lanes did. */
interface LaneLabelsProps {
  lanes: Lane[];
  depth: Map<string, number> | null;
  focused: Set<string> | null;
  laneHeight: number;
  onCollapseGroup(key: string): void;
  /** In tree order: lanes with child processes below them, and those whose subtree is folded. */
  parents: Set<string>;
  foldedSubtrees: Set<string>;
  onToggleSubtree(laneId: string): void;
}

export const LaneLabels = memo(function LaneLabels({ lanes, depth, focused, laneHeight, onCollapseGroup, parents, foldedSubtrees, onToggleSubtree }: LaneLabelsProps) {
  return (
    <div className="lane-labels">
      {lanes.map((lane, index) => {
        const heading = laneGroupHeading(lane);
        const previous = lanes[index - 1];
        const startsGroup = !previous || laneGroupHeading(previous) !== heading;
        return (
          <div
            key={lane.lane_id}
            className={`lane-label lane-${lane.group}${startsGroup ? ' lane-group-start' : ''}${focused?.has(lane.lane_id) ? ' lane-focused' : ''}`}
            style={{ height: laneHeight, paddingLeft: depth?.has(lane.lane_id) ? 6 + 10 * (depth.get(lane.lane_id) ?? 0) : undefined }}
            data-testid="lane"
            data-lane-id={lane.lane_id}
            data-lane-group={lane.group}
            data-lane-kind={lane.kind}
            title={`${heading}\n${lane.label} — ${formatCount(lane.count)} events`}
          >
            {startsGroup && (
              <button
                type="button"
                className="link lane-group-collapse"
                onClick={() => onCollapseGroup(groupKeyOf(lane))}
                title={`Collapse ${groupLabel(groupKeyOf(lane))}`}
                aria-label={`collapse ${groupLabel(groupKeyOf(lane))}`}
                data-testid="lane-group-collapse"
                data-group={groupKeyOf(lane)}
              >
                ▾
              </button>
            )}
            {parents.has(lane.lane_id) && (
              <button
                type="button"
                className="link lane-group-collapse"
                onClick={() => onToggleSubtree(lane.lane_id)}
                title={foldedSubtrees.has(lane.lane_id) ? 'Show the processes it started' : 'Fold the processes it started'}
                aria-expanded={!foldedSubtrees.has(lane.lane_id)}
                data-testid="lane-subtree-toggle"
              >
                {foldedSubtrees.has(lane.lane_id) ? '▸' : '▿'}
              </button>
            )}
            <span className="lane-name">{lane.label}</span>
            <span className="lane-count">{formatCount(lane.count)}</span>
          </div>
        );
      })}
    </div>
  );
});
