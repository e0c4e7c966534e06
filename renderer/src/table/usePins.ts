// The case's pinned events, as the workbench shares them: the ids (for the star in the table and
// the detail panel), pin/unpin (stored in the case at once), and the "show pinned only" flag
// (plain state, so saved views and the address can carry it).
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { WorkbenchApi } from '../../../core/api.ts';

export interface PinsState {
  pinnedIds: ReadonlySet<number>;
  isPinned(event_id: number): boolean;
  /** Pins an unpinned event and unpins a pinned one. */
  togglePin(event_id: number): Promise<void>;
  pinnedOnly: boolean;
  setPinnedOnly(only: boolean): void;
  /** Bumps after every pin change: pinned-only listings re-fetch on it. */
  pinsVersion: number;
}

export function usePins(api: WorkbenchApi, dataVersion: number, reportError: (error: unknown) => void): PinsState {
  const [pinnedIds, setPinnedIds] = useState<ReadonlySet<number>>(new Set());
  const [pinnedOnly, setPinnedOnly] = useState(false);
  const [pinsVersion, setPinsVersion] = useState(0);

  useEffect(() => {
    let live = true;
    api.pins({}).then(
      (pins) => live && setPinnedIds(new Set(pins.map((p) => p.event_id))),
      (error: unknown) => live && reportError(error),
    );
    return () => {
      live = false;
    };
  }, [api, dataVersion, reportError]);

  const isPinned = useCallback((event_id: number) => pinnedIds.has(event_id), [pinnedIds]);

  const togglePin = useCallback(
    async (event_id: number) => {
      const pinned = !pinnedIds.has(event_id);
      try {
        await api.setPinned({ event_id, pinned });
        setPinnedIds((current) => {
          const next = new Set(current);
          if (pinned) next.add(event_id);
          else next.delete(event_id);
          return next;
        });
        setPinsVersion((v) => v + 1);
      } catch (error) {
        reportError(error);
      }
    },
    [api, pinnedIds, reportError],
  );

  return useMemo(() => ({ pinnedIds, isPinned, togglePin, pinnedOnly, setPinnedOnly, pinsVersion }), [pinnedIds, isPinned, togglePin, pinnedOnly, pinsVersion]);
}
