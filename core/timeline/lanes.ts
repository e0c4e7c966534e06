// The timeline's lanes: one per (host, pid) for API calls, labelled "pid name", and one per
// (capture, kind) for every other source, labelled with the capture's file name.
import type { EventFilter, Lane } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { filterToSql } from '../query/event-filter.ts';
import { apiLaneId, sourceLaneId } from './lane-id.ts';

const API_SPEC = { host: 'str?', pid: 'num?', process: 'str?', n: 'num', first_us: 'num', last_us: 'num' } as const;
const SOURCE_SPEC = { capture_id: 'num', kind: 'str', file_name: 'str?', host: 'str?', n: 'num', first_us: 'num', last_us: 'num' } as const;

export async function listLanes(store: CaseStore, filter?: EventFilter): Promise<Lane[]> {
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
