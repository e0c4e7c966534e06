// The events table's column layout for the open case: read from localStorage (keyed by the case),
// else the default for the case's kinds of events (from its lanes); every change is stored back.
// The layout is plain state (column-layout.ts) so saved views and the address can carry it too.
import { useCallback, useEffect, useState } from 'react';
import type { WorkbenchApi } from '../../../core/api.ts';
import { type ColumnLayout, defaultLayout, layoutStorageKey, parseLayout, serialiseLayout } from './column-layout.ts';

function readStored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage disabled: the layout lasts for the session only
  }
}

export function useColumnLayout(api: WorkbenchApi, caseKey: string, reportError: (error: unknown) => void): [ColumnLayout, (layout: ColumnLayout) => void] {
  const storageKey = layoutStorageKey(caseKey);
  const [layout, setLayoutState] = useState<ColumnLayout>(() => parseLayout(readStored(storageKey)));

  // No stored layout: the default follows the case's kinds of events.
  useEffect(() => {
    if (readStored(storageKey) !== null) return;
    let live = true;
    api.lanes({}).then(
      (lanes) => {
        if (!live || readStored(storageKey) !== null) return;
        const counts: Record<string, number> = {};
        for (const lane of lanes) counts[lane.kind] = (counts[lane.kind] ?? 0) + lane.count;
        setLayoutState(defaultLayout(counts));
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
  return [layout, setLayout];
}
