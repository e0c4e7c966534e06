// Keeps the address (view.tsx: what a reload, a shared link or a saved view restores) and the
// workbench's own copies of the column layout and "pinned only" (table/useColumnLayout.ts,
// table/usePins.ts) the same: the address wins when it is read (opening, a pasted link, a saved
// view), the workbench's value is written to it whenever the analyst changes it.
import { useEffect, useRef } from 'react';
import { normaliseLayout } from '../table/column-layout.ts';
import { useAddressedView } from './view.tsx';
import { useWorkbench } from './workbench.tsx';

export function AddressSync() {
  const { columnLayout, setColumnLayout, defaultColumnLayout, pinnedOnly, setPinnedOnly } = useWorkbench();
  const view = useAddressedView();
  const applied = useRef(-1);

  // The address was read (restoreSeq counts the restores, 0 the first): it decides.
  useEffect(() => {
    if (applied.current === view.restoreSeq) return;
    applied.current = view.restoreSeq;
    if (view.columns) setColumnLayout(normaliseLayout(view.columns, defaultColumnLayout));
    setPinnedOnly(view.pinned);
  }, [view.restoreSeq, view.columns, view.pinned, setColumnLayout, setPinnedOnly, defaultColumnLayout]);

  // The analyst changed them: the address follows.
  const { setColumns, setPinned } = view;
  useEffect(() => {
    if (applied.current < 0) return;
    setColumns(columnLayout);
  }, [columnLayout, setColumns]);
  useEffect(() => {
    if (applied.current < 0) return;
    setPinned(pinnedOnly);
  }, [pinnedOnly, setPinned]);
  return null;
}
