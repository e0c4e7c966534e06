// Show, hide and reorder the table's columns without a mouse: a checkbox per column and move
// up / down buttons (the header can also be dragged), plus a reset to the case's default layout.
import { useEffect, useRef } from 'react';
import { type ColumnLayout, moveColumn, setHidden } from './column-layout.ts';

interface ColumnChooserProps {
  layout: ColumnLayout;
  labels: Readonly<Record<string, string>>;
  onChange(layout: ColumnLayout): void;
  onReset(): void;
  onClose(): void;
}

export function ColumnChooser({ layout, labels, onChange, onReset, onClose }: ColumnChooserProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLInputElement>('input')?.focus();
  }, []);
  const visibleCount = layout.order.length - layout.hidden.length;
  return (
    <div
      ref={ref}
      className="column-chooser"
      role="dialog"
      aria-label="Columns"
      data-testid="column-chooser"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <ol>
        {layout.order.map((id) => {
          const hidden = layout.hidden.includes(id);
          const label = labels[id] ?? id;
          return (
            <li key={id} data-testid="column-choice" data-column={id} data-hidden={hidden}>
              <label>
                <input
                  type="checkbox"
                  checked={!hidden}
                  disabled={!hidden && visibleCount === 1}
                  onChange={(e) => onChange(setHidden(layout, id, !e.target.checked))}
                  data-testid={`column-toggle-${id}`}
                />
                {label}
              </label>
              <button type="button" disabled={hidden} onClick={() => onChange(moveColumn(layout, id, -1))} aria-label={`move ${label} left`} data-testid={`column-up-${id}`}>
                ↑
              </button>
              <button type="button" disabled={hidden} onClick={() => onChange(moveColumn(layout, id, 1))} aria-label={`move ${label} right`} data-testid={`column-down-${id}`}>
                ↓
              </button>
            </li>
          );
        })}
      </ol>
      <div className="modal-actions">
        <button type="button" onClick={onReset} data-testid="columns-reset">
          Default layout
        </button>
        <button type="button" className="primary" onClick={onClose} data-testid="columns-close">
          Done
        </button>
      </div>
    </div>
  );
}
