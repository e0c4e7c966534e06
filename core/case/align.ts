// Per-capture clock alignment. Each capture keeps its raw times (ts_raw_us); its displayed times
// are ts_raw_us + the capture's offset. Setting an offset REPLACES the previous one (it is not
// added to it), so aligning twice never drifts. The offset is either given as a duration or
// derived from two events the analyst declares to be the same moment: the first (in the capture
// being moved) lands exactly on the second (in another capture). Every change is audited.
import type { AlignRequest, CaptureInfo } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import { getEvent } from '../store/event-rows.ts';
import { sql } from '../store/sql.ts';
import { rebuildLaneSummarySql } from '../timeline/summary.ts';
import { usToIso } from '../util/time.ts';
import { getCapture } from './case-info.ts';

export class AlignError extends Error {}

/** Describes an offset for the analyst, e.g. "+5.000000 s". */
export function formatOffset(us: number): string {
  const sign = us < 0 ? '-' : '+';
  const abs = Math.abs(us);
  return `${sign}${Math.floor(abs / 1e6)}.${String(abs % 1e6).padStart(6, '0')} s`;
}

async function resolveOffset(store: CaseStore, request: AlignRequest): Promise<{ offset: number; basis: string }> {
  if (request.offset_us !== undefined && request.same !== undefined) throw new AlignError('give an offset or two events, not both');
  if (request.offset_us !== undefined) {
    if (!Number.isSafeInteger(request.offset_us)) throw new AlignError('the offset must be a whole number of µs');
    return { offset: request.offset_us, basis: `offset ${formatOffset(request.offset_us)} set by the analyst` };
  }
  if (request.same === undefined) throw new AlignError('give an offset (offset_us) or two events declared the same moment (same)');
  const [movedId, referenceId] = request.same;
  const moved = await getEvent(store, movedId);
  const reference = await getEvent(store, referenceId);
  if (!moved) throw new AlignError(`no event ${movedId} in this case`);
  if (!reference) throw new AlignError(`no event ${referenceId} in this case`);
  if (moved.capture_id !== request.capture_id) {
    throw new AlignError(`event ${movedId} belongs to capture ${moved.capture_id}, not to capture ${request.capture_id} being aligned`);
  }
  if (reference.capture_id === request.capture_id) {
    throw new AlignError(`event ${referenceId} is in the same capture: the reference must come from another capture`);
  }
  return {
    offset: reference.ts_us - moved.ts_raw_us,
    basis: `event ${movedId} (capture ${moved.capture_id}, line ${moved.source_line}) = event ${referenceId} (capture ${reference.capture_id}, line ${reference.source_line}, ${usToIso(reference.ts_us)})`,
  };
}

export async function alignCapture(store: CaseStore, request: AlignRequest): Promise<CaptureInfo> {
  const { offset, basis } = await resolveOffset(store, request);
  return applyClockOffset(store, request.capture_id, offset, basis);
}

/** Sets one capture's offset (replacing the previous one) with the basis it was derived from. */
export async function applyClockOffset(store: CaseStore, captureId: number, offset: number, basis: string): Promise<CaptureInfo> {
  if (!Number.isSafeInteger(offset)) throw new AlignError('the offset must be a whole number of µs');
  const request = { capture_id: captureId };
  const before = await getCapture(store, request.capture_id);
  await store.transaction(async () => {
    await store.exec(sql`UPDATE event_rows SET ts_us = ts_raw_us + ${offset} WHERE capture_id = ${request.capture_id}`);
    for (const statement of rebuildLaneSummarySql(request.capture_id)) await store.exec(statement);
    await store.exec(sql`UPDATE captures SET clock_offset_us = ${offset}, clock_offset_basis = ${basis},
        first_ts = (SELECT make_timestamp(min(ts_us)) FROM event_rows WHERE capture_id = ${request.capture_id}),
        last_ts = (SELECT make_timestamp(max(ts_us)) FROM event_rows WHERE capture_id = ${request.capture_id})
      WHERE capture_id = ${request.capture_id}`);
    await store.audit('align', {
      capture_id: request.capture_id,
      previous_offset_us: before.clock_offset_us,
      offset_us: offset,
      basis,
    });
  });
  return getCapture(store, request.capture_id);
}
