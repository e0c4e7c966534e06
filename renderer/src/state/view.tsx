// The timeline's visible range, a brushed range and a highlighted range (a finding), shared by
// the timeline, the table's "limit to viewport" toggle and the annotation editor.
import { type ReactNode, createContext, useContext, useEffect, useMemo, useState } from 'react';
import { type TimeView, caseView } from '../timeline/view.ts';
import { useWorkbench } from './workbench.tsx';

export interface ViewState {
  /** The whole case plus a margin; null while the case has no events. */
  bounds: TimeView | null;
  view: TimeView | null;
  setView(view: TimeView): void;
  rangeSelection: TimeView | null;
  setRangeSelection(range: TimeView | null): void;
  highlightRange: TimeView | null;
  setHighlightRange(range: TimeView | null): void;
}

const ViewContext = createContext<ViewState | null>(null);

export function useTimeView(): ViewState {
  const value = useContext(ViewContext);
  if (!value) throw new Error('useTimeView outside <ViewProvider>');
  return value;
}

export function ViewProvider({ children }: { children: ReactNode }) {
  const { caseInfo } = useWorkbench();
  const bounds = useMemo(() => caseView(caseInfo.first_us, caseInfo.last_us), [caseInfo.first_us, caseInfo.last_us]);
  const [view, setView] = useState<TimeView | null>(bounds);
  const [rangeSelection, setRangeSelection] = useState<TimeView | null>(null);
  const [highlightRange, setHighlightRange] = useState<TimeView | null>(null);

  // A new capture can widen the case: show all of it (the analyst has not zoomed into it yet).
  useEffect(() => {
    setView(bounds);
  }, [bounds]);

  const value = useMemo(
    () => ({ bounds, view, setView, rangeSelection, setRangeSelection, highlightRange, setHighlightRange }),
    [bounds, view, rangeSelection, highlightRange],
  );
  return <ViewContext.Provider value={value}>{children}</ViewContext.Provider>;
}
