// The analyst's view of the open case: the timeline's visible range, a brushed range and a
// highlighted range (a finding), and everything the address carries (state/url-state.ts) — the
// table filters, the annotation tag filter, the column layout, pinned-only, the selected event,
// the lane layout and the open panels. Changes are written to the address (debounced, without a
// history entry); a reload, a shared link or a saved view restores them.
import { flushSync } from 'react-dom';
import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { TableFilters } from '../table/filters.ts';
import type { LaneLayout } from '../timeline/lane-layout.ts';
import { type TimeView, caseView, clampView } from '../timeline/view.ts';
import { type CenterTab, type ColumnLayoutState, DEFAULT_URL_STATE, type SideTab, type UrlViewState, readFragment, viewStateToJson, writeFragment } from './url-state.ts';
import { useWorkbench } from './workbench.tsx';

export interface ViewState {
  /** The whole case plus a margin; null while the case has no events. */
  bounds: TimeView | null;
  view: TimeView | null;
  setView(view: TimeView): void;
  rangeSelection: TimeView | null;
  setRangeSelection(range: TimeView | null): void;
  highlightRange: TimeView | null;
  setHighlightRange(range: TimeView | null): void;
}

/** The members of the view the address carries, with their setters. */
export interface AddressedView {
  filters: TableFilters;
  setFilters(filters: TableFilters): void;
  /** Annotation tag filter for the table and the timeline ('' for none). */
  tag: string;
  setTag(tag: string): void;
  columns: ColumnLayoutState | undefined;
  setColumns(columns: ColumnLayoutState | undefined): void;
  pinned: boolean;
  setPinned(pinned: boolean): void;
  laneLayout: LaneLayout;
  setLaneLayout(update: LaneLayout | ((previous: LaneLayout) => LaneLayout)): void;
  sideTab: SideTab;
  setSideTab(tab: SideTab): void;
  centerTab: CenterTab;
  setCenterTab(tab: CenterTab): void;
  /** Increments whenever a whole state is applied (a saved view opened): inputs holding their own copy remount. */
  restoreSeq: number;
  /** The view as it stands, to save it. */
  currentState(): UrlViewState;
  /** Shows a whole view state (a saved view). */
  applyState(state: UrlViewState): void;
}

const ViewContext = createContext<ViewState | null>(null);
const AddressContext = createContext<AddressedView | null>(null);

export function useTimeView(): ViewState {
  const value = useContext(ViewContext);
  if (!value) throw new Error('useTimeView outside <ViewProvider>');
  return value;
}

export function useAddressedView(): AddressedView {
  const value = useContext(AddressContext);
  if (!value) throw new Error('useAddressedView outside <ViewProvider>');
  return value;
}

/** Wait after the last change before rewriting the address (a wheel gesture is many changes). */
const ADDRESS_WRITE_MS = 250;

function zoomedView(state: UrlViewState, bounds: TimeView | null): TimeView | null {
  if (!bounds) return null;
  return state.zoom ? clampView(state.zoom, bounds) : bounds;
}

export function ViewProvider({ children }: { children: ReactNode }) {
  const { api, caseInfo, selection, select, reportError } = useWorkbench();
  const bounds = useMemo(() => caseView(caseInfo.first_us, caseInfo.last_us), [caseInfo.first_us, caseInfo.last_us]);
  // What the address held when the case opened: read once.
  const [initial] = useState(() => readFragment(window.location.hash));
  const start = initial.kind === 'state' ? initial.state : DEFAULT_URL_STATE;
  const [view, setView] = useState<TimeView | null>(() => zoomedView(start, bounds));
  const [rangeSelection, setRangeSelection] = useState<TimeView | null>(null);
  const [highlightRange, setHighlightRange] = useState<TimeView | null>(null);
  const [filters, setFilters] = useState<TableFilters>(start.filters);
  const [tag, setTag] = useState(start.tag);
  const [columns, setColumns] = useState<ColumnLayoutState | undefined>(start.columns);
  const [pinned, setPinned] = useState(start.pinned ?? false);
  const [pinnedGiven, setPinnedGiven] = useState(start.pinned !== undefined);
  const [laneLayout, setLaneLayout] = useState<LaneLayout>(start.lanes);
  const [sideTab, setSideTab] = useState<SideTab>(start.panels.side);
  const [centerTab, setCenterTab] = useState<CenterTab>(start.panels.center);
  const [restoreSeq, setRestoreSeq] = useState(0);

  // A new capture can widen the case: show all of it. Not on the first render, which may restore a zoom.
  const firstBounds = useRef(bounds);
  useEffect(() => {
    if (firstBounds.current === bounds) return;
    firstBounds.current = null;
    setView(bounds);
  }, [bounds]);

  const applyState = useCallback(
    (state: UrlViewState) => {
      setView(zoomedView(state, bounds));
      setFilters(state.filters);
      setTag(state.tag);
      setColumns(state.columns);
      setPinned(state.pinned ?? false);
      setPinnedGiven(state.pinned !== undefined);
      setLaneLayout(state.lanes);
      setSideTab(state.panels.side);
      setCenterTab(state.panels.center);
      setRestoreSeq((n) => n + 1);
      if (state.selected !== null) select(state.selected, 'panel');
    },
    [bounds, select],
  );

  // The selection restored from the address: once, when the case opens.
  useEffect(() => {
    if (initial.kind === 'state' && initial.state.selected !== null) select(initial.state.selected, 'panel');
  }, [initial, select]);

  const openSaved = useCallback(
    async (viewId: number) => {
      try {
        const saved = (await api.savedViews({})).find((v) => v.view_id === viewId);
        if (!saved) throw new Error(`this case has no saved view ${viewId}`);
        const read = readFragment(`view=${encodeURIComponent(saved.state)}`);
        if (read.kind === 'state') applyState(read.state);
      } catch (error) {
        reportError(error);
      }
    },
    [api, applyState, reportError],
  );

  // `#saved=<id>`: open that saved view of the case.
  useEffect(() => {
    if (initial.kind === 'saved') void openSaved(initial.view_id);
    // Only the address the case opened with; openSaved changes with the bounds.
  }, [initial]);

  const selected = selection?.event_id ?? null;
  const buildState = (): UrlViewState => {
    const state: UrlViewState = {
      filters,
      tag,
      zoom: view && bounds && (view.from_us !== bounds.from_us || view.to_us !== bounds.to_us) ? { from_us: Math.round(view.from_us), to_us: Math.round(view.to_us) } : null,
      selected,
      lanes: laneLayout,
      panels: { side: sideTab, center: centerTab },
    };
    if (columns) state.columns = columns;
    if (pinnedGiven || pinned) state.pinned = pinned;
    return state;
  };
  // Read through a ref: the view changes on every wheel tick, and consumers of currentState
  // (the saved views panel) need not re-render for each.
  const latest = useRef(buildState);
  latest.current = buildState;
  const currentState = useCallback(() => latest.current(), []);

  // A link pasted into the address bar of this tab changes only the fragment (no reload): show it.
  // The fragment this tab last wrote: one that differs was changed from outside (a pasted link)
  // and is not overwritten before the hashchange handler has applied it.
  const written = useRef<string | null>(null);
  const writeAddress = useCallback(() => {
    if (written.current !== null && window.location.hash !== written.current) return;
    written.current = writeFragmentToAddress(latest.current());
  }, []);
  useEffect(() => {
    const onHashChange = () => {
      written.current = window.location.hash;
      const read = readFragment(window.location.hash);
      if (read.kind === 'saved') void openSaved(read.view_id);
      // Rendered at once (flushSync): an address write still pending from before the paste (the
      // view's, ADDRESS_WRITE_MS after its last change) then writes the pasted state, not the old one
      // over the link; a reload right after a paste otherwise brought the old view back.
      else if (read.kind === 'state' && JSON.stringify(viewStateToJson(read.state)) !== JSON.stringify(viewStateToJson(latest.current()))) flushSync(() => applyState(read.state));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [applyState, openSaved]);

  // The address follows the view, replacing the entry (Back leaves the workbench, not one zoom step).
  // What moves continuously (zoom, pan, a column being dragged wider) is written a moment after it
  // settles; a discrete choice (filters, selection, tabs, pinned only) at once, so a reload right
  // after it cannot bring back the state before it.
  useEffect(() => {
    const timer = setTimeout(writeAddress, ADDRESS_WRITE_MS);
    return () => clearTimeout(timer);
  }, [view, bounds, columns]);
  useEffect(() => {
    writeAddress();
  }, [filters, tag, selected, laneLayout, sideTab, centerTab, pinned, pinnedGiven]);

  const timeValue = useMemo(
    () => ({ bounds, view, setView, rangeSelection, setRangeSelection, highlightRange, setHighlightRange }),
    [bounds, view, rangeSelection, highlightRange],
  );
  const addressValue = useMemo<AddressedView>(
    () => ({
      filters,
      // The filter bar reports a fresh object after each pause in typing: an equal one changes nothing.
      setFilters: (next: TableFilters) => setFilters((previous) => (JSON.stringify(previous) === JSON.stringify(next) ? previous : next)),
      tag,
      setTag,
      columns,
      setColumns,
      pinned,
      setPinned: (value: boolean) => {
        setPinned(value);
        setPinnedGiven(true);
      },
      laneLayout,
      setLaneLayout,
      sideTab,
      setSideTab,
      centerTab,
      setCenterTab,
      restoreSeq,
      currentState,
      applyState,
    }),
    [filters, tag, columns, pinned, laneLayout, sideTab, centerTab, restoreSeq, currentState, applyState],
  );
  return (
    <ViewContext.Provider value={timeValue}>
      <AddressContext.Provider value={addressValue}>{children}</AddressContext.Provider>
    </ViewContext.Provider>
  );
}

/** Writes the state into the address (replacing the entry); returns the fragment now there. */
function writeFragmentToAddress(state: UrlViewState): string {
  const next = writeFragment(window.location.hash, state);
  if (next !== window.location.hash) window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${next}`);
  return window.location.hash;
}
