// A drag on a small handle (a splitter, a column edge): the handle captures the pointer, so the
// drag keeps following it outside the handle, and the listeners go when the pointer is released
// or the drag is cancelled.
export function followPointerDrag(handle: HTMLElement, pointerId: number, onMove: (e: PointerEvent) => void, onEnd: () => void = () => {}): void {
  handle.setPointerCapture(pointerId);
  const end = () => {
    handle.removeEventListener('pointermove', onMove);
    handle.removeEventListener('pointerup', end);
    handle.removeEventListener('pointercancel', end);
    onEnd();
  };
  handle.addEventListener('pointermove', onMove);
  handle.addEventListener('pointerup', end);
  handle.addEventListener('pointercancel', end);
}
