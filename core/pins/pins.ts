// Pinned (starred) events: the analyst's short list, kept in the case's `pins` table (migration
// 13) so it survives a reload. Pinning is written (and audited) at once, like an annotation.
import type { Pin } from '../api.ts';
import { defaultAuthor } from '../annotations/annotations.ts';
import type { CaseStore } from '../store/case-store.ts';
import { getEvent } from '../store/event-rows.ts';
import { sql } from '../store/sql.ts';

const SPEC = { event_id: 'num', pinned_at: 'str', author: 'str?' } as const;

export class PinError extends Error {}

/** Every pin, oldest first. */
export async function listPins(store: CaseStore): Promise<Pin[]> {
  return store.rows(sql`SELECT event_id, strftime(pinned_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS pinned_at, author FROM pins ORDER BY pinned_at, event_id`, SPEC);
}

/** Pins or unpins one event; pinning twice (or unpinning an unpinned event) changes nothing. */
export async function setPinned(store: CaseStore, eventId: number, pinned: boolean, author = defaultAuthor()): Promise<{ event_id: number; pinned: boolean }> {
  if (pinned && !(await getEvent(store, eventId))) throw new PinError(`no event ${eventId} in this case`);
  await store.transaction(async () => {
    const existing = await store.one(sql`SELECT event_id FROM pins WHERE event_id = ${eventId}`, { event_id: 'num' });
    if (pinned && !existing) {
      await store.exec(sql`INSERT INTO pins VALUES (${eventId}, now()::TIMESTAMP, ${author})`);
      await store.audit('pin', { event_id: eventId });
    } else if (!pinned && existing) {
      await store.exec(sql`DELETE FROM pins WHERE event_id = ${eventId}`);
      await store.audit('unpin', { event_id: eventId });
    }
  });
  return { event_id: eventId, pinned };
}
