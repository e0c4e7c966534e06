// The events table's column layout for the open case: read from localStorage (keyed by the case),
// else the default for the case's kinds of events (from its lanes); every change is stored back.
// The layout is plain state (column-layout.ts) so saved views and the address can carry it too.
import { useCallback, useEffect, useState } from 'react';
import type { WorkbenchApi } from '../../../core/api.ts';
import { type ColumnLayout, defaultLayout, layoutStorageKey, parseLayout, serialiseLayout } from './column-layout.ts';

/** True when this browser keeps a column layout for the case (useColumnLayout writes it on every change). */
export function hasStoredLayout(caseKey: string): boolean {
  return readStored(layoutStorageKey(caseKey)) !== null;
}

function readStored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage disabled: the layout lasts for the session only
  }
}

/** The layout, its setter (which stores it), and the case's default layout (for "Default layout"). */
export function useColumnLayout(api: WorkbenchApi, caseKey: string, reportError: (error: unknown) => void): [ColumnLayout, (layout: ColumnLayout) => void, ColumnLayout] {
  const storageKey = layoutStorageKey(caseKey);
  const [layout, setLayoutState] = useState<ColumnLayout>(() => parseLayout(readStored(storageKey)));
  const [caseDefault, setCaseDefault] = useState<ColumnLayout>(defaultLayout);

  // The default follows the case's kinds of events; it is the layout too while none is stored.
  useEffect(() => {
    let live = true;
    api.lanes({}).then(
      (lanes) => {
        if (!live) return;
        const counts: Record<string, number> = {};
        for (const lane of lanes) counts[lane.kind] = (counts[lane.kind] ?? 0) + lane.count;
        const fallback = defaultLayout(counts);
        setCaseDefault(fallback);
        if (readStored(storageKey) === null) setLayoutState(fallback);
      },
      (error: unknown) => live && reportError(error),
    );
    return () => {
      live = false;
    };
  }, [api, storageKey, reportError]);

  const setLayout = useCallback(
    (next: ColumnLayout) => {
      setLayoutState(next);
      try {
        window.localStorage.setItem(storageKey, serialiseLayout(next));
      } catch {
        // storage full or disabled: keep the layout for this session
      }
    },
    [storageKey],
  );
  return [layout, setLayout, caseDefault];
}
