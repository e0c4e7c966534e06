// What else happened around a selected event: events within ±window of it (by default only from
// other captures, i.e. other sources), nearest first. Events of the same process are flagged:
// same host and pid when both pids are known, otherwise the same process name.
import type { SurroundingEvent, SurroundingRequest, SurroundingResponse } from '../api.ts';
import type { StoredEvent } from '../model/event.ts';
import type { CaseStore } from '../store/case-store.ts';
import { EVENT_SELECT, getEvent, readEvents } from '../store/event-rows.ts';
import { sql } from '../store/sql.ts';

export class NoSuchEventError extends Error {
  constructor(eventId: number) {
    super(`no event ${eventId} in this case`);
    this.name = 'NoSuchEventError';
  }
}

export async function surrounding(store: CaseStore, request: SurroundingRequest): Promise<SurroundingResponse> {
  const anchor = await getEvent(store, request.event_id);
  if (!anchor) throw new NoSuchEventError(request.event_id);
  const otherOnly = request.other_captures_only ?? true;
  const captureCondition = otherOnly ? sql`e.capture_id <> ${anchor.capture_id}` : sql`e.event_id <> ${anchor.event_id}`;
  const rows = await readEvents(store.read,
    sql`SELECT ${EVENT_SELECT} FROM event_rows e
        WHERE e.ts_us BETWEEN ${anchor.ts_us - request.window_us} AND ${anchor.ts_us + request.window_us}
          AND ${captureCondition}
        ORDER BY abs(e.ts_us - ${anchor.ts_us}), e.ts_us, e.event_id LIMIT ${request.limit + 1}`,
  );
  const truncated = rows.length > request.limit;
  const events: SurroundingEvent[] = (truncated ? rows.slice(0, request.limit) : rows).map((e) => ({
    ...e,
    delta_us: e.ts_us - anchor.ts_us,
    same_process: isSameProcess(anchor, e),
  }));
  return { anchor, events, truncated };
}

/** Same host and pid when both pids are known; otherwise the same program name (case-insensitive, without its folder). */
export function isSameProcess(a: Pick<StoredEvent, 'host' | 'pid' | 'process'>, b: Pick<StoredEvent, 'host' | 'pid' | 'process'>): boolean {
  if (a.pid !== null && b.pid !== null) return a.pid === b.pid && sameHost(a.host, b.host);
  const na = programName(a.process);
  const nb = programName(b.process);
  return na !== null && na === nb && sameHost(a.host, b.host);
}

/** Hosts match when equal, ignoring case, or when either source does not say. */
function sameHost(a: string | null, b: string | null): boolean {
  return a === null || b === null || a.toLowerCase() === b.toLowerCase();
}

function programName(process: string | null): string | null {
  if (!process) return null;
  const base = process.trim().split(/[\\/]/).pop() ?? '';
  return base === '' ? null : base.toLowerCase();
}
