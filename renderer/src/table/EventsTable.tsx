// The events table: TanStack Table (v9) for columns, headers, order, visibility and sort state,
// TanStack Virtual for the rows. Only the rows in (and near) the viewport exist in the DOM and in
// memory; pages come from eventPage as the viewport needs them, sorted and filtered by the server.
// The column layout (order, hidden, widths) and "pinned only" live in the workbench state; the
// table takes keyboard focus and answers the key map's row, cell and search actions.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type SortingState, useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { CellCondition, EventFilter, EventPageRequest, ExportColumn, StoredEvent } from '../../../core/api.ts';
import { formatCount } from '../display/count.ts';
import { formatUtcMicros } from '../display/time.ts';
import { useKeyActions } from '../keys/KeyActions.tsx';
import { STACK_FIELD_LABELS, withPicks, type StackPick } from '../stack/pick.ts';
import { useAddressedView, useTimeView } from '../state/view.tsx';
import { useWorkbench } from '../state/workbench.tsx';
import { CellMenu, type CellTarget, copyText } from './CellMenu.tsx';
import { ColumnChooser } from './ColumnChooser.tsx';
import { gridTemplate, minTableWidth, moveColumnTo, setWidth, visibleColumns } from './column-layout.ts';
import { COLUMN_LABELS, eventColumns, isSortableColumn, tableFeatureSet } from './columns.tsx';
import { ExportButtons } from './ExportButtons.tsx';
import { FilterBar } from './FilterBar.tsx';
import { addCellCondition, cellValue, isCellColumn, toEventFilter, withTableConditions } from './filters.ts';
import { HeaderCell } from './HeaderCell.tsx';
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

function cellText(column: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  return column === 'ts_us' && typeof value === 'number' ? formatUtcMicros(value) : String(value);
}

export function EventsTable({ picks, onUnpick, onViewChange }: EventsTableProps) {
  const { api, caseInfo, dataVersion, selection, select, reportError, processFocus, focusProcess, columnLayout, setColumnLayout, defaultColumnLayout, pinnedOnly, setPinnedOnly, isPinned, togglePin, pinsVersion } =
    useWorkbench();
  const { view } = useTimeView();
  // The filters live in the view state, so the address and saved views carry them.
  const { filters, setFilters, tag, restoreSeq } = useAddressedView();
  const [cells, setCells] = useState<CellCondition[]>([]);
  const [sorting, setSorting] = useState<SortingState>([]);
  const [chooserOpen, setChooserOpen] = useState(false);
  const [menu, setMenu] = useState<CellTarget | null>(null);
  // The keyboard's place: the selected row's index in this listing and a column among the visible ones.
  const [activeIndex, setActiveIndex] = useState<number | null>(null);
  const [activeColumn, setActiveColumn] = useState(0);
  const [pendingIndex, setPendingIndex] = useState<number | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  // The viewport only matters when the analyst limits the table to it.
  const viewForFilter = filters.limitToView ? view : null;
  const procIds = processFocus?.proc_ids;
  const filter = useMemo(() => {
    const inputs = toEventFilter(filters, viewForFilter);
    const base = tag ? { ...inputs, tag } : inputs;
    return withTableConditions(withPicks(procIds ? { ...base, proc_ids: procIds } : base, picks), cells, pinnedOnly);
  }, [filters, viewForFilter, tag, procIds, picks, cells, pinnedOnly]);
  const sort = useMemo<EventPageRequest['sort']>(() => {
    const first = sorting[0];
    return first && isSortableColumn(first.id) ? { column: first.id, desc: first.desc } : undefined;
  }, [sorting]);
  useEffect(() => onViewChange({ filter, sort }), [filter, sort, onViewChange]);
  // A pinned-only listing changes with every pin.
  const paged = usePagedEvents(api, filter, sort, pinnedOnly ? `${dataVersion}.${pinsVersion}` : dataVersion, reportError);
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

  const columnVisibility = useMemo(() => Object.fromEntries(columnLayout.hidden.map((id) => [id, false])), [columnLayout.hidden]);
  const table = useTable({
    features: tableFeatureSet,
    columns: eventColumns,
    data: windowRows,
    getRowId: (row) => String(row.event_id),
    state: { sorting, columnOrder: columnLayout.order, columnVisibility },
    onSortingChange: setSorting,
    manualSorting: true,
    enableMultiSort: false,
  });
  const rowsById = new Map(table.getRowModel().rows.map((row) => [row.id, row]));
  const shownColumns = visibleColumns(columnLayout);
  const template = gridTemplate(columnLayout);

  // A new listing: the keyboard's row index belongs to the old one.
  useEffect(() => {
    setActiveIndex(null);
    setPendingIndex(null);
  }, [paged.cache]);

  // A selection made elsewhere scrolls the table to that row (if the filter keeps it).
  const scrollToEvent = useCallback(
    async (event_id: number) => {
      try {
        const { index } = await api.eventIndex({ event_id, filter, sort });
        setActiveIndex(index);
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

  // Keyboard row moves: select the row at `index` once its page is here.
  const moveTo = (index: number) => {
    if (total === 0) return;
    const target = Math.max(0, Math.min(total - 1, index));
    setActiveIndex(target);
    virtualizer.scrollToIndex(target, { align: 'auto' });
    const row = paged.cache.row(target);
    if (row) {
      select(row.event_id, 'table');
      setPendingIndex(null);
    } else {
      setPendingIndex(target);
      paged.ensureRows(target, target);
    }
  };
  useEffect(() => {
    if (pendingIndex === null) return;
    const row = paged.cache.row(pendingIndex);
    if (row) {
      select(row.event_id, 'table');
      setPendingIndex(null);
    }
  }, [paged.version, pendingIndex, paged.cache, select]);
  const currentIndex = activeIndex ?? -1;
  const moveBy = (step: number) => moveTo(currentIndex < 0 ? (step > 0 ? 0 : total - 1) : currentIndex + step);

  const activeEvent = activeIndex === null ? undefined : paged.cache.row(activeIndex);
  const activeColumnId = shownColumns[Math.min(activeColumn, shownColumns.length - 1)];

  const cellTarget = (event: StoredEvent, column: string, x: number, y: number): CellTarget | null => {
    if (!isCellColumn(column)) return null;
    const value = cellValue(event, column);
    return { column, value, text: cellText(column, value), x, y };
  };
  const applyCell = (target: CellTarget, exclude: boolean) => {
    setCells((current) => addCellCondition(current, { column: target.column, value: target.value, exclude }));
    setMenu(null);
    scrollRef.current?.focus();
  };
  const activeCellTarget = (): CellTarget | null => {
    if (!activeEvent || !activeColumnId) return null;
    const el = scrollRef.current?.querySelector(`[data-index="${activeIndex}"] [data-column="${activeColumnId}"]`);
    const box = el?.getBoundingClientRect();
    return cellTarget(activeEvent, activeColumnId, box ? box.left : 200, box ? box.bottom : 200);
  };

  useKeyActions({
    'row-next': () => moveBy(1),
    'row-prev': () => moveBy(-1),
    'row-first': () => moveTo(0),
    'row-last': () => moveTo(total - 1),
    // Every row of a searched listing is a match: n / N walk them.
    'match-next': () => filters.text.trim() !== '' && moveBy(1),
    'match-prev': () => filters.text.trim() !== '' && moveBy(-1),
    'cell-next': () => setActiveColumn((c) => Math.min(shownColumns.length - 1, c + 1)),
    'cell-prev': () => setActiveColumn((c) => Math.max(0, c - 1)),
    'cell-menu': () => setMenu(activeCellTarget()),
    'cell-filter': () => {
      const target = activeCellTarget();
      if (target) applyCell(target, false);
    },
    'cell-exclude': () => {
      const target = activeCellTarget();
      if (target) applyCell(target, true);
    },
    'open-detail': () => document.querySelector<HTMLElement>('[data-testid="event-detail"]')?.focus(),
    'focus-search': () => {
      searchRef.current?.focus();
      searchRef.current?.select();
    },
    'focus-table': () => scrollRef.current?.focus(),
    'pinned-only': () => setPinnedOnly(!pinnedOnly),
  });

  const fitColumn = (id: string) => {
    // The text's own width (a Range around it), not the cell's: a cell is never narrower than its column.
    const nodes = scrollRef.current?.querySelectorAll<HTMLElement>(`[data-column="${id}"]`) ?? [];
    const range = document.createRange();
    let widest = 0;
    for (const node of nodes) {
      const label = node.querySelector<HTMLElement>('.header-label');
      range.selectNodeContents(label ?? node);
      const style = getComputedStyle(node);
      const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
      // A header also holds the sort arrow and the resize handle.
      widest = Math.max(widest, Math.ceil(range.getBoundingClientRect().width + padding + (label ? 24 : 0)));
    }
    if (widest > 0) setColumnLayout(setWidth(columnLayout, id, widest + 2));
  };
  const exportColumns = shownColumns.map((id): ExportColumn => (id === 'ts_us' ? 'ts' : (id as ExportColumn)));

  return (
    <section className="events-table" data-testid="events-table" data-total={paged.total ?? ''}>
      <FilterBar key={restoreSeq} initial={filters} onChange={setFilters} searchRef={searchRef} />
      <div className="table-toolbar">
        <span className="muted" data-testid="event-count">
          {paged.total === null ? '…' : formatCount(paged.total)} of {formatCount(caseInfo.event_count)} events
        </span>
        <label className="toggle" title="Show only pinned events (table and timeline)">
          <input type="checkbox" checked={pinnedOnly} onChange={(e) => setPinnedOnly(e.target.checked)} data-testid="filter-pinned" />
          pinned only
        </label>
        {picks.map((pick) => (
          <span key={pick.field} className="focus-chip stack-chip" data-testid="stack-pick" data-field={pick.field}>
            {STACK_FIELD_LABELS[pick.field]}: <strong>{pick.value}</strong>
            <button type="button" className="link" onClick={() => onUnpick(pick)} aria-label={`remove the ${STACK_FIELD_LABELS[pick.field]} filter`} data-testid="stack-pick-clear">
              ✕
            </button>
          </span>
        ))}
        {cells.map((cell) => {
          const text = cellText(cell.column, cell.value) || '(empty)';
          const label = `${COLUMN_LABELS[cell.column] ?? cell.column} ${cell.exclude ? '≠' : '='} ${text}`;
          return (
            <span key={`${cell.column}:${String(cell.value)}`} className="focus-chip stack-chip" data-testid="cell-condition" data-column={cell.column} data-exclude={cell.exclude ? 'true' : 'false'}>
              <span className="mono" title={label}>
                {label.length > 60 ? `${label.slice(0, 60)}…` : label}
              </span>
              <button type="button" className="link" onClick={() => setCells((list) => list.filter((c) => c !== cell))} aria-label={`remove the filter ${label}`} data-testid="cell-condition-clear">
                ✕
              </button>
            </span>
          );
        })}
        <span className="spacer" />
        <span className="chooser-anchor">
          <button type="button" onClick={() => setChooserOpen((open) => !open)} aria-expanded={chooserOpen} data-testid="columns-button" title="Show, hide and order the columns">
            Columns…
          </button>
          {chooserOpen && (
            <ColumnChooser
              layout={columnLayout}
              labels={COLUMN_LABELS}
              onChange={setColumnLayout}
              onReset={() => setColumnLayout(defaultColumnLayout)}
              onClose={() => setChooserOpen(false)}
            />
          )}
        </span>
        <ExportButtons filter={filter} sort={sort} columns={exportColumns} />
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
      <div
        className="table-scroll"
        ref={scrollRef}
        tabIndex={0}
        role="grid"
        aria-label="Events"
        aria-rowcount={total}
        data-key-scope="table"
        data-testid="events-grid"
      >
        <div className="table-inner" style={{ minWidth: minTableWidth(columnLayout) }}>
          {table.getHeaderGroups().map((group) => (
            <div key={group.id} className="table-header" style={{ gridTemplateColumns: template }} role="row">
              <div role="columnheader" className="pin-cell" title="Pinned">
                ★
              </div>
              {group.headers.map((header) => {
                const canSort = header.column.getCanSort();
                return (
                  <HeaderCell
                    key={header.id}
                    id={header.column.id}
                    sortable={canSort}
                    sorted={header.column.getIsSorted()}
                    {...(canSort ? { onSort: header.column.getToggleSortingHandler() } : {})}
                    onMove={(id, target, side) => setColumnLayout(moveColumnTo(columnLayout, id, target, side))}
                    onResize={(id, width) => setColumnLayout(setWidth(columnLayout, id, width))}
                    onFit={fitColumn}
                  >
                    <table.FlexRender header={header} />
                  </HeaderCell>
                );
              })}
            </div>
          ))}
          <div className="table-body" style={{ height: virtualizer.getTotalSize() }} role="rowgroup">
            {items.map((item) => {
              const event = paged.cache.row(item.index);
              const row = event ? rowsById.get(String(event.event_id)) : undefined;
              const style = { transform: `translateY(${item.start}px)`, height: ROW_HEIGHT, gridTemplateColumns: template };
              if (!event || !row) {
                return (
                  <div key={`pending-${item.index}`} className="table-row pending" style={style}>
                    <div />
                    <div>loading…</div>
                  </div>
                );
              }
              const selected = selection?.event_id === event.event_id;
              const pinned = isPinned(event.event_id);
              return (
                <div
                  key={row.id}
                  role="row"
                  className={`table-row${selected ? ' selected' : ''}${event.error !== null ? ' failed' : ''}${pinned ? ' pinned' : ''}`}
                  style={style}
                  data-testid="event-row"
                  data-event-id={event.event_id}
                  data-op={event.op}
                  data-kind={event.kind}
                  data-level={event.level ?? ''}
                  data-index={item.index}
                  data-pinned={pinned ? 'true' : 'false'}
                  aria-selected={selected}
                  onClick={() => {
                    setActiveIndex(item.index);
                    select(event.event_id, 'table');
                  }}
                >
                  <div className="pin-cell" role="gridcell">
                    <button
                      type="button"
                      className="link pin-toggle"
                      tabIndex={-1}
                      aria-pressed={pinned}
                      aria-label={pinned ? `unpin event ${event.event_id}` : `pin event ${event.event_id}`}
                      title={pinned ? 'Unpin (p)' : 'Pin (p)'}
                      data-testid="pin-toggle"
                      onClick={(e) => {
                        e.stopPropagation();
                        void togglePin(event.event_id);
                      }}
                    >
                      {pinned ? '★' : '☆'}
                    </button>
                  </div>
                  {row.getVisibleCells().map((cell) => {
                    const column = cell.column.id;
                    const active = selected && column === activeColumnId;
                    return (
                      <div
                        key={cell.id}
                        role="gridcell"
                        className={active ? 'active-cell' : undefined}
                        data-column={column}
                        title={cellText(column, cell.getValue())}
                        onContextMenu={(e) => {
                          const target = cellTarget(event, column, e.clientX, e.clientY);
                          if (!target) return;
                          e.preventDefault();
                          setActiveIndex(item.index);
                          setActiveColumn(Math.max(0, shownColumns.indexOf(column)));
                          select(event.event_id, 'table');
                          setMenu(target);
                        }}
                      >
                        <table.FlexRender cell={cell} />
                      </div>
                    );
                  })}
                </div>
              );
            })}
          </div>
          {paged.total === 0 && <p className="empty">No events match these filters.</p>}
        </div>
      </div>
      {menu && (
        <CellMenu
          target={menu}
          onFilter={(exclude) => applyCell(menu, exclude)}
          onCopy={() => {
            void copyText(menu.text).catch(reportError);
            setMenu(null);
            scrollRef.current?.focus();
          }}
          onClose={() => {
            setMenu(null);
            scrollRef.current?.focus();
          }}
        />
      )}
    </section>
  );
}
