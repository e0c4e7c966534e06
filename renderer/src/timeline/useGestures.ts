// Pointer and wheel handling of the main timeline: wheel zooms about the pointer (shift+wheel or
// a horizontal swipe pans), drag pans, shift+drag brushes a range, a click without movement
// selects, and plain movement reports hover. All callbacks get times already mapped from pixels.
import { useEffect, useRef } from 'react';
import { type TimeView, panBy, spanOf, xToTime, zoomAt } from './view.ts';

export interface GestureHandlers {
  view: TimeView | null;
  bounds: TimeView | null;
  width: number;
  setView(view: TimeView): void;
  setRange(range: TimeView | null): void;
  onClick(x: number, y: number): void;
  onHover(x: number, y: number, clientX: number, clientY: number): void;
  onLeave(): void;
}

const CLICK_SLOP_PX = 3;

export function useTimelineGestures(element: HTMLElement | null, handlers: GestureHandlers): void {
  // Handlers change on every render; the listeners read the latest through a ref so they are
  // attached once (wheel must be non-passive to stop the page from scrolling).
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    if (!element) return;
    let drag: { startX: number; view: TimeView; brush: boolean; moved: boolean; pointerId: number } | null = null;

    const localX = (event: MouseEvent) => event.clientX - element.getBoundingClientRect().left;
    const localY = (event: MouseEvent) => event.clientY - element.getBoundingClientRect().top;

    const onWheel = (event: WheelEvent) => {
      const { view, bounds, width, setView } = latest.current;
      if (!view || !bounds) return;
      event.preventDefault();
      const horizontal = event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY);
      if (horizontal) {
        const delta = event.shiftKey ? event.deltaY : event.deltaX;
        setView(panBy(view, (delta / Math.max(1, width)) * spanOf(view), bounds));
        return;
      }
      const factor = Math.exp(Math.max(-300, Math.min(300, event.deltaY)) * 0.002);
      setView(zoomAt(view, xToTime(localX(event), view, width), factor, bounds));
    };

    const onPointerDown = (event: PointerEvent) => {
      const { view } = latest.current;
      if (!view || event.button !== 0) return;
      drag = { startX: localX(event), view, brush: event.shiftKey, moved: false, pointerId: event.pointerId };
      element.setPointerCapture(event.pointerId);
    };

    const onPointerMove = (event: PointerEvent) => {
      const { bounds, width, setView, setRange, onHover } = latest.current;
      const x = localX(event);
      if (!drag) {
        onHover(x, localY(event), event.clientX, event.clientY);
        return;
      }
      if (Math.abs(x - drag.startX) > CLICK_SLOP_PX) drag.moved = true;
      if (!drag.moved || !bounds) return;
      if (drag.brush) {
        const a = xToTime(drag.startX, drag.view, width);
        const b = xToTime(x, drag.view, width);
        setRange({ from_us: Math.round(Math.min(a, b)), to_us: Math.round(Math.max(a, b)) });
      } else {
        setView(panBy(drag.view, ((drag.startX - x) / Math.max(1, width)) * spanOf(drag.view), bounds));
      }
    };

    const onPointerUp = (event: PointerEvent) => {
      if (!drag) return;
      const wasClick = !drag.moved;
      if (element.hasPointerCapture(drag.pointerId)) element.releasePointerCapture(drag.pointerId);
      drag = null;
      if (wasClick) latest.current.onClick(localX(event), localY(event));
    };

    const onDoubleClick = (event: MouseEvent) => {
      const { view, bounds, width, setView } = latest.current;
      if (!view || !bounds) return;
      setView(zoomAt(view, xToTime(localX(event), view, width), event.altKey ? 2 : 0.5, bounds));
    };

    const onLeave = () => latest.current.onLeave();

    element.addEventListener('wheel', onWheel, { passive: false });
    element.addEventListener('pointerdown', onPointerDown);
    element.addEventListener('pointermove', onPointerMove);
    element.addEventListener('pointerup', onPointerUp);
    element.addEventListener('pointercancel', onPointerUp);
    element.addEventListener('dblclick', onDoubleClick);
    element.addEventListener('pointerleave', onLeave);
    return () => {
      element.removeEventListener('wheel', onWheel);
      element.removeEventListener('pointerdown', onPointerDown);
      element.removeEventListener('pointermove', onPointerMove);
      element.removeEventListener('pointerup', onPointerUp);
      element.removeEventListener('pointercancel', onPointerUp);
      element.removeEventListener('dblclick', onDoubleClick);
      element.removeEventListener('pointerleave', onLeave);
    };
  }, [element]);
}
