// The events table's column layout as plain, serialisable state: which columns in which order,
// which are hidden, and their widths in pixels. It is kept per case (localStorage) and is meant to
// travel in the address too (saved views), so parsing is defensive: anything unreadable gives the
// default, and a stored layout is completed with columns it does not know (a newer version's).
import { z } from 'zod';

export interface ColumnLayout {
  /** Every column id, in display order (hidden ones included, so showing one puts it back in place). */
  order: string[];
  hidden: string[];
  /** Widths the analyst set, px; columns absent here use their default width. */
  widths: Record<string, number>;
}

/** The table's column ids (the contract's event columns) and their default widths. */
export const COLUMN_WIDTHS: Readonly<Record<string, number>> = {
  ts_us: 212,
  dur_us: 78,
  host: 96,
  pid: 64,
  tid: 64,
  process: 96,
  kind: 64,
  level: 64,
  op: 88,
  category: 88,
  target: 240,
  args: 300,
  ret: 56,
  error: 72,
};
export const COLUMN_IDS: readonly string[] = Object.keys(COLUMN_WIDTHS);

export const MIN_COLUMN_WIDTH = 36;
export const MAX_COLUMN_WIDTH = 2000;

/** Kinds whose informative text is a message (importers put a log line's message in args). */
const MESSAGE_KINDS = new Set(['log', 'alarm', 'auth']);
/** Shown by default, in this order, around the informative text. */
const LEADING = ['ts_us', 'process', 'op'];
const TRAILING = ['ret', 'error'];
/** Hidden by default: useful, but not worth the width on a first look. */
const SECONDARY = ['pid', 'tid', 'host', 'kind', 'level', 'category', 'dur_us'];

/**
 * The layout a case opens with, from its events per kind: the informative text right after the
 * time, process and op — a call's target then args; in a case made mostly of logs the message
 * (args) first. The level is shown when logs are at least 5 % of the events.
 */
export function defaultLayout(kindCounts: Readonly<Record<string, number>> = {}): ColumnLayout {
  let messages = 0;
  let total = 0;
  for (const [kind, count] of Object.entries(kindCounts)) {
    total += count;
    if (MESSAGE_KINDS.has(kind)) messages += count;
  }
  const text = total > 0 && messages * 2 > total ? ['args', 'target'] : ['target', 'args'];
  // The level earns its width once logs are a noticeable share (1 in 20) of the case.
  const leading = messages * 20 >= total && messages > 0 ? ['ts_us', 'level', ...LEADING.slice(1)] : LEADING;
  const shown = [...leading, ...text, ...TRAILING];
  const hidden = SECONDARY.filter((id) => !shown.includes(id));
  return { order: [...shown, ...hidden], hidden, widths: {} };
}

const stored = z.object({
  order: z.array(z.string()),
  hidden: z.array(z.string()),
  widths: z.record(z.string(), z.number()),
});

/** Clamps to what the table can draw; non-finite widths are dropped. */
export function clampWidth(width: number): number {
  return Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width)));
}

/**
 * A layout holding every known column exactly once: unknown ids dropped, duplicates removed,
 * missing columns added where `fallback` has them (with its hidden state), widths clamped.
 */
export function normaliseLayout(layout: ColumnLayout, fallback: ColumnLayout = defaultLayout()): ColumnLayout {
  const known = new Set(COLUMN_IDS);
  const order = [...new Set(layout.order.filter((id) => known.has(id)))];
  const hiddenIn = new Set(layout.hidden);
  const hidden = new Set(order.filter((id) => hiddenIn.has(id)));
  for (const id of fallback.order) {
    if (order.includes(id) || !known.has(id)) continue;
    const at = fallback.order.indexOf(id);
    const before = fallback.order.slice(at + 1).find((next) => order.includes(next));
    order.splice(before === undefined ? order.length : order.indexOf(before), 0, id);
    if (fallback.hidden.includes(id)) hidden.add(id);
  }
  const widths: Record<string, number> = {};
  for (const [id, width] of Object.entries(layout.widths)) {
    if (known.has(id) && Number.isFinite(width)) widths[id] = clampWidth(width);
  }
  return { order, hidden: order.filter((id) => hidden.has(id)), widths };
}

/** The layout as text (JSON) for storage or the address. */
export function serialiseLayout(layout: ColumnLayout): string {
  return JSON.stringify(normaliseLayout(layout));
}

/** A stored layout; `fallback` (normalised) for anything missing, unreadable or of the wrong shape. */
export function parseLayout(text: string | null | undefined, fallback: ColumnLayout = defaultLayout()): ColumnLayout {
  if (!text) return normaliseLayout(fallback, fallback);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return normaliseLayout(fallback, fallback);
  }
  const parsed = stored.safeParse(value);
  if (!parsed.success) return normaliseLayout(fallback, fallback);
  const layout = normaliseLayout(parsed.data, fallback);
  // A layout that hides everything would leave an empty table: not a layout anyone chose.
  return layout.hidden.length === layout.order.length ? normaliseLayout(fallback, fallback) : layout;
}

export function visibleColumns(layout: ColumnLayout): string[] {
  return layout.order.filter((id) => !layout.hidden.includes(id));
}

export function widthOf(layout: ColumnLayout, id: string): number {
  return layout.widths[id] ?? COLUMN_WIDTHS[id] ?? 100;
}

export function setHidden(layout: ColumnLayout, id: string, hidden: boolean): ColumnLayout {
  const rest = layout.hidden.filter((h) => h !== id);
  // The last visible column stays: an empty table has nothing to right-click to undo it.
  if (hidden && layout.order.every((other) => other === id || rest.includes(other))) return layout;
  return { ...layout, hidden: hidden ? layout.order.filter((o) => o === id || rest.includes(o)) : rest };
}

/** Moves a column by `delta` places among the visible ones (the chooser's up/down; keyboard reordering). */
export function moveColumn(layout: ColumnLayout, id: string, delta: number): ColumnLayout {
  const visible = visibleColumns(layout);
  const at = visible.indexOf(id);
  if (at < 0) return layout;
  const target = visible[Math.max(0, Math.min(visible.length - 1, at + delta))];
  if (target === undefined || target === id) return layout;
  return delta > 0 ? moveColumnTo(layout, id, target, 'after') : moveColumnTo(layout, id, target, 'before');
}

/** Moves `id` next to `target` (a header dropped on another header). */
export function moveColumnTo(layout: ColumnLayout, id: string, target: string, side: 'before' | 'after'): ColumnLayout {
  if (id === target || !layout.order.includes(id) || !layout.order.includes(target)) return layout;
  const order = layout.order.filter((o) => o !== id);
  const at = order.indexOf(target) + (side === 'after' ? 1 : 0);
  order.splice(at, 0, id);
  return { ...layout, order };
}

export function setWidth(layout: ColumnLayout, id: string, width: number): ColumnLayout {
  if (!Number.isFinite(width)) return layout;
  return { ...layout, widths: { ...layout.widths, [id]: clampWidth(width) } };
}

/** localStorage key of a case's layout. */
export function layoutStorageKey(caseKey: string): string {
  return `tracebench.columns.${caseKey}`;
}

/** The informative text columns: without a width the analyst set, they share the pane's spare width. */
const FLEX_COLUMNS = new Set(['target', 'args']);
const FLEX_MIN_WIDTH = 140;
/** The pin (star) column before the layout's columns. */
export const PIN_COLUMN_WIDTH = 26;

/** One CSS grid template for the header and every row: the pin column, then the visible columns. */
export function gridTemplate(layout: ColumnLayout): string {
  const parts = visibleColumns(layout).map((id) => {
    const set = layout.widths[id];
    if (set !== undefined) return `${set}px`;
    const width = COLUMN_WIDTHS[id] ?? 100;
    return FLEX_COLUMNS.has(id) ? `minmax(${FLEX_MIN_WIDTH}px, ${width}fr)` : `${width}px`;
  });
  return [`${PIN_COLUMN_WIDTH}px`, ...parts].join(' ');
}

/** The narrowest the table can be: wider than its pane, it scrolls sideways. */
export function minTableWidth(layout: ColumnLayout): number {
  return visibleColumns(layout).reduce((sum, id) => {
    const set = layout.widths[id];
    if (set !== undefined) return sum + set;
    return sum + (FLEX_COLUMNS.has(id) ? FLEX_MIN_WIDTH : (COLUMN_WIDTHS[id] ?? 100));
  }, PIN_COLUMN_WIDTH);
}
