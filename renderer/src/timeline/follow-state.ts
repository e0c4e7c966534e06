// The chain the analyst follows ("Follow" in the Links panel), shared with the timeline, which
// draws it as connectors. A small store outside React's tree: the timeline and the panel need
// it, and nothing else does.
import { useSyncExternalStore } from 'react';
import type { FollowedChain } from '../../../core/api.ts';

let followed: FollowedChain | null = null;
const listeners = new Set<() => void>();

export function setFollowedChain(chain: FollowedChain | null): void {
  followed = chain;
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useFollowedChain(): FollowedChain | null {
  return useSyncExternalStore(subscribe, () => followed);
}
