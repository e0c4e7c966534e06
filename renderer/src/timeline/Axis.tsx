// The time axis above the lanes: round ticks in UTC or local time for the current view.
import { timeTicks } from '../display/time.ts';
import { type TimeView, timeToX } from './view.ts';

export function TimeAxis({ view, width, local }: { view: TimeView; width: number; local: boolean }) {
  const ticks = timeTicks(view.from_us, view.to_us, Math.max(2, Math.floor(width / 120)), local);
  return (
    <svg className="timeline-axis" width={width} height={22} data-testid="timeline-axis" aria-label={local ? 'time axis, local time' : 'time axis, UTC'}>
      {ticks.map((tick) => {
        const x = timeToX(tick.us, view, width);
        return (
          <g key={tick.us} transform={`translate(${x},0)`}>
            <line y1={14} y2={22} />
            <text x={3} y={11}>
              {tick.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
