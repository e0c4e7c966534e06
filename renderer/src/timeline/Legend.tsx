// The timeline's legend: the colour of each event category and the marks drawn over them
// (failures, annotations, the selection, a finding's range). Colours come from colors.ts, the
// same table the canvas draws with.
import { LEGEND_MARKS, categoryColor, knownCategories } from './colors.ts';

export function Legend({ onClose }: { onClose(): void }) {
  return (
    <div className="timeline-legend" data-testid="timeline-legend" role="dialog" aria-label="timeline legend">
      <div className="legend-head">
        <strong>Legend</strong>
        <button type="button" className="link" onClick={onClose} aria-label="close the legend">
          ✕
        </button>
      </div>
      <ul className="legend-list">
        {knownCategories().map((category) => (
          <li key={category} data-testid="legend-category" data-category={category}>
            <span className="legend-swatch" style={{ background: categoryColor(category) }} />
            {category}
          </li>
        ))}
      </ul>
      <ul className="legend-list">
        {LEGEND_MARKS.map((mark) => (
          <li key={mark.id} data-testid="legend-mark" data-mark={mark.id}>
            <span className={`legend-swatch legend-${mark.shape}`} style={mark.shape === 'outline' ? { borderColor: mark.color } : { background: mark.color }} />
            {mark.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
