// The events table: TanStack Table (v9) for columns, headers and sort state, TanStack Virtual for
// the rows. Only the rows in (and near) the viewport exist in the DOM and in memory; pages come
// from eventPage as the viewport needs them, sorted and filtered by the server.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type SortingState, useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { EventFilter, EventPageRequest, StoredEvent } from '../../../core/api.ts';
import { formatCount } from '../display/count.ts';
import { STACK_FIELD_LABELS, withPicks, type StackPick } from '../stack/pick.ts';
import { useAddressedView, useTimeView } from '../state/view.tsx';
import { useWorkbench } from '../state/workbench.tsx';
import { ExportButtons } from './ExportButtons.tsx';
import { FilterBar } from './FilterBar.tsx';
import { GRID_TEMPLATE, TABLE_WIDTH, eventColumns, isSortableColumn, tableFeatureSet } from './columns.tsx';
import { toEventFilter } from './filters.ts';
import { usePagedEvents } from './usePagedEvents.ts';

const ROW_HEIGHT = 22;

/** The table's listing as the stacking panel and exports need it. */
export interface TableView {
  filter: EventFilter;
  sort: EventPageRequest['sort'];
}

interface EventsTableProps {
  /** Values picked in the stacking panel, applied on top of the filter inputs. */
  picks: readonly StackPick[];
  onUnpick(pick: StackPick): void;
  /** Told the filter and sort whenever they change. */
  onViewChange(view: TableView): void;
}

export function EventsTable({ picks, onUnpick, onViewChange }: EventsTableProps) {
  const { api, caseInfo, dataVersion, selection, select, reportError, processFocus, focusProcess } = useWorkbench();
  const { view } = useTimeView();
  // The filters live in the view state, so the address and saved views carry them.
  const { filters, setFilters, tag, restoreSeq } = useAddressedView();
  const [sorting, setSorting] = useState<SortingState>([]);
  const scrollRef = useRef<HTMLDivElement>(null);

  // The viewport only matters when the analyst limits the table to it.
  const viewForFilter = filters.limitToView ? view : null;
  const procIds = processFocus?.proc_ids;
  const filter = useMemo(() => {
    const inputs = toEventFilter(filters, viewForFilter);
    const base = tag ? { ...inputs, tag } : inputs;
    return withPicks(procIds ? { ...base, proc_ids: procIds } : base, picks);
  }, [filters, viewForFilter, tag, procIds, picks]);
  const sort = useMemo<EventPageRequest['sort']>(() => {
    const first = sorting[0];
    return first && isSortableColumn(first.id) ? { column: first.id, desc: first.desc } : undefined;
  }, [sorting]);
  useEffect(() => onViewChange({ filter, sort }), [filter, sort, onViewChange]);
  const paged = usePagedEvents(api, filter, sort, dataVersion, reportError);
  const total = paged.total ?? 0;

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? -1;

  useEffect(() => {
    if (lastIndex >= firstIndex) paged.ensureRows(firstIndex, lastIndex);
  }, [firstIndex, lastIndex, paged]);

  // The rows TanStack Table renders: the loaded rows of the virtual window, in listing order.
  const windowRows = useMemo(() => {
    const rows: StoredEvent[] = [];
    for (let index = firstIndex; index <= lastIndex; index++) {
      const row = paged.cache.row(index);
      if (row) rows.push(row);
    }
    return rows;
    // paged.version changes whenever a page lands in the cache.
  }, [firstIndex, lastIndex, paged.cache, paged.version]);

  const table = useTable({
    features: tableFeatureSet,
    columns: eventColumns,
    data: windowRows,
    getRowId: (row) => String(row.event_id),
    state: { sorting },
    onSortingChange: setSorting,
    manualSorting: true,
    enableMultiSort: false,
  });
  const rowsById = new Map(table.getRowModel().rows.map((row) => [row.id, row]));

  // A selection made elsewhere scrolls the table to that row (if the filter keeps it).
  const scrollToEvent = useCallback(
    async (event_id: number) => {
      try {
        const { index } = await api.eventIndex({ event_id, filter, sort });
        if (index !== null) virtualizer.scrollToIndex(index, { align: 'center' });
      } catch (error) {
        reportError(error);
      }
    },
    [api, filter, sort, virtualizer, reportError],
  );
  useEffect(() => {
    if (selection && selection.origin !== 'table') void scrollToEvent(selection.event_id);
    // Only a new selection scrolls; filter changes keep the analyst's scroll position.
  }, [selection?.seq]);

  return (
    <section className="events-table" data-testid="events-table" data-total={paged.total ?? ''}>
      <FilterBar key={restoreSeq} initial={filters} onChange={setFilters} />
      <div className="table-toolbar">
        <span className="muted" data-testid="event-count">
          {paged.total === null ? '…' : formatCount(paged.total)} of {formatCount(caseInfo.event_count)} events
        </span>
        {picks.map((pick) => (
          <span key={pick.field} className="focus-chip stack-chip" data-testid="stack-pick" data-field={pick.field}>
            {STACK_FIELD_LABELS[pick.field]}: <strong>{pick.value}</strong>
            <button type="button" className="link" onClick={() => onUnpick(pick)} aria-label={`remove the ${STACK_FIELD_LABELS[pick.field]} filter`} data-testid="stack-pick-clear">
              ✕
            </button>
          </span>
        ))}
        <span className="spacer" />
        <ExportButtons filter={filter} sort={sort} />
      </div>
      {processFocus && (
        <div className="focus-chip" data-testid="process-focus">
          <span>
            Process: <strong>{processFocus.label}</strong>
          </span>
          <button type="button" className="link" onClick={() => focusProcess(null)} data-testid="process-focus-clear" aria-label="show every process">
            ✕
          </button>
        </div>
      )}
      <div className="table-scroll" ref={scrollRef}>
        <div className="table-inner" style={{ width: TABLE_WIDTH }}>
          {table.getHeaderGroups().map((group) => (
            <div key={group.id} className="table-header" style={{ gridTemplateColumns: GRID_TEMPLATE }} role="row">
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const canSort = header.column.getCanSort();
                return (
                  <div
                    key={header.id}
                    role="columnheader"
                    className={canSort ? 'sortable' : undefined}
                    onClick={canSort ? header.column.getToggleSortingHandler() : undefined}
                    data-testid={`column-${header.column.id}`}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                  >
                    <table.FlexRender header={header} />
                    {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                  </div>
                );
              })}
            </div>
          ))}
          <div className="table-body" style={{ height: virtualizer.getTotalSize() }} role="rowgroup">
            {items.map((item) => {
              const event = paged.cache.row(item.index);
              const row = event ? rowsById.get(String(event.event_id)) : undefined;
              const style = { transform: `translateY(${item.start}px)`, height: ROW_HEIGHT, gridTemplateColumns: GRID_TEMPLATE };
              if (!event || !row) {
                return (
                  <div key={`pending-${item.index}`} className="table-row pending" style={style}>
                    <div>loading…</div>
                  </div>
                );
              }
              const selected = selection?.event_id === event.event_id;
              return (
                <div
                  key={row.id}
                  role="row"
                  className={`table-row${selected ? ' selected' : ''}${event.error !== null ? ' failed' : ''}`}
                  style={style}
                  data-testid="event-row"
                  data-event-id={event.event_id}
                  data-op={event.op}
                  data-kind={event.kind}
                  data-level={event.level ?? ''}
                  data-index={item.index}
                  aria-selected={selected}
                  onClick={() => select(event.event_id, 'table')}
                >
                  {row.getAllCells().map((cell) => (
                    <div key={cell.id} role="cell" title={String(cell.getValue() ?? '')}>
                      <table.FlexRender cell={cell} />
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
          {paged.total === 0 && <p className="empty">No events match these filters.</p>}
        </div>
      </div>
    </section>
  );
}
