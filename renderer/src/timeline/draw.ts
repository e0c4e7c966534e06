// Canvas drawing of the main timeline's lanes. Kept free of React so it can run on every
// animation frame without allocations beyond what the data needs; the data handed in may be
// stale (from the previous view) and is simply drawn with the current view's scale.
import type { Annotation, BucketResponse, TimelineEvent } from '../../../core/api.ts';
import { ANNOTATION_COLOR, FAILURE_COLOR, SELECTION_COLOR, categoryColor } from './colors.ts';
import { type TimeView, spanOf, timeToX } from './view.ts';

export type TimelineData =
  | { mode: 'buckets'; view: TimeView; response: BucketResponse }
  | { mode: 'events'; view: TimeView; events: TimelineEvent[] };

export interface LaneEvents {
  /** Events of one lane sorted by start time. */
  events: TimelineEvent[];
}

export interface DrawInput {
  width: number;
  laneHeight: number;
  laneCount: number;
  /** The lane window drawn: lanes [firstLane, lastLane) (the canvas covers only those). */
  firstLane?: number;
  lastLane?: number;
  view: TimeView;
  data: TimelineData | null;
  /** Lane position of each lane id (buckets) and per-lane events (event mode). */
  laneOfId: Map<string, number>;
  eventsByLane: LaneEvents[];
  annotations: readonly Annotation[];
  selectedEventId: number | null;
  selectedTs: number | null;
  selectedLane: number;
  rangeSelection: TimeView | null;
  highlightRange: TimeView | null;
  /** Device pixels per CSS pixel (the canvas's transform scales by it; pixel writes do not). */
  pixelRatio?: number;
}

/** Splits events into per-lane lists sorted by time (for drawing and hover hit tests). */
export function groupEventsByLane(events: readonly TimelineEvent[], laneCount: number, laneOf: (e: TimelineEvent) => number): LaneEvents[] {
  const lanes: LaneEvents[] = Array.from({ length: laneCount }, () => ({ events: [] }));
  for (const event of events) {
    const index = laneOf(event);
    if (index >= 0 && index < laneCount) lanes[index]?.events.push(event);
  }
  for (const lane of lanes) lane.events.sort((a, b) => a.ts_us - b.ts_us || a.event_id - b.event_id);
  return lanes;
}

/** The event of a lane whose drawn box is nearest to `time_us`, within `tolerance_us`. */
export function nearestEvent(sorted: readonly TimelineEvent[], time_us: number, tolerance_us: number): TimelineEvent | null {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid]?.ts_us ?? 0) < time_us) lo = mid + 1;
    else hi = mid;
  }
  let best: TimelineEvent | null = null;
  let bestDistance = Infinity;
  // A long call that started well before the pointer still covers it: look back a little.
  for (let i = Math.max(0, lo - 64); i < Math.min(sorted.length, lo + 2); i++) {
    const event = sorted[i];
    if (!event) continue;
    const end = event.ts_us + (event.dur_us ?? 0);
    const distance = time_us < event.ts_us ? event.ts_us - time_us : time_us > end ? time_us - end : 0;
    if (distance <= tolerance_us && distance < bestDistance) {
      best = event;
      bestDistance = distance;
    }
  }
  return best;
}

/** "#rrggbb" → an ImageData pixel (RGBA bytes in memory order, read as one native-endian uint32). */
function pixelOf(hex: string, alpha = 255): number {
  const v = Number.parseInt(hex.slice(1, 7), 16);
  const bytes = new Uint8Array([(v >> 16) & 255, (v >> 8) & 255, v & 255, alpha]);
  return new Uint32Array(bytes.buffer)[0] ?? 0;
}

const pixelCache = new Map<string, number>();
function categoryPixel(category: string | undefined): number {
  const key = category ?? '';
  let pixel = pixelCache.get(key);
  if (pixel === undefined) pixelCache.set(key, (pixel = pixelOf(categoryColor(category))));
  return pixel;
}

// The lane stripes of drawTimeline (white at 2 % and 4.5 %), as pixels.
const STRIPE_EVEN = pixelOf('#ffffff', 5);
const STRIPE_ODD = pixelOf('#ffffff', 11);
const FAILURE_PIXEL = pixelOf(FAILURE_COLOR);

/** One ImageData per canvas size, refilled each frame instead of allocated. */
let imageCache: ImageData | null = null;
function imageFor(ctx: CanvasRenderingContext2D, width: number, height: number): ImageData {
  if (imageCache?.width !== width || imageCache.height !== height) imageCache = ctx.createImageData(width, height);
  return imageCache;
}

/**
 * Density mode, written as pixels and put on the canvas at once: per lane and pixel column the
 * busiest bucket is drawn (log-scaled to the lane's busiest, in its category's colour), with a
 * red cap when any bucket of the column holds failures. A fillRect per column (~30,000 a frame
 * while panning) and its colour parsing had cost the browser more CPU than the backend's queries.
 * Draws the lane stripes too (putImageData replaces pixels); overlays are drawn after it.
 */
function drawBucketPixels(ctx: CanvasRenderingContext2D, input: DrawInput, response: BucketResponse): void {
  const ratio = input.pixelRatio ?? 1;
  const [firstLane, lastLane] = laneWindow(input);
  const widthPx = Math.max(1, Math.round(input.width * ratio));
  const laneRows = (index: number) => Math.round((index - firstLane) * input.laneHeight * ratio);
  const heightPx = Math.max(1, laneRows(lastLane));
  const image = imageFor(ctx, widthPx, heightPx);
  const pixels = new Uint32Array(image.data.buffer);
  for (let i = firstLane; i < lastLane; i++) pixels.fill(i % 2 === 0 ? STRIPE_EVEN : STRIPE_ODD, laneRows(i) * widthPx, laneRows(i + 1) * widthPx);
  const usable = (input.laneHeight - 4) * ratio;
  const scale = widthPx / spanOf(input.view);
  const bucketWidth = response.bucket_us * scale;
  const best = new Int32Array(widthPx);
  const failed = new Uint8Array(widthPx);
  for (const lane of response.lanes) {
    const index = input.laneOfId.get(lane.lane_id);
    if (index === undefined || index < firstLane || index >= lastLane) continue;
    best.fill(-1);
    failed.fill(0);
    let laneMax = 1;
    const { starts, counts } = lane;
    for (let i = 0; i < starts.length; i++) {
      const count = counts[i] ?? 0;
      if (count <= 0) continue;
      if (count > laneMax) laneMax = count;
      const x = ((starts[i] ?? 0) - input.view.from_us) * scale;
      const x0 = Math.max(0, Math.floor(x));
      const x1 = Math.min(widthPx, Math.max(Math.floor(x) + 1, Math.floor(x + bucketWidth)));
      for (let col = x0; col < x1; col++) {
        const held = best[col] ?? -1;
        if (held < 0 || count > (counts[held] ?? 0)) best[col] = i;
        if ((lane.failed[i] ?? 0) > 0) failed[col] = 1;
      }
    }
    const logMax = Math.log1p(laneMax);
    const bottom = laneRows(index + 1) - Math.round(2 * ratio);
    for (let col = 0; col < widthPx; col++) {
      const i = best[col] ?? -1;
      if (i < 0) continue;
      const h = Math.round(Math.max(2 * ratio, (Math.log1p(counts[i] ?? 0) / logMax) * usable));
      const color = categoryPixel(lane.categories[i]);
      for (let row = Math.max(0, bottom - h); row < bottom; row++) pixels[row * widthPx + col] = color;
      if (failed[col]) for (let row = Math.max(0, bottom - h - Math.round(2 * ratio)); row < bottom - h; row++) pixels[row * widthPx + col] = FAILURE_PIXEL;
    }
  }
  ctx.putImageData(image, 0, 0);
}

/** The lane window to draw, defaulting to every lane. */
function laneWindow(input: DrawInput): [number, number] {
  return [Math.max(0, input.firstLane ?? 0), Math.min(input.laneCount, input.lastLane ?? input.laneCount)];
}

function drawEvents(ctx: CanvasRenderingContext2D, input: DrawInput): void {
  const { width, laneHeight, view } = input;
  const [firstLane, lastLane] = laneWindow(input);
  input.eventsByLane.forEach((lane, index) => {
    if (index < firstLane || index >= lastLane) return;
    const top = index * laneHeight + 3;
    const h = laneHeight - 6;
    for (const event of lane.events) {
      const x0 = timeToX(event.ts_us, view, width);
      const x1 = timeToX(event.ts_us + (event.dur_us ?? 0), view, width);
      if (x1 < -2 || x0 > width + 2) continue;
      const w = Math.max(2, x1 - x0);
      ctx.fillStyle = categoryColor(event.category);
      ctx.fillRect(x0, top, w, h);
      if (event.error !== null) {
        ctx.strokeStyle = FAILURE_COLOR;
        ctx.lineWidth = 1.5;
        ctx.strokeRect(x0 - 0.5, top - 0.5, w + 1, h + 1);
      }
    }
  });
}

function drawBand(ctx: CanvasRenderingContext2D, input: DrawInput, range: TimeView, fill: string, stroke: string): void {
  const x0 = timeToX(range.from_us, input.view, input.width);
  const x1 = timeToX(range.to_us, input.view, input.width);
  if (x1 < 0 || x0 > input.width) return;
  const h = input.laneCount * input.laneHeight;
  ctx.fillStyle = fill;
  ctx.fillRect(x0, 0, Math.max(1, x1 - x0), h);
  ctx.strokeStyle = stroke;
  ctx.lineWidth = 1;
  ctx.strokeRect(x0 + 0.5, 0.5, Math.max(1, x1 - x0) - 1, h - 1);
}

function drawAnnotations(ctx: CanvasRenderingContext2D, input: DrawInput): void {
  const h = input.laneCount * input.laneHeight;
  for (const annotation of input.annotations) {
    if (annotation.event_id === null && annotation.to_us > annotation.from_us) {
      drawBand(ctx, input, { from_us: annotation.from_us, to_us: annotation.to_us }, 'rgba(255, 209, 102, 0.10)', 'rgba(255, 209, 102, 0.5)');
      continue;
    }
    // An event annotation: a flag line at the event's time across every lane.
    const x = timeToX(annotation.from_us, input.view, input.width);
    if (x < -4 || x > input.width + 4) continue;
    ctx.strokeStyle = ANNOTATION_COLOR;
    ctx.lineWidth = 1;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(x + 0.5, 0);
    ctx.lineTo(x + 0.5, h);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = ANNOTATION_COLOR;
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x + 7, 3.5);
    ctx.lineTo(x, 7);
    ctx.fill();
  }
}

function drawSelection(ctx: CanvasRenderingContext2D, input: DrawInput): void {
  if (input.selectedTs === null) return;
  const x = timeToX(input.selectedTs, input.view, input.width);
  const h = input.laneCount * input.laneHeight;
  ctx.strokeStyle = SELECTION_COLOR;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(x + 0.5, 0);
  ctx.lineTo(x + 0.5, h);
  ctx.stroke();
  if (input.selectedLane >= 0) {
    ctx.lineWidth = 2;
    ctx.strokeRect(x - 4, input.selectedLane * input.laneHeight + 1, 8, input.laneHeight - 2);
  }
}

export function drawTimeline(ctx: CanvasRenderingContext2D, input: DrawInput): void {
  const [firstLane, lastLane] = laneWindow(input);
  if (input.data?.mode === 'buckets') drawBucketPixels(ctx, input, input.data.response);
  else {
    ctx.clearRect(0, firstLane * input.laneHeight, input.width, (lastLane - firstLane) * input.laneHeight);
    for (let i = firstLane; i < lastLane; i++) {
      ctx.fillStyle = i % 2 === 0 ? 'rgba(255,255,255,0.02)' : 'rgba(255,255,255,0.045)';
      ctx.fillRect(0, i * input.laneHeight, input.width, input.laneHeight);
    }
    if (input.data?.mode === 'events') drawEvents(ctx, input);
  }
  if (input.highlightRange) drawBand(ctx, input, input.highlightRange, 'rgba(120, 180, 255, 0.10)', 'rgba(120, 180, 255, 0.6)');
  drawAnnotations(ctx, input);
  if (input.rangeSelection) drawBand(ctx, input, input.rangeSelection, 'rgba(255,255,255,0.12)', 'rgba(255,255,255,0.8)');
  drawSelection(ctx, input);
}
