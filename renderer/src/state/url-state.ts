// The workbench's view state in the address: table filters, the annotation tag filter, the column
// layout, pinned-only, the zoom range, the selected event, the lane layout and the open panels,
// so a reload or a shared link shows the same view. It lives in the fragment (`#view=<JSON>`),
// next to the `token` parameter the browser shell takes and strips (api/http.ts), and is never
// sent to a server. A fragment `#saved=<id>` opens a view saved in the case file (core/views).
// Parsing is forgiving on purpose: each member is checked on its own (zod) and a bad, old or
// hand-edited member falls back to its default; nothing in an address can crash the workbench.
import { z } from 'zod';
import { EMPTY_FILTERS, type TableFilters } from '../table/filters.ts';
import { DEFAULT_LANE_LAYOUT, DENSITIES, type LaneLayout, MAX_TIMELINE_HEIGHT, MIN_TIMELINE_HEIGHT } from '../timeline/lane-layout.ts';

export const SIDE_TABS = ['findings', 'processes', 'annotations', 'captures', 'views', 'governance'] as const;
export type SideTab = (typeof SIDE_TABS)[number];
export const CENTER_TABS = ['events', 'stack', 'query', 'flows'] as const;
export type CenterTab = (typeof CENTER_TABS)[number];

/**
 * The events table's column layout (ui-table's ColumnLayout, renderer/src/table/): column ids in
 * order, hidden ids and widths in pixels. Optional: absent means the table's defaults.
 */
export interface ColumnLayoutState {
  order: string[];
  hidden: string[];
  widths: Record<string, number>;
}

export interface UrlViewState {
  filters: TableFilters;
  /** Annotation tag the table and the timeline are filtered by ('' for none; EventFilter.tag). */
  tag: string;
  columns?: ColumnLayoutState;
  /** Pinned events only (EventFilter.pinned_only); absent means false. */
  pinned?: boolean;
  /** The timeline's visible range; null: the whole case. */
  zoom: { from_us: number; to_us: number } | null;
  selected: number | null;
  lanes: LaneLayout;
  panels: { side: SideTab; center: CenterTab };
}

export const DEFAULT_URL_STATE: UrlViewState = {
  filters: EMPTY_FILTERS,
  tag: '',
  zoom: null,
  selected: null,
  lanes: DEFAULT_LANE_LAYOUT,
  panels: { side: 'findings', center: 'events' },
};

/** Bump when a member changes meaning; older versions are read member by member where they still fit. */
export const URL_STATE_VERSION = 1;

const text = z.string().max(4096);
const ids = z.array(z.string().max(1024)).max(5000);
const us = z.number().int().safe();

const filtersSchema = z
  .object({
    process: text.catch(''),
    op: text.catch(''),
    category: text.catch(''),
    kind: text.catch(''),
    level: text.catch(''),
    text: text.catch(''),
    failedOnly: z.boolean().catch(false),
    limitToView: z.boolean().catch(false),
  })
  .partial();

const lanesSchema = z
  .object({
    hidden: ids.catch([]),
    collapsed: ids.catch([]),
    order: ids.catch([]),
    density: z.enum(DENSITIES).catch('normal'),
    timelineHeight: z.number().int().min(MIN_TIMELINE_HEIGHT).max(MAX_TIMELINE_HEIGHT).nullable().catch(null),
    byTree: z.boolean().catch(false),
  })
  .partial();

const columnsSchema = z.object({
  order: z.array(z.string().max(64)).max(200),
  hidden: z.array(z.string().max(64)).max(200),
  widths: z.record(z.string().max(64), z.number().int().min(0).max(10_000)),
});

const zoomSchema = z.object({ from_us: us, to_us: us }).refine((z) => z.to_us > z.from_us, 'an empty range');

/** The encoded form: every member optional, each falling back to its default when it does not fit. */
const encodedSchema = z.object({
  v: z.number().optional().catch(undefined),
  filters: filtersSchema.optional().catch(undefined),
  tag: z.string().max(64).optional().catch(undefined),
  columns: columnsSchema.optional().catch(undefined),
  pinned: z.boolean().optional().catch(undefined),
  zoom: zoomSchema.nullable().optional().catch(undefined),
  selected: z.number().int().nonnegative().safe().nullable().optional().catch(undefined),
  lanes: lanesSchema.optional().catch(undefined),
  panels: z
    .object({ side: z.enum(SIDE_TABS).catch('findings'), center: z.enum(CENTER_TABS).catch('events') })
    .partial()
    .optional()
    .catch(undefined),
});

/** A view state from any JSON value: what fits is kept, everything else is the default. */
export function viewStateFromJson(value: unknown): UrlViewState {
  const parsed = encodedSchema.safeParse(value);
  if (!parsed.success) return DEFAULT_URL_STATE;
  const e = parsed.data;
  const state: UrlViewState = {
    filters: { ...EMPTY_FILTERS, ...stripUndefined(e.filters ?? {}) },
    tag: e.tag ?? '',
    zoom: e.zoom ?? null,
    selected: e.selected ?? null,
    lanes: { ...DEFAULT_LANE_LAYOUT, ...stripUndefined(e.lanes ?? {}) },
    panels: { ...DEFAULT_URL_STATE.panels, ...stripUndefined(e.panels ?? {}) },
  };
  if (e.columns) state.columns = e.columns;
  if (e.pinned !== undefined) state.pinned = e.pinned;
  return state;
}

/** The JSON kept in the address and in a saved view: only members that differ from the defaults. */
export function viewStateToJson(state: UrlViewState): Record<string, unknown> {
  const out: Record<string, unknown> = { v: URL_STATE_VERSION };
  const filters = changed(state.filters, EMPTY_FILTERS);
  if (filters) out['filters'] = filters;
  if (state.tag !== '') out['tag'] = state.tag;
  if (state.columns) out['columns'] = state.columns;
  if (state.pinned !== undefined) out['pinned'] = state.pinned;
  if (state.zoom) out['zoom'] = state.zoom;
  if (state.selected !== null) out['selected'] = state.selected;
  const lanes = changed(state.lanes, DEFAULT_LANE_LAYOUT);
  if (lanes) out['lanes'] = lanes;
  const panels = changed(state.panels, DEFAULT_URL_STATE.panels);
  if (panels) out['panels'] = panels;
  return out;
}

/** What the address says: a view state (`view=`), a saved view to open (`saved=`), or nothing. */
export type FragmentRequest = { kind: 'state'; state: UrlViewState } | { kind: 'saved'; view_id: number } | { kind: 'none' };

export function readFragment(hash: string): FragmentRequest {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const saved = params.get('saved');
  if (saved !== null && /^\d{1,9}$/.test(saved)) return { kind: 'saved', view_id: Number(saved) };
  const view = params.get('view');
  if (view === null) return { kind: 'none' };
  try {
    return { kind: 'state', state: viewStateFromJson(JSON.parse(view)) };
  } catch {
    return { kind: 'state', state: DEFAULT_URL_STATE };
  }
}

/**
 * The fragment holding `state`, keeping any other parameter of `hash` except a token (the shell
 * never writes the token back: it must not end up in a copied link) and a consumed `saved=`.
 */
export function writeFragment(hash: string, state: UrlViewState): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  params.delete('token');
  params.delete('saved');
  params.set('view', JSON.stringify(viewStateToJson(state)));
  return `#${params.toString()}`;
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

/** The members of `value` that differ from `defaults` (compared as JSON), or null when none do. */
function changed<T extends object>(value: T, defaults: T): Partial<T> | null {
  const out: Partial<T> = {};
  let any = false;
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (JSON.stringify(value[key]) !== JSON.stringify(defaults[key])) {
      out[key] = value[key];
      any = true;
    }
  }
  return any ? out : null;
}
