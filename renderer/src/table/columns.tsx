// The events table's columns: the contract's event columns. Their order, visibility and widths
// come from the column layout (column-layout.ts); sorting is done by the server (eventPage sort),
// so only the contract's sortable columns can sort.
import { columnOrderingFeature, columnVisibilityFeature, createColumnHelper, rowSortingFeature, tableFeatures } from '@tanstack/react-table';
import type { SortableColumn, StoredEvent } from '../../../core/api.ts';
import { categoryColor } from '../timeline/colors.ts';
import { formatDuration, formatUtcMicros } from '../display/time.ts';

export const tableFeatureSet = tableFeatures({
  rowSortingFeature,
  columnOrderingFeature,
  columnVisibilityFeature,
});

// Mirrors SORTABLE_COLUMNS in core/api.ts (the renderer imports only types from core/).
const SORTABLE: readonly SortableColumn[] = ['ts_us', 'dur_us', 'pid', 'process', 'kind', 'level', 'op', 'category', 'target', 'host', 'event_id'];

export function isSortableColumn(id: string): id is SortableColumn {
  return (SORTABLE as readonly string[]).includes(id);
}

const helper = createColumnHelper<typeof tableFeatureSet, StoredEvent>();

const text = (value: string | null) => value ?? '';

export const eventColumns = helper.columns([
  helper.accessor('ts_us', { id: 'ts_us', header: 'ts (UTC)', cell: (info) => formatUtcMicros(info.getValue()) }),
  helper.accessor('dur_us', { id: 'dur_us', header: 'dur', cell: (info) => formatDuration(info.getValue()) }),
  helper.accessor('host', { id: 'host', header: 'host', cell: (info) => text(info.getValue()) }),
  helper.accessor('pid', { id: 'pid', header: 'pid', cell: (info) => info.getValue() ?? '' }),
  helper.accessor('tid', { id: 'tid', header: 'tid', cell: (info) => info.getValue() ?? '', enableSorting: false }),
  helper.accessor('process', { id: 'process', header: 'process', cell: (info) => text(info.getValue()) }),
  helper.accessor('kind', { id: 'kind', header: 'kind' }),
  helper.accessor('level', { id: 'level', header: 'level', cell: (info) => text(info.getValue()) }),
  helper.accessor('op', { id: 'op', header: 'op' }),
  helper.accessor('category', {
    id: 'category',
    header: 'category',
    cell: (info) => (
      <span className="category-chip" style={{ borderColor: categoryColor(info.getValue()) }}>
        {info.getValue()}
      </span>
    ),
  }),
  helper.accessor('target', { id: 'target', header: 'target', cell: (info) => text(info.getValue()) }),
  helper.accessor('args', { id: 'args', header: 'args', cell: (info) => text(info.getValue()), enableSorting: false }),
  helper.accessor('ret', { id: 'ret', header: 'ret', cell: (info) => text(info.getValue()), enableSorting: false }),
  helper.accessor('error', { id: 'error', header: 'error', cell: (info) => text(info.getValue()), enableSorting: false }),
]);

/** Column names as the header and the column chooser show them. */
export const COLUMN_LABELS: Readonly<Record<string, string>> = Object.fromEntries(
  eventColumns.map((column) => [column.id ?? '', typeof column.header === 'string' ? column.header : (column.id ?? '')]),
);
