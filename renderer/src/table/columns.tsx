// The events table's columns: the contract's event columns in the contract's order. Sorting is
// done by the server (eventPage sort), so only the contract's sortable columns can sort.
import { createColumnHelper, rowSortingFeature, tableFeatures } from '@tanstack/react-table';
import type { SortableColumn, StoredEvent } from '../../../core/api.ts';
import { categoryColor } from '../timeline/colors.ts';
import { formatDuration, formatUtcMicros } from '../display/time.ts';

export const tableFeatureSet = tableFeatures({
  rowSortingFeature,
  columnMeta: {} as { width: number },
});

// Mirrors SORTABLE_COLUMNS in core/api.ts (the renderer imports only types from core/).
const SORTABLE: readonly SortableColumn[] = ['ts_us', 'dur_us', 'pid', 'process', 'kind', 'level', 'op', 'category', 'target', 'host', 'event_id'];

export function isSortableColumn(id: string): id is SortableColumn {
  return (SORTABLE as readonly string[]).includes(id);
}

const helper = createColumnHelper<typeof tableFeatureSet, StoredEvent>();

const text = (value: string | null) => value ?? '';

export const eventColumns = helper.columns([
  helper.accessor('ts_us', { id: 'ts_us', header: 'ts (UTC)', cell: (info) => formatUtcMicros(info.getValue()), meta: { width: 232 } }),
  helper.accessor('dur_us', { id: 'dur_us', header: 'dur', cell: (info) => formatDuration(info.getValue()), meta: { width: 78 } }),
  helper.accessor('host', { id: 'host', header: 'host', cell: (info) => text(info.getValue()), meta: { width: 96 } }),
  helper.accessor('pid', { id: 'pid', header: 'pid', cell: (info) => info.getValue() ?? '', meta: { width: 64 } }),
  helper.accessor('tid', { id: 'tid', header: 'tid', cell: (info) => info.getValue() ?? '', enableSorting: false, meta: { width: 64 } }),
  helper.accessor('process', { id: 'process', header: 'process', cell: (info) => text(info.getValue()), meta: { width: 110 } }),
  helper.accessor('kind', { id: 'kind', header: 'kind', meta: { width: 64 } }),
  helper.accessor('level', { id: 'level', header: 'level', cell: (info) => text(info.getValue()), meta: { width: 64 } }),
  helper.accessor('op', { id: 'op', header: 'op', meta: { width: 120 } }),
  helper.accessor('category', {
    id: 'category',
    header: 'category',
    cell: (info) => (
      <span className="category-chip" style={{ borderColor: categoryColor(info.getValue()) }}>
        {info.getValue()}
      </span>
    ),
    meta: { width: 88 },
  }),
  helper.accessor('target', { id: 'target', header: 'target', cell: (info) => text(info.getValue()), meta: { width: 240 } }),
  helper.accessor('args', { id: 'args', header: 'args', cell: (info) => text(info.getValue()), enableSorting: false, meta: { width: 260 } }),
  helper.accessor('ret', { id: 'ret', header: 'ret', cell: (info) => text(info.getValue()), enableSorting: false, meta: { width: 80 } }),
  helper.accessor('error', { id: 'error', header: 'error', cell: (info) => text(info.getValue()), enableSorting: false, meta: { width: 96 } }),
]);

/** One CSS grid template shared by the header and every (absolutely positioned) row. */
export const GRID_TEMPLATE = eventColumns.map((column) => `${column.meta?.width ?? 100}px`).join(' ');
export const TABLE_WIDTH = eventColumns.reduce((sum, column) => sum + (column.meta?.width ?? 100), 0);
