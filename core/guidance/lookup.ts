// Guidance for one event. (Placeholder until the knowledge base lands: returns no entry.)
import type { GuidanceResponse } from '../api.ts';
import type { StoredEvent } from '../model/event.ts';

export function guidanceForEvent(_event: StoredEvent): GuidanceResponse {
  return { entry: null, remarks: [] };
}
