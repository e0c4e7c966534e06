// The visible time range of the main timeline and the pure math that moves it: wheel zoom about
// the pointer, drag pan, centring on an event, and the level-of-detail choice.

export interface TimeView {
  from_us: number;
  to_us: number;
}

/** The narrowest view: 10 µs across the whole width still shows single-µs ticks. */
export const MIN_SPAN_US = 10;

/**
 * Above this many events in the view the timeline draws density buckets instead of events.
 * 5,000 across ~1,500 px and the lanes in view is already a solid band of marks; more cost the
 * answer's time and size (~200 bytes an event) without showing more.
 */
export const EVENT_DRAW_LIMIT = 5_000;

export function spanOf(view: TimeView): number {
  return view.to_us - view.from_us;
}

/** The whole case with a small margin so the first and last events are not on the border. */
export function caseView(first_us: number | null, last_us: number | null): TimeView | null {
  if (first_us === null || last_us === null) return null;
  const span = Math.max(last_us - first_us, 1_000_000);
  const margin = Math.round(span * 0.02);
  return { from_us: first_us - margin, to_us: first_us + span + margin };
}

/** Keeps a view inside the case (with room for its margin) and no narrower than MIN_SPAN_US. */
export function clampView(view: TimeView, bounds: TimeView): TimeView {
  const boundsSpan = spanOf(bounds);
  let span = Math.min(Math.max(spanOf(view), MIN_SPAN_US), boundsSpan);
  span = Math.round(span);
  let from = Math.round(view.from_us);
  if (from < bounds.from_us) from = bounds.from_us;
  if (from + span > bounds.to_us) from = bounds.to_us - span;
  return { from_us: from, to_us: from + span };
}

/** Zooms by `factor` (< 1 zooms in) keeping the time under the pointer (`anchor_us`) in place. */
export function zoomAt(view: TimeView, anchor_us: number, factor: number, bounds: TimeView): TimeView {
  const span = spanOf(view);
  const newSpan = Math.min(Math.max(span * factor, MIN_SPAN_US), spanOf(bounds));
  const ratio = span > 0 ? (anchor_us - view.from_us) / span : 0.5;
  const from = anchor_us - ratio * newSpan;
  return clampView({ from_us: from, to_us: from + newSpan }, bounds);
}

export function panBy(view: TimeView, delta_us: number, bounds: TimeView): TimeView {
  return clampView({ from_us: view.from_us + delta_us, to_us: view.to_us + delta_us }, bounds);
}

/** Moves the view so `us` is in the middle, keeping the zoom; unchanged when already well inside. */
export function revealTime(view: TimeView, us: number, bounds: TimeView): TimeView {
  const span = spanOf(view);
  const inner = span * 0.05;
  if (us >= view.from_us + inner && us <= view.to_us - inner) return view;
  return clampView({ from_us: us - span / 2, to_us: us + span / 2 }, bounds);
}

/** A view showing [from, to] with a margin on each side (for a finding or an annotation band). */
export function viewAround(from_us: number, to_us: number, bounds: TimeView): TimeView {
  const span = Math.max(to_us - from_us, MIN_SPAN_US * 10);
  const margin = span * 0.25;
  return clampView({ from_us: from_us - margin, to_us: from_us + span + margin }, bounds);
}

/**
 * About one bucket per pixel, at least 1 µs; the server rounds it up to a power of 2, so a bucket
 * is 1–2 px wide. (Two per pixel doubled every answer and its query for detail the canvas merges
 * per pixel column anyway.)
 */
export function bucketWidthUs(view: TimeView, widthPx: number): number {
  return Math.max(1, Math.floor(spanOf(view) / Math.max(1, widthPx)));
}

/** Pixel ↔ time mapping for a view drawn across `widthPx`. */
export function timeToX(us: number, view: TimeView, widthPx: number): number {
  return ((us - view.from_us) / spanOf(view)) * widthPx;
}

export function xToTime(x: number, view: TimeView, widthPx: number): number {
  return view.from_us + (x / Math.max(1, widthPx)) * spanOf(view);
}
