// The menu of one table cell (right-click, Shift+F10 or the context-menu key): filter the table to
// this value, exclude it, or copy it. Filters go through the table's parsed cell conditions
// (filters.ts), never through text pasted into SQL. Arrow keys move between the items, Escape closes.
import { useEffect, useRef } from 'react';
import type { CellColumn } from '../../../core/api.ts';

export interface CellTarget {
  column: CellColumn;
  value: string | number | null;
  /** The value as the cell shows it (what Copy copies). */
  text: string;
  x: number;
  y: number;
}

interface CellMenuProps {
  target: CellTarget;
  onFilter(exclude: boolean): void;
  onCopy(): void;
  onClose(): void;
}

export function CellMenu({ target, onFilter, onCopy, onClose }: CellMenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button')?.focus();
    const away = (event: MouseEvent) => {
      if (ref.current && !ref.current.contains(event.target as Node)) onClose();
    };
    window.addEventListener('mousedown', away);
    return () => window.removeEventListener('mousedown', away);
  }, [onClose]);
  const onKeyDown = (event: React.KeyboardEvent) => {
    const items = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') onClose();
    else if (event.key === 'ArrowDown') items[(at + 1) % items.length]?.focus();
    else if (event.key === 'ArrowUp') items[(at - 1 + items.length) % items.length]?.focus();
    else return;
    event.preventDefault();
    event.stopPropagation();
  };
  const shown = target.text.length > 40 ? `${target.text.slice(0, 40)}…` : target.text || '(empty)';
  return (
    <div
      ref={ref}
      className="cell-menu"
      role="menu"
      aria-label={`${target.column} = ${shown}`}
      data-testid="cell-menu"
      data-column={target.column}
      style={{ left: Math.min(target.x, window.innerWidth - 240), top: Math.min(target.y, window.innerHeight - 120) }}
      onKeyDown={onKeyDown}
    >
      <div className="cell-menu-title muted">
        {target.column} = <span className="mono">{shown}</span>
      </div>
      <button type="button" role="menuitem" onClick={() => onFilter(false)} data-testid="cell-filter">
        Filter to this value <kbd>f</kbd>
      </button>
      <button type="button" role="menuitem" onClick={() => onFilter(true)} data-testid="cell-exclude">
        Exclude this value <kbd>x</kbd>
      </button>
      <button type="button" role="menuitem" onClick={onCopy} data-testid="cell-copy">
        Copy value
      </button>
    </div>
  );
}

/** Copies text: the clipboard API where the page may use it, else a hidden textarea. */
export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    // not allowed here (an insecure origin, no permission): fall back below
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}
