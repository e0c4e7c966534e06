// One header cell of the events table: click sorts (server side), dragging the cell onto another
// reorders the columns, dragging its right edge resizes, double-clicking the edge fits the column
// to the widest value on screen. The column chooser does the same without a mouse.
import { type ReactNode, useRef } from 'react';
import { followPointerDrag } from '../display/pointer-drag.ts';

const COLUMN_DRAG_TYPE = 'application/x-tracebench-column';

interface HeaderCellProps {
  id: string;
  sortable: boolean;
  sorted: false | 'asc' | 'desc';
  onSort?: (event: unknown) => void;
  onMove(id: string, target: string, side: 'before' | 'after'): void;
  /** Sets the column's width (px) while its edge is dragged. */
  onResize(id: string, width: number): void;
  /** Fits the column to its content (double-click on the edge). */
  onFit(id: string): void;
  children: ReactNode;
}

export function HeaderCell({ id, sortable, sorted, onSort, onMove, onResize, onFit, children }: HeaderCellProps) {
  const cellRef = useRef<HTMLDivElement>(null);
  // A resize drag must not end as a click that sorts.
  const resizing = useRef(false);

  const startResize = (event: React.PointerEvent<HTMLSpanElement>) => {
    event.preventDefault();
    event.stopPropagation();
    const startX = event.clientX;
    const startWidth = cellRef.current?.getBoundingClientRect().width ?? 100;
    resizing.current = true;
    followPointerDrag(
      event.currentTarget,
      event.pointerId,
      (e) => onResize(id, startWidth + e.clientX - startX),
      () => setTimeout(() => (resizing.current = false), 0),
    );
  };

  return (
    <div
      ref={cellRef}
      role="columnheader"
      className={`header-cell${sortable ? ' sortable' : ''}`}
      data-testid={`column-${id}`}
      data-column={id}
      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
      draggable
      onDragStart={(e) => {
        if (resizing.current) {
          e.preventDefault(); // the edge is being dragged: a resize, not a move
          return;
        }
        e.dataTransfer.setData(COLUMN_DRAG_TYPE, id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(COLUMN_DRAG_TYPE)) e.preventDefault();
      }}
      onDrop={(e) => {
        const dragged = e.dataTransfer.getData(COLUMN_DRAG_TYPE);
        if (!dragged) return;
        e.preventDefault();
        const box = e.currentTarget.getBoundingClientRect();
        onMove(dragged, id, e.clientX < box.left + box.width / 2 ? 'before' : 'after');
      }}
      onClick={(e) => {
        if (!resizing.current) onSort?.(e);
      }}
    >
      <span className="header-label">{children}</span>
      {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
      <span
        className="column-resizer"
        role="separator"
        aria-orientation="vertical"
        aria-label={`resize ${id}; double-click to fit`}
        data-testid={`column-resize-${id}`}
        onPointerDown={startResize}
        onClick={(e) => e.stopPropagation()}
        onDoubleClick={(e) => {
          e.stopPropagation();
          onFit(id);
        }}
        draggable={false}
        onDragStart={(e) => e.preventDefault()}
      />
    </div>
  );
}
