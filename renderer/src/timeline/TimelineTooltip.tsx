// The timeline's hover tooltip, and the width hook the lanes canvas is sized by.
import { type ReactNode, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { placeTooltip } from './tooltip-place.ts';

/**
 * The hover tooltip, in a portal on the body (the lanes box scrolls and clips, and the timeline is
 * its own compositing layer): measured, then placed beside the pointer inside the window.
 */
export function TimelineTooltip({ clientX, clientY, children }: { clientX: number; clientY: number; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState<{ left: number; top: number } | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setPlace(placeTooltip({ x: clientX, y: clientY }, { width: el.offsetWidth, height: el.offsetHeight }, { width: window.innerWidth, height: window.innerHeight }));
  }, [clientX, clientY, children]);
  return createPortal(
    <div
      ref={ref}
      className="timeline-tooltip"
      role="tooltip"
      data-testid="timeline-tooltip"
      style={{ position: 'fixed', left: place?.left ?? clientX, top: place?.top ?? clientY, visibility: place ? 'visible' : 'hidden' }}
    >
      {children}
    </div>,
    document.body,
  );
}

/** Width of an element that may mount later (the lanes only exist once the case has events). */
export function useElementWidth(element: HTMLElement | null): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(Math.floor(element.clientWidth)));
    observer.observe(element);
    setWidth(Math.floor(element.clientWidth));
    return () => observer.disconnect();
  }, [element]);
  return width;
}
