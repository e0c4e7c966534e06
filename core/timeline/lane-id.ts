// Timeline lane identities. A process's API calls get "api:<host>:<pid>", every other source
// gets "src:<capture_id>:<kind>". An unknown host or pid is written as an empty part. The SQL
// expression and the parser below are the two halves of one encoding: keep them together.
import { rawSql } from '../store/sql.ts';

export type ParsedLane =
  | { group: 'api'; host: string | null; pid: number | null }
  | { group: 'source'; captureId: number; kind: string };

/** The lane id of the event row `e`, computed in SQL (same encoding as `laneIdOf`). */
export const LANE_ID_SQL = rawSql(
  `CASE WHEN e.kind = 'api'
     THEN 'api:' || coalesce(e.host, '') || ':' || coalesce(CAST(e.pid AS VARCHAR), '')
     ELSE 'src:' || CAST(e.capture_id AS VARCHAR) || ':' || e.kind END`,
);

export function apiLaneId(host: string | null, pid: number | null): string {
  return `api:${host ?? ''}:${pid ?? ''}`;
}

export function sourceLaneId(captureId: number, kind: string): string {
  return `src:${captureId}:${kind}`;
}

export function laneIdOf(e: { kind: string; host: string | null; pid: number | null; capture_id: number }): string {
  return e.kind === 'api' ? apiLaneId(e.host, e.pid) : sourceLaneId(e.capture_id, e.kind);
}

/** Parses a lane id; null when it is not one. Hosts may contain ':' (IPv6), so the pid is the last part. */
export function parseLaneId(id: string): ParsedLane | null {
  if (id.startsWith('api:')) {
    const rest = id.slice(4);
    const cut = rest.lastIndexOf(':');
    if (cut < 0) return null;
    const host = rest.slice(0, cut);
    const pidText = rest.slice(cut + 1);
    if (pidText !== '' && !/^-?\d{1,10}$/.test(pidText)) return null;
    return { group: 'api', host: host === '' ? null : host, pid: pidText === '' ? null : Number(pidText) };
  }
  const m = /^src:(\d{1,10}):(.+)$/.exec(id);
  if (!m) return null;
  return { group: 'source', captureId: Number(m[1]), kind: m[2] ?? '' };
}
