// Keeps the address (view.tsx: what a reload, a shared link or a saved view restores) and the
// workbench's own copies of the column layout and "pinned only" (table/useColumnLayout.ts,
// table/usePins.ts) the same: the address wins when it is read (a pasted link, a saved view, or
// opening), the workbench's value is written to it whenever the analyst changes it. One
// exception: on opening, a column layout this browser keeps for the case wins over the
// address's, which is written a moment after each change and may lag the last one (a reload
// right after a resize); a link opened where no layout is kept brings its own.
import { useEffect, useRef } from 'react';
import { normaliseLayout } from '../table/column-layout.ts';
import { hasStoredLayout } from '../table/useColumnLayout.ts';
import { useAddressedView } from './view.tsx';
import { useWorkbench } from './workbench.tsx';

export function AddressSync() {
  const { caseInfo, columnLayout, setColumnLayout, defaultColumnLayout, pinnedOnly, setPinnedOnly } = useWorkbench();
  const view = useAddressedView();
  const applied = useRef(-1);

  // The address was read (restoreSeq counts the restores, 0 the first): it decides.
  useEffect(() => {
    if (applied.current === view.restoreSeq) return;
    applied.current = view.restoreSeq;
    const keptHere = view.restoreSeq === 0 && hasStoredLayout(caseInfo.path);
    if (view.columns && !keptHere) setColumnLayout(normaliseLayout(view.columns, defaultColumnLayout));
    setPinnedOnly(view.pinned);
  }, [view.restoreSeq, view.columns, view.pinned, setColumnLayout, setPinnedOnly, defaultColumnLayout, caseInfo.path]);

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
