// The main timeline: overview strip, axis, lane labels and the canvas of lanes. Zoomed out it
// draws per-bucket density; zoomed in (≤ EVENT_DRAW_LIMIT events in view) single events.
import { type PointerEvent as ReactPointerEvent, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Lane, ProcessNode, TimelineEvent } from '../../../core/api.ts';
import { useAddressedView, useTimeView } from '../state/view.tsx';
import { useWorkbench } from '../state/workbench.tsx';
import { formatDuration, formatTimestamp } from '../display/time.ts';
import { TimeAxis } from './Axis.tsx';
import { Overview } from './Overview.tsx';
import { drawTimeline, groupEventsByLane, nearestEvent } from './draw.ts';
import { laneIndexer, orderLanes, orderLanesByTree, visibleLaneRange } from './lanes.ts';
import { LANE_HEIGHTS, clampTimelineHeight, groupLabel, shownLanes, toggleCollapsed, treeKey } from './lane-layout.ts';
import { LanesMenu } from './LanesMenu.tsx';
import { Legend } from './Legend.tsx';
import { TimelineTooltip, useElementWidth } from './TimelineTooltip.tsx';
import { LaneLabels } from './LaneLabels.tsx';
import { useTimelineGestures } from './useGestures.ts';
import { useTimelineData } from './useTimelineData.ts';
import { revealTime, spanOf, xToTime, zoomAt } from './view.ts';
import { useKeyActions } from '../keys/KeyActions.tsx';
import { ChainConnectors } from './ChainConnectors.tsx';
import { followPointerDrag } from '../display/pointer-drag.ts';

const HOVER_TOLERANCE_PX = 4;
/** Splitter keyboard step, CSS px. */
const SPLITTER_STEP_PX = 24;

interface Hover {
  event: TimelineEvent;
  /** The pointer in window coordinates (the tooltip is placed in the window, not in the scrolled lanes). */
  clientX: number;
  clientY: number;
}

/** `onDrawn`: called after each frame drawn with data (the workbench waits for the first). */
export function Timeline({ onDrawn }: { onDrawn?: () => void } = {}) {
  const { api, timelineDrawn, dataVersion, selection, selectedEvent, select, annotations, localTime, setLocalTime, openEditor, reportError, processFocus, pinnedOnly, pinsVersion } = useWorkbench();
  const { bounds, view, setView, rangeSelection, setRangeSelection, highlightRange } = useTimeView();
  const { laneLayout, setLaneLayout, tag: tagFilter, setTag } = useAddressedView();
  // Every lane of the case in default order; `lanes` below are those the layout shows.
  const [allLanes, setLanes] = useState<Lane[]>([]);
  // Lanes in process-tree order (children under parents) instead of by pid.
  const byTree = laneLayout.byTree;
  const setByTree = (on: boolean) => setLaneLayout((l) => ({ ...l, byTree: on }));
  const laneHeight = LANE_HEIGHTS[laneLayout.density];
  const [menu, setMenu] = useState<'lanes' | 'legend' | null>(null);
  const sectionRef = useRef<HTMLElement>(null);
  const [laneDepth, setLaneDepth] = useState<Map<string, number> | null>(null);
  const [processes, setProcesses] = useState<ProcessNode[] | null>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const [wrap, setWrap] = useState<HTMLDivElement | null>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const width = useElementWidth(wrap);
  // The lanes box scrolls; only the lanes in view (plus a margin) are asked for and drawn.
  const [body, setBody] = useState<HTMLDivElement | null>(null);
  const [scroll, setScroll] = useState({ top: 0, height: 0 });
  useLayoutEffect(() => {
    if (!body) return;
    const measure = () => setScroll((previous) => (previous.top === body.scrollTop && previous.height === body.clientHeight ? previous : { top: body.scrollTop, height: body.clientHeight }));
    const observer = new ResizeObserver(measure);
    observer.observe(body);
    body.addEventListener('scroll', measure, { passive: true });
    measure();
    return () => {
      observer.disconnect();
      body.removeEventListener('scroll', measure);
    };
  }, [body]);
  // Until the lanes fill it the box is short; it never grows past the timeline's max-height
  // (45vh in styles.css), so that height is assumed at least: one request when the lanes arrive.
  const viewportPx = Math.max(scroll.height, laneLayout.timelineHeight ?? Math.round(window.innerHeight * 0.45));
  const shown = useMemo(() => shownLanes(allLanes, laneLayout, byTree ? laneDepth : null), [allLanes, laneLayout, byTree, laneDepth]);
  const lanes = shown.lanes;
  const { first: firstLane, last: lastLane } = visibleLaneRange(scroll.top, viewportPx, laneHeight, lanes.length);
  const laneIds = useMemo(
    () => (lanes.length === 0 ? null : lanes.slice(firstLane, lastLane).map((lane) => lane.lane_id)),
    [lanes, firstLane, lastLane],
  );
  // What the timeline draws is restricted like the table: "pinned only" (table toolbar) and a tag
  // filter. The key changes whenever the answer may have: pins changed, annotations of the tag changed.
  const tagFilterKey = useMemo(
    () => (tagFilter ? `${tagFilter}|${annotations.map((a) => `${a.annotation_id}:${a.updated_at}`).join(',')}` : ''),
    [tagFilter, annotations],
  );
  const drawFilter = useMemo(
    () =>
      pinnedOnly || tagFilter
        ? { value: { ...(pinnedOnly ? { pinned_only: true } : {}), ...(tagFilter ? { tag: tagFilter } : {}) }, key: `pins:${pinnedOnly ? pinsVersion : '-'}|tag:${tagFilterKey}` }
        : undefined,
    [pinnedOnly, pinsVersion, tagFilter, tagFilterKey],
  );
  const { data, loading, error } = useTimelineData(api, view, width, dataVersion, laneIds, drawFilter);

  // The process tree is fetched when something needs it (tree order, a focused process).
  const needProcesses = byTree || processFocus !== null;
  useEffect(() => {
    if (!needProcesses) return;
    let live = true;
    api.processes({}).then(
      (answer) => live && setProcesses(answer),
      (failure: unknown) => live && reportError(failure),
    );
    return () => {
      live = false;
    };
  }, [api, dataVersion, needProcesses, reportError]);

  const focusIds = processFocus?.lanesOnly ? processFocus.proc_ids : null;
  // "Pinned only" also keeps only the lanes holding a pinned event (a new pin can add one).
  const pinFilter = useMemo(() => (pinnedOnly ? { value: { pinned_only: true }, key: `pins#${pinsVersion}` } : undefined), [pinnedOnly, pinsVersion]);
  useEffect(() => {
    let live = true;
    const laneFilter = { ...(focusIds ? { proc_ids: focusIds } : {}), ...(pinFilter ? pinFilter.value : {}) };
    api.lanes(Object.keys(laneFilter).length > 0 ? { filter: laneFilter } : {}).then(
      (answer) => {
        if (!live) return;
        if (byTree && processes) {
          const tree = orderLanesByTree(answer, processes);
          setLanes(tree.lanes);
          setLaneDepth(tree.depth);
        } else {
          setLanes(orderLanes(answer));
          setLaneDepth(null);
        }
      },
      (failure: unknown) => live && reportError(failure),
    );
    return () => {
      live = false;
    };
  }, [api, dataVersion, reportError, byTree, processes, focusIds, pinFilter]);

  // Lanes of the focused process(es) are marked among the others.
  const focusedLanes = useMemo(() => {
    if (!processFocus || !processes) return null;
    const ids = new Set(processFocus.proc_ids);
    const pids = new Set(processes.filter((p) => ids.has(p.proc_id)).flatMap((p) => p.members.map((m) => m.pid)));
    return new Set(lanes.filter((lane) => lane.group === 'api' && lane.pid !== null && pids.has(lane.pid)).map((lane) => lane.lane_id));
  }, [processFocus, processes, lanes]);

  const laneOf = useMemo(() => laneIndexer(lanes), [lanes]);
  const laneOfId = useMemo(() => new Map(lanes.map((lane, index) => [lane.lane_id, index])), [lanes]);
  const eventsByLane = useMemo(
    () => (data?.mode === 'events' ? groupEventsByLane(data.events, lanes.length, laneOf) : []),
    [data, lanes.length, laneOf],
  );

  // Selecting elsewhere (table, panels) brings the event into view without changing the zoom.
  useEffect(() => {
    if (!selection || selection.origin === 'timeline' || !selectedEvent || selectedEvent.event_id !== selection.event_id) return;
    if (view && bounds) setView(revealTime(view, selectedEvent.ts_us, bounds));
    // Only a new selection moves the view; the view itself is deliberately not a dependency.
  }, [selection?.seq, selectedEvent]);

  const height = lanes.length * laneHeight;
  // The canvas covers only the lane window [firstLane, lastLane), placed at its offset in the
  // full-height box (a 1600 × 4500 px canvas for 200 lanes cost more to fill than to draw).
  const canvasTop = firstLane * laneHeight;
  const canvasHeight = Math.max(0, lastLane - firstLane) * laneHeight;
  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !view || width <= 0) return;
    const frame = requestAnimationFrame(() => {
      const ratio = window.devicePixelRatio || 1;
      // Assigning a size reallocates the bitmap even when it is the same: only on a change.
      const widthPx = Math.round(width * ratio);
      const heightPx = Math.max(1, Math.round(canvasHeight * ratio));
      if (canvas.width !== widthPx) canvas.width = widthPx;
      if (canvas.height !== heightPx) canvas.height = heightPx;
      ctx.setTransform(ratio, 0, 0, ratio, 0, -canvasTop * ratio);
      drawTimeline(ctx, {
        width,
        laneHeight,
        laneCount: lanes.length,
        firstLane,
        lastLane,
        view,
        data,
        laneOfId,
        eventsByLane,
        annotations,
        selectedEventId: selectedEvent?.event_id ?? null,
        selectedTs: selectedEvent?.ts_us ?? null,
        selectedLane: selectedEvent ? laneOf(selectedEvent) : -1,
        rangeSelection,
        highlightRange,
        pixelRatio: ratio,
      });
      // For tests and the UI benchmark (bench/ui.ts): when (performance.now(), ms since navigation
      // start) and what the canvas last drew. Set on the element directly: no React re-render.
      canvas.setAttribute('data-drawn-at', String(Math.round(performance.now())));
      canvas.setAttribute('data-drawn-mode', data?.mode ?? 'none');
      if (data) {
        timelineDrawn();
        onDrawn?.();
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [view, width, laneHeight, canvasTop, canvasHeight, firstLane, lastLane, lanes.length, data, laneOfId, eventsByLane, annotations, selectedEvent, laneOf, rangeSelection, highlightRange, timelineDrawn, onDrawn]);

  const collapseGroup = useCallback((key: string) => setLaneLayout((l) => toggleCollapsed(l, key)), [setLaneLayout]);
  const toggleSubtree = useCallback((laneId: string) => setLaneLayout((l) => toggleCollapsed(l, treeKey(laneId))), [setLaneLayout]);
  // In tree order, a lane followed by deeper ones started those processes: it can fold them.
  const parents = useMemo(() => {
    const out = new Set<string>();
    if (!byTree || !laneDepth) return out;
    allLanes.forEach((lane, i) => {
      const next = allLanes[i + 1];
      if (next && (laneDepth.get(next.lane_id) ?? 0) > (laneDepth.get(lane.lane_id) ?? 0)) out.add(lane.lane_id);
    });
    return out;
  }, [allLanes, byTree, laneDepth]);
  const foldedSubtrees = useMemo(
    () => new Set(laneLayout.collapsed.filter((key) => key.startsWith('tree:')).map((key) => key.slice('tree:'.length))),
    [laneLayout.collapsed],
  );

  const eventAt = useCallback(
    (x: number, y: number): TimelineEvent | null => {
      if (!view || data?.mode !== 'events') return null;
      const lane = eventsByLane[Math.floor(y / laneHeight)];
      if (!lane) return null;
      const tolerance = (HOVER_TOLERANCE_PX / Math.max(1, width)) * spanOf(view);
      return nearestEvent(lane.events, xToTime(x, view, width), tolerance);
    },
    [view, data, eventsByLane, width, laneHeight],
  );

  useTimelineGestures(wrap, {
    view,
    bounds,
    width,
    setView,
    setRange: setRangeSelection,
    onClick: (x, y) => {
      const event = eventAt(x, y);
      if (event) select(event.event_id, 'timeline');
    },
    onHover: (x, y, clientX, clientY) => {
      const event = eventAt(x, y);
      setHover(event ? { event, clientX, clientY } : null);
    },
    onLeave: () => setHover(null),
  });

  // The key map's zoom keys (+ - 0) and `g` (focus the timeline); without a view they do nothing.
  const zoomBy = (factor: number) => view && bounds && setView(zoomAt(view, (view.from_us + view.to_us) / 2, factor, bounds));
  useKeyActions({
    'zoom-in': () => zoomBy(0.5),
    'zoom-out': () => zoomBy(2),
    'zoom-fit': () => bounds && setView(bounds),
    'focus-timeline': () => wrap?.focus(),
  });

  if (!bounds || !view) {
    return (
      <section className="timeline timeline-empty" data-testid="timeline">
        <p>No events yet: import a capture to fill the timeline.</p>
      </section>
    );
  }

  const stale = loading && data !== null;
  const setHeight = (px: number) => setLaneLayout((l) => ({ ...l, timelineHeight: clampTimelineHeight(px, window.innerHeight) }));
  // The splitter under the timeline: drag (or arrow keys) to share the height with the table.
  const startSplit = (e: ReactPointerEvent<HTMLDivElement>) => {
    const section = sectionRef.current;
    if (!section) return;
    e.preventDefault();
    const startY = e.clientY;
    const startHeight = section.getBoundingClientRect().height;
    followPointerDrag(e.currentTarget, e.pointerId, (m) => setHeight(startHeight + m.clientY - startY));
  };
  const sectionHeight = laneLayout.timelineHeight;
  return (
    <section
      ref={sectionRef}
      className="timeline"
      data-testid="timeline"
      data-mode={data?.mode ?? 'none'}
      data-loading={loading ? 'true' : 'false'}
      data-density={laneLayout.density}
      style={sectionHeight !== null ? { height: sectionHeight, maxHeight: 'none' } : undefined}
    >
      <div className="timeline-toolbar">
        <button type="button" onClick={() => setView(bounds)} data-testid="timeline-fit" title="Show the whole case">
          Fit
        </button>
        <button type="button" onClick={() => zoomBy(0.5)} title="Zoom in (or wheel / double-click)">
          +
        </button>
        <button type="button" onClick={() => zoomBy(2)} title="Zoom out (or wheel / alt+double-click)">
          −
        </button>
        <label className="toggle" title="Order the process lanes as the process tree: children under their parents">
          <input type="checkbox" checked={byTree} onChange={(e) => setByTree(e.target.checked)} data-testid="lanes-by-tree" />
          tree
        </label>
        <label className="toggle" title="Axis and tooltips in UTC or this computer's time zone">
          <input type="checkbox" checked={localTime} onChange={(e) => setLocalTime(e.target.checked)} data-testid="time-zone-toggle" />
          local time
        </label>
        <span className="timeline-status" data-testid="timeline-status">
          {formatTimestamp(view.from_us, localTime)} — span {formatDuration(spanOf(view))} · {data?.mode === 'events' ? 'events' : 'density'}
          {stale ? ' · updating…' : ''}
          {error ? ` · ${error}` : ''}
        </span>
        <button type="button" onClick={() => setMenu(menu === 'lanes' ? null : 'lanes')} aria-expanded={menu === 'lanes'} data-testid="lanes-menu-button" title="Hide, reorder and collapse lanes; lane height">
          Lanes{shown.hiddenCount > 0 ? ` (${shown.hiddenCount} hidden)` : ''}
        </button>
        <button type="button" onClick={() => setMenu(menu === 'legend' ? null : 'legend')} aria-expanded={menu === 'legend'} data-testid="legend-button" title="What the colours and marks mean">
          Legend
        </button>
        {tagFilter && (
          <span className="focus-chip" data-testid="tag-filter-chip" data-tag={tagFilter}>
            tag: <strong>{tagFilter}</strong>
            <button type="button" className="link" onClick={() => setTag('')} aria-label="stop filtering by tag" data-testid="tag-filter-clear">
              ✕
            </button>
          </span>
        )}
        <span className="timeline-hint">wheel: zoom · drag: pan · shift+drag: select a range</span>
        {rangeSelection && (
          <span className="range-actions">
            <span>range {formatDuration(spanOf(rangeSelection))}</span>
            <button type="button" onClick={() => setView(rangeSelection)} data-testid="range-zoom">
              Zoom to range
            </button>
            <button
              type="button"
              onClick={() => openEditor({ kind: 'range', from_us: rangeSelection.from_us, to_us: rangeSelection.to_us })}
              data-testid="annotate-range-button"
            >
              Annotate range
            </button>
            <button type="button" onClick={() => setRangeSelection(null)}>
              Clear
            </button>
          </span>
        )}
      </div>
      {menu === 'lanes' && <LanesMenu lanes={allLanes} layout={laneLayout} onChange={setLaneLayout} onClose={() => setMenu(null)} />}
      {menu === 'legend' && <Legend onClose={() => setMenu(null)} />}
      {shown.collapsedGroups.length > 0 && (
        <div className="collapsed-groups">
          {shown.collapsedGroups.map((group) => (
            <button
              type="button"
              key={group.key}
              className="focus-chip"
              onClick={() => setLaneLayout((l) => toggleCollapsed(l, group.key))}
              title="Expand this group"
              data-testid="lane-group-collapsed"
              data-group={group.key}
            >
              ▸ {groupLabel(group.key)} ({group.lanes})
            </button>
          ))}
        </div>
      )}
      <div className="timeline-grid">
        <div className="lane-labels-head" />
        <Overview width={width} />
        <div className="lane-labels-head" />
        <TimeAxis view={view} width={width} local={localTime} />
      </div>
      <div className="timeline-body" ref={setBody}>
        <LaneLabels
          lanes={lanes}
          depth={laneDepth}
          focused={focusedLanes}
          laneHeight={laneHeight}
          onCollapseGroup={collapseGroup}
          parents={parents}
          foldedSubtrees={foldedSubtrees}
          onToggleSubtree={toggleSubtree}
        />
        <div
          className="lane-canvas-wrap"
          ref={setWrap}
          style={{ height: Math.max(height, laneHeight) }}
          data-testid="timeline-canvas"
          tabIndex={0}
          data-key-scope="timeline"
          aria-label="Timeline: + and - zoom, 0 fits, j and k move the selection"
        >
          <canvas ref={canvasRef} style={{ width, height: canvasHeight, position: 'absolute', left: 0, top: canvasTop }} />
          <ChainConnectors layout={{ laneOf, view, width, laneHeight }} height={height} />
          {hover && (
            <TimelineTooltip clientX={hover.clientX} clientY={hover.clientY}>
              <div>{formatTimestamp(hover.event.ts_us, localTime)}</div>
              <div>
                <strong>{hover.event.op}</strong> {hover.event.dur_us !== null ? `(${formatDuration(hover.event.dur_us)})` : ''}
              </div>
              {hover.event.target && <div className="mono">{hover.event.target}</div>}
              <div>
                pid {hover.event.pid ?? '—'} {hover.event.process ?? ''}
              </div>
              {hover.event.error && <div className="failed">error {hover.event.error}</div>}
            </TimelineTooltip>
          )}
        </div>
      </div>
      <div
        className="timeline-splitter"
        role="separator"
        aria-orientation="horizontal"
        aria-label="resize the timeline"
        aria-valuenow={Math.round(sectionHeight ?? 0)}
        tabIndex={0}
        onPointerDown={startSplit}
        onKeyDown={(e) => {
          const current = sectionRef.current?.getBoundingClientRect().height ?? 0;
          if (e.key === 'ArrowDown') setHeight(current + SPLITTER_STEP_PX);
          else if (e.key === 'ArrowUp') setHeight(current - SPLITTER_STEP_PX);
          else return;
          e.preventDefault();
        }}
        onDoubleClick={() => setLaneLayout((l) => ({ ...l, timelineHeight: null }))}
        title="Drag to resize the timeline (double-click: default height)"
        data-testid="timeline-splitter"
      />
    </section>
  );
}
