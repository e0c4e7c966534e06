// The timeline's lanes: one per (host, pid) for API calls, labelled "pid name", and one per
// (capture, kind) for every other source, labelled with the capture's file name.
import type { EventFilter, Lane } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import type { RowOf } from '../store/rows.ts';
import { sql } from '../store/sql.ts';
import { filterToSql, isEmptyFilter } from '../query/event-filter.ts';
import { apiLaneId, sourceLaneId } from './lane-id.ts';

const API_SPEC = { host: 'str?', pid: 'num?', process: 'str?', n: 'num', first_us: 'num', last_us: 'num' } as const;
const SOURCE_SPEC = { capture_id: 'num', kind: 'str', file_name: 'str?', host: 'str?', n: 'num', first_us: 'num', last_us: 'num' } as const;

export async function listLanes(store: CaseStore, filter?: EventFilter): Promise<Lane[]> {
  // A filter that keeps every event: the lane list kept per capture answers.
  if (isEmptyFilter(filter)) return toLanes(await lanesFromSummary(store));
  const where = filterToSql(filter);
  const api = await store.read.rows(
    sql`SELECT e.host, e.pid, mode(e.process) AS process, count(*) AS n, min(e.ts_us) AS first_us, max(e.ts_us) AS last_us
        FROM event_rows e WHERE e.kind = 'api' AND ${where}
        GROUP BY e.host, e.pid ORDER BY e.host NULLS LAST, first_us, e.pid`,
    API_SPEC,
  );
  const sources = await store.read.rows(
    sql`SELECT e.capture_id, e.kind, any_value(c.file_name) AS file_name, mode(e.host) AS host, count(*) AS n,
               min(e.ts_us) AS first_us, max(e.ts_us) AS last_us
        FROM event_rows e LEFT JOIN captures c ON c.capture_id = e.capture_id
        WHERE e.kind <> 'api' AND ${where}
        GROUP BY e.capture_id, e.kind ORDER BY e.capture_id, e.kind`,
    SOURCE_SPEC,
  );
  return toLanes({ api, sources });
}

/** The same lanes from capture_lanes (kept at import and alignment): no scan of the events. */
async function lanesFromSummary(store: CaseStore): Promise<{ api: RowOf<typeof API_SPEC>[]; sources: RowOf<typeof SOURCE_SPEC>[] }> {
  const [api, sources] = await Promise.all([
    store.read.rows(
      sql`SELECT l.host, l.pid, arg_max(l.process, l.events) AS process, CAST(sum(l.events) AS BIGINT) AS n,
                 min(l.first_us) AS first_us, max(l.last_us) AS last_us
          FROM capture_lanes l WHERE l.kind = 'api'
          GROUP BY l.host, l.pid ORDER BY l.host NULLS LAST, first_us, l.pid`,
      API_SPEC,
    ),
    store.read.rows(
      sql`SELECT l.capture_id, l.kind, any_value(c.file_name) AS file_name, arg_max(l.host, l.events) AS host,
                 CAST(sum(l.events) AS BIGINT) AS n, min(l.first_us) AS first_us, max(l.last_us) AS last_us
          FROM capture_lanes l LEFT JOIN captures c ON c.capture_id = l.capture_id
          WHERE l.kind <> 'api'
          GROUP BY l.capture_id, l.kind ORDER BY l.capture_id, l.kind`,
      SOURCE_SPEC,
    ),
  ]);
  return { api, sources };
}

function toLanes({ api, sources }: { api: RowOf<typeof API_SPEC>[]; sources: RowOf<typeof SOURCE_SPEC>[] }): Lane[] {
  return [
    ...api.map(
      (r): Lane => ({
        lane_id: apiLaneId(r.host, r.pid),
        host: r.host,
        group: 'api',
        label: `${r.pid ?? '?'} ${r.process ?? ''}`.trim(),
        kind: 'api',
        pid: r.pid,
        process: r.process,
        capture_id: null,
        count: r.n,
        first_us: r.first_us,
        last_us: r.last_us,
      }),
    ),
    ...sources.map(
      (r): Lane => ({
        lane_id: sourceLaneId(r.capture_id, r.kind),
        host: r.host,
        group: 'source',
        label: `${r.file_name ?? `capture ${r.capture_id}`} · ${r.kind}`,
        kind: r.kind,
        pid: null,
        process: null,
        capture_id: r.capture_id,
        count: r.n,
        first_us: r.first_us,
        last_us: r.last_us,
      }),
    ),
  ];
}
