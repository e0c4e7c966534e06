// The overview strip: the density of the whole case in one row, with a d3 brush showing (and
// setting) the main view's range. Fetched once per data version and width, never per zoom.
import { useEffect, useRef, useState } from 'react';
import { type BrushBehavior, brushX, select } from 'd3';
import type { BucketResponse } from '../../../core/api.ts';
import { useTimeView } from '../state/view.tsx';
import { useWorkbench } from '../state/workbench.tsx';
import { type TimeView, bucketWidthUs, clampView, timeToX, xToTime } from './view.ts';

const HEIGHT = 36;

/** Sums every lane's buckets onto one row (all lanes share the server's bucket grid). */
export function sumLanes(response: BucketResponse): Map<number, number> {
  const totals = new Map<number, number>();
  for (const lane of response.lanes) {
    lane.starts.forEach((start, i) => totals.set(start, (totals.get(start) ?? 0) + (lane.counts[i] ?? 0)));
  }
  return totals;
}

export function Overview({ width }: { width: number }) {
  const { api, dataVersion, reportError } = useWorkbench();
  const { bounds, view, setView } = useTimeView();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const brushRef = useRef<SVGGElement>(null);
  const brushBehavior = useRef<BrushBehavior<unknown> | null>(null);
  const [response, setResponse] = useState<BucketResponse | null>(null);

  useEffect(() => {
    if (!bounds || width <= 0) return;
    let live = true;
    // One row for the whole case (the strip does not split lanes): cheap, from the summary level.
    api.buckets({ from_us: bounds.from_us, to_us: bounds.to_us, bucket_us: bucketWidthUs(bounds, width), total_only: true }).then(
      (answer) => live && setResponse(answer),
      (error: unknown) => live && reportError(error),
    );
    return () => {
      live = false;
    };
  }, [api, bounds, width, dataVersion, reportError]);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !bounds) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(HEIGHT * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, HEIGHT);
    if (!response) return;
    const totals = sumLanes(response);
    let max = 1;
    for (const count of totals.values()) max = Math.max(max, count);
    ctx.fillStyle = '#5d8fd6';
    for (const [start, count] of totals) {
      if (count <= 0) continue;
      const x0 = timeToX(start, bounds, width);
      const x1 = timeToX(start + response.bucket_us, bounds, width);
      const h = Math.max(1, (Math.log1p(count) / Math.log1p(max)) * (HEIGHT - 4));
      ctx.fillRect(x0, HEIGHT - h, Math.max(1, x1 - x0), h);
    }
  }, [response, bounds, width]);

  // The brush: created once per size; moved programmatically when the view changes elsewhere.
  useEffect(() => {
    const group = brushRef.current;
    if (!group || !bounds || width <= 0) return;
    const behavior = brushX<unknown>()
      .extent([
        [0, 0],
        [width, HEIGHT],
      ])
      .on('end', (event: { selection: [number, number] | null; sourceEvent: unknown }) => {
        if (!event.sourceEvent || !event.selection) return;
        const [x0, x1] = event.selection;
        setView(clampView({ from_us: xToTime(x0, bounds, width), to_us: xToTime(x1, bounds, width) }, bounds));
      });
    brushBehavior.current = behavior;
    select(group).call(behavior);
    return () => {
      select(group).on('.brush', null);
    };
  }, [bounds, width, setView]);

  useEffect(() => {
    const group = brushRef.current;
    const behavior = brushBehavior.current;
    if (!group || !behavior || !bounds || !view) return;
    const shown: TimeView = view;
    const x0 = Math.max(0, timeToX(shown.from_us, bounds, width));
    const x1 = Math.min(width, Math.max(x0 + 2, timeToX(shown.to_us, bounds, width)));
    select(group).call(behavior.move, [x0, x1]);
  }, [view, bounds, width]);

  return (
    <div className="timeline-overview" data-testid="timeline-overview" style={{ height: HEIGHT }}>
      <canvas ref={canvasRef} style={{ width, height: HEIGHT }} />
      <svg width={width} height={HEIGHT} className="overview-brush">
        <g ref={brushRef} />
      </svg>
    </div>
  );
}
