// Where a hover tooltip goes so it stays inside the window: beside the pointer (below and to
// the right), flipped to the other side when it would cross the right or bottom edge, and
// clamped to the window when it fits on neither side. Coordinates are the window's (CSS px).

export interface Size {
  width: number;
  height: number;
}

/** Gap between the pointer and the tooltip, and the least margin kept to the window's edges. */
export const TOOLTIP_OFFSET = 12;
export const TOOLTIP_MARGIN = 4;

export function placeTooltip(pointer: { x: number; y: number }, tooltip: Size, window: Size): { left: number; top: number } {
  const along = (at: number, size: number, room: number): number => {
    const after = at + TOOLTIP_OFFSET;
    if (after + size + TOOLTIP_MARGIN <= room) return after;
    const before = at - TOOLTIP_OFFSET - size;
    if (before >= TOOLTIP_MARGIN) return before;
    return Math.max(TOOLTIP_MARGIN, Math.min(room - size - TOOLTIP_MARGIN, after));
  };
  return { left: Math.round(along(pointer.x, tooltip.width, window.width)), top: Math.round(along(pointer.y, tooltip.height, window.height)) };
}
