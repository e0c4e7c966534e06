// A list of timeline lanes (Lane.lane_id) → SQL condition over `e` (event_rows or lane_summary:
// both have kind, host, pid, capture_id). Values are bound, never pasted. Lanes of one host (or
// one capture) share a term, so asking for the ~30 lanes in view stays a short condition.
import { FilterError } from '../query/event-filter.ts';
import { joinSql, sql, type Sql } from '../store/sql.ts';
import { parseLaneId } from './lane-id.ts';

/** The condition for "the row belongs to one of `laneIds`"; FALSE for an empty list. */
export function laneIdsToSql(laneIds: readonly string[]): Sql {
  const apiByHost = new Map<string, { pids: number[]; nullPid: boolean }>();
  const kindsByCapture = new Map<number, string[]>();
  for (const id of laneIds) {
    const lane = parseLaneId(id);
    if (!lane) throw new FilterError(`not a timeline lane id: ${JSON.stringify(id.slice(0, 80))}`);
    if (lane.group === 'api') {
      const host = lane.host ?? '';
      let entry = apiByHost.get(host);
      if (!entry) apiByHost.set(host, (entry = { pids: [], nullPid: false }));
      if (lane.pid === null) entry.nullPid = true;
      else entry.pids.push(lane.pid);
    } else {
      const kinds = kindsByCapture.get(lane.captureId) ?? [];
      kinds.push(lane.kind);
      kindsByCapture.set(lane.captureId, kinds);
    }
  }
  const terms: Sql[] = [];
  if (apiByHost.size > 0) {
    const hosts = [...apiByHost].map(([host, { pids, nullPid }]) => {
      const pidTerms: Sql[] = [];
      if (pids.length > 0) pidTerms.push(sql`e.pid IN (${joinSql(pids.map((p) => sql`${p}`), ', ')})`);
      if (nullPid) pidTerms.push(sql`e.pid IS NULL`);
      return sql`(coalesce(e.host, '') = ${host} AND (${joinSql(pidTerms, ' OR ')}))`;
    });
    terms.push(sql`(e.kind = 'api' AND (${joinSql(hosts, ' OR ')}))`);
  }
  if (kindsByCapture.size > 0) {
    const captures = [...kindsByCapture].map(
      ([captureId, kinds]) => sql`(e.capture_id = ${captureId} AND e.kind IN (${joinSql(kinds.map((k) => sql`${k}`), ', ')}))`,
    );
    terms.push(sql`(e.kind <> 'api' AND (${joinSql(captures, ' OR ')}))`);
  }
  return terms.length === 0 ? sql`FALSE` : sql`(${joinSql(terms, ' OR ')})`;
}
