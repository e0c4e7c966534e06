// The events table's filter inputs and their translation to the contract's EventFilter (the
// server compiles it to SQL with bound values; the renderer never builds SQL).
import type { CellColumn, CellCondition, EventFilter, StoredEvent } from '../../../core/api.ts';
import type { TimeView } from '../timeline/view.ts';

export interface TableFilters {
  process: string;
  /** One or more op names separated by commas or spaces, matched exactly. */
  op: string;
  category: string;
  kind: string;
  /** A stated log level (StoredEvent.level), '' for any. */
  level: string;
  text: string;
  failedOnly: boolean;
  /** Apply the timeline's visible range as from_us/to_us. */
  limitToView: boolean;
}

export const EMPTY_FILTERS: TableFilters = { process: '', op: '', category: '', kind: '', level: '', text: '', failedOnly: false, limitToView: false };

export function splitOps(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((op) => op.trim())
    .filter((op) => op.length > 0);
}

export function toEventFilter(filters: TableFilters, view: TimeView | null): EventFilter {
  const filter: EventFilter = {};
  const process = filters.process.trim();
  if (process) filter.process = process;
  const ops = splitOps(filters.op);
  if (ops.length > 0) filter.ops = ops;
  if (filters.category) filter.categories = [filters.category];
  if (filters.kind) filter.kinds = [filters.kind];
  if (filters.level) filter.levels = [filters.level];
  const text = filters.text.trim();
  if (text) filter.text = text;
  if (filters.failedOnly) filter.failed_only = true;
  if (filters.limitToView && view) {
    filter.from_us = Math.floor(view.from_us);
    filter.to_us = Math.ceil(view.to_us);
  }
  return filter;
}

// Mirrors CELL_COLUMNS in core/api.ts (the renderer imports only types from core/).
const CELL_COLUMN_IDS: readonly CellColumn[] = ['ts_us', 'dur_us', 'host', 'pid', 'tid', 'process', 'kind', 'level', 'op', 'category', 'target', 'args', 'ret', 'error'];

export function isCellColumn(id: string): id is CellColumn {
  return (CELL_COLUMN_IDS as readonly string[]).includes(id);
}

/** The stored value of one table cell, as a cell condition compares it (null: an empty cell). */
export function cellValue(event: StoredEvent, column: CellColumn): string | number | null {
  return event[column];
}

/**
 * Adds "filter to / exclude this value" to the table's cell conditions. The same column and
 * value is never listed twice, and choosing the opposite for it replaces the earlier choice.
 */
export function addCellCondition(conditions: readonly CellCondition[], condition: CellCondition): CellCondition[] {
  const rest = conditions.filter((c) => !(c.column === condition.column && c.value === condition.value));
  return [...rest, condition.exclude ? condition : { column: condition.column, value: condition.value }];
}

/** The filter with the table's cell conditions and the pinned-only flag added. */
export function withTableConditions(filter: EventFilter, cells: readonly CellCondition[], pinnedOnly: boolean): EventFilter {
  const out: EventFilter = { ...filter };
  if (cells.length > 0) out.cells = [...cells];
  if (pinnedOnly) out.pinned_only = true;
  return out;
}

/** A stable key for a filter + sort, so cached pages are never mixed between listings. */
export function listingKey(filter: EventFilter, sort: { column: string; desc: boolean } | undefined): string {
  const ordered = Object.keys(filter)
    .sort()
    .map((key) => [key, filter[key as keyof EventFilter]]);
  return JSON.stringify([ordered, sort ?? null]);
}
