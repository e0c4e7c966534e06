// The links kept per capture (migration 16). A host capture's socket table is replayed once, after
// its import: its connections (without their calls) are kept in host_connections, and its
// socket-call links (from each connection's anchor) in links. link_captures records, per capture, what it brings to the
// links across captures (wire flows, connections, device records); those links — connection ↔
// flow, flow ↔ ICS operation, flow ↔ device record or alarm — are recomputed whole, from the kept
// connections, only when a capture that brings any of these was added, changed or removed.
import type { DuckDBAppender } from '@duckdb/node-api';
import { appendRows, orNull } from '../store/append-rows.ts';
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, sql, type Sql } from '../store/sql.ts';
import { socketCallLinks, type Link } from './build-links.ts';
import type { Endpoint, Transport } from './endpoints.ts';
import { hostConnections, type EndsSource, type HostCallRow, type HostConnection } from './socket-table.ts';
import { WIRE_FORMATS } from './wire-flows.ts';
import { parseFields } from '../util/fields-json.ts';

/** Calls that may touch a socket; anything else cannot change the fd table's sockets. */
export const SOCKET_OPS = [
  'socket', 'connect', 'accept', 'accept4', 'bind', 'listen', 'getsockname', 'getpeername', 'sendto', 'recvfrom', 'sendmsg',
  'recvmsg', 'sendmmsg', 'recvmmsg', 'send', 'recv', 'write', 'read', 'writev', 'readv', 'shutdown', 'close', 'dup', 'dup2', 'dup3',
  'fcntl', 'setsockopt', 'getsockopt', 'ioctl',
];

/**
 * The calls that can give a socket its anchor (socket-table.ts: a connect, or an accept's new
 * socket). A capture with none of them yields no connection from its API calls, whatever else it
 * holds, so its millions of reads and writes need not be replayed.
 */
const ANCHOR_OPS = ['connect', 'accept', 'accept4'];

export const wireList = sql`[${joinSql([...WIRE_FORMATS].map((f) => sql`${f}`), ', ')}]`;
const list = (values: readonly string[]): Sql => sql`[${joinSql(values.map((v) => sql`${v}`), ', ')}]`;
const idList = (ids: readonly number[]): Sql => joinSql(ids.map((id) => sql`${id}`), ', ');

/** Records of other sources that may name a flow's client or be an alarm (build-links.ts deviceLinks). */
export const DEVICE_ROW_PREDICATE = sql`e.kind <> 'api'
  AND (e.kind = 'alarm' OR regexp_matches(concat_ws(' ', e.target, e.args), '(\\d{1,3}\\.){3}\\d{1,3}:\\d{1,5}|\\]:\\d{1,5}'))`;

const HOST_ROW_SPEC = {
  event_id: 'num', capture_id: 'num', ts_us: 'num', dur_us: 'num?', pid: 'num?', kind: 'str', op: 'str', target: 'str?', args: 'str?', ret: 'str?', error: 'str?', fields: 'str?',
} as const;

/**
 * The calls and records the socket table reads, of the given host (non-wire) captures. `withCalls`
 * lists the captures whose API calls are read; the others' network records only.
 */
export async function readHostRows(store: CaseStore, captureIds: readonly number[], withCalls: readonly number[]): Promise<HostCallRow[]> {
  if (captureIds.length === 0) return [];
  const calls = withCalls.length === 0 ? sql`false` : sql`(e.capture_id IN (${idList(withCalls)}) AND e.kind = 'api' AND list_contains(${list(SOCKET_OPS)}, e.op))`;
  const raw = await store.rows(
    sql`SELECT e.event_id, e.capture_id, e.ts_us, e.dur_us, e.pid, e.kind, e.op, e.target, e.args, e.ret, e.error,
               CASE WHEN e.kind <> 'api' THEN e.fields END AS fields
        FROM event_rows e
        WHERE e.capture_id IN (${idList(captureIds)}) AND (${calls} OR (e.kind = 'network' AND e.fields IS NOT NULL))`,
    HOST_ROW_SPEC,
  );
  return raw.map((r) => ({ ...r, fields: parseFields(r.fields) }));
}

/** Of the given captures, those with a call that can anchor a connection. */
async function capturesWithAnchors(store: CaseStore, captureIds: readonly number[]): Promise<number[]> {
  if (captureIds.length === 0) return [];
  const rows = await store.rows(
    sql`SELECT DISTINCT capture_id FROM event_rows
        WHERE capture_id IN (${idList(captureIds)}) AND kind = 'api' AND list_contains(${list(ANCHOR_OPS)}, op) ORDER BY 1`,
    { capture_id: 'num' },
  );
  return rows.map((r) => r.capture_id);
}

/** Host connections of the given host captures, from their events (the socket table replayed). */
export async function replayHostCaptures(store: CaseStore, captureIds: readonly number[]): Promise<HostConnection[]> {
  const rows = await readHostRows(store, captureIds, await capturesWithAnchors(store, captureIds));
  return hostConnections(rows);
}

interface CaptureState {
  capture_id: number;
  wire: boolean;
  connections: number;
  device_rows: number;
}

/** Whether links across captures can depend on this capture. */
const bringsCrossLinks = (s: CaptureState): boolean => s.wire || s.connections > 0 || s.device_rows > 0;

export interface CaptureLinksUpdate {
  /** Captures whose links were computed now. */
  refreshed: number[];
  /** Captures that were gone and whose links were dropped. */
  removed: number[];
  /** Whether the links across captures may have changed (and must be computed again). */
  crossChanged: boolean;
}

/**
 * Brings the per-capture links up to date: captures imported or aligned since are replayed, captures
 * gone are dropped. Writes inside the caller's transaction.
 */
export async function updateCaptureLinks(store: CaseStore): Promise<CaptureLinksUpdate> {
  const captures = await store.rows(
    sql`SELECT c.capture_id, list_contains(${wireList}, c.format) AS wire,
               (k.capture_id IS NULL OR k.events <> c.events OR k.clock_offset_us <> c.clock_offset_us) AS stale,
               coalesce(k.wire, false) AS was_wire, coalesce(k.connections, 0) AS was_connections, coalesce(k.device_rows, 0) AS was_device_rows
        FROM captures c LEFT JOIN link_captures k USING (capture_id) ORDER BY c.capture_id`,
    { capture_id: 'num', wire: 'bool', stale: 'bool', was_wire: 'bool', was_connections: 'num', was_device_rows: 'num' },
  );
  const gone = await store.rows(
    sql`SELECT capture_id, wire, connections, device_rows FROM link_captures WHERE capture_id NOT IN (SELECT capture_id FROM captures) ORDER BY 1`,
    { capture_id: 'num', wire: 'bool', connections: 'num', device_rows: 'num' },
  );
  const stale = captures.filter((c) => c.stale);
  let crossChanged = gone.length > 0 || stale.some((c) => bringsCrossLinks({ capture_id: c.capture_id, wire: c.was_wire, connections: c.was_connections, device_rows: c.was_device_rows }));
  const dropped = [...gone.map((g) => g.capture_id), ...stale.map((c) => c.capture_id)];
  if (dropped.length > 0) {
    await store.exec(
      sql`DELETE FROM links WHERE kind = 'socket-call' AND from_event IN (SELECT anchor_event_id FROM host_connections WHERE capture_id IN (${idList(dropped)}))`,
    );
    await store.exec(sql`DELETE FROM host_connections WHERE capture_id IN (${idList(dropped)})`);
    await store.exec(sql`DELETE FROM link_captures WHERE capture_id IN (${idList(dropped)})`);
  }
  const hostIds = stale.filter((c) => !c.wire).map((c) => c.capture_id);
  const connections = await replayHostCaptures(store, hostIds);
  await appendRows(store, 'links', socketCallLinks(connections), appendLinkRow);
  await appendRows(store, 'host_connections', connections.map((c, i) => ({ c, seq: i })), ({ c, seq }, a) => appendConnection(a, c, seq));
  const deviceRows = await countDeviceRows(store, hostIds);
  for (const c of stale) {
    const state: CaptureState = {
      capture_id: c.capture_id, wire: c.wire, connections: connections.filter((x) => x.capture_id === c.capture_id).length, device_rows: deviceRows.get(c.capture_id) ?? 0,
    };
    crossChanged ||= bringsCrossLinks(state);
    await store.exec(
      sql`INSERT INTO link_captures SELECT capture_id, events, clock_offset_us, ${state.wire}, ${state.connections}, ${state.device_rows}
          FROM captures WHERE capture_id = ${c.capture_id}`,
    );
  }
  return { refreshed: stale.map((c) => c.capture_id), removed: gone.map((g) => g.capture_id), crossChanged };
}

async function countDeviceRows(store: CaseStore, captureIds: readonly number[]): Promise<Map<number, number>> {
  if (captureIds.length === 0) return new Map();
  const rows = await store.rows(
    sql`SELECT e.capture_id, count(*) AS n FROM event_rows e WHERE e.capture_id IN (${idList(captureIds)}) AND ${DEVICE_ROW_PREDICATE} GROUP BY 1`,
    { capture_id: 'num', n: 'num' },
  );
  return new Map(rows.map((r) => [r.capture_id, r.n]));
}

/** Appends a link (the links table's columns in order). */
export function appendLinkRow(l: Link, a: DuckDBAppender): void {
  a.appendBigInt(BigInt(l.from_event));
  a.appendBigInt(BigInt(l.to_event));
  a.appendVarchar(l.kind);
  a.appendDouble(l.confidence);
  a.appendVarchar(l.rule);
}

function appendConnection(a: DuckDBAppender, c: HostConnection, seq: number): void {
  a.appendInteger(c.capture_id);
  a.appendInteger(seq);
  orNull(a, c.pid, (v) => a.appendInteger(v));
  a.appendBigInt(BigInt(c.anchor_event_id));
  a.appendBigInt(BigInt(c.anchor_ts_us));
  orNull(a, c.anchor_dur_us, (v) => a.appendDouble(v));
  orNull(a, c.role, (v) => a.appendVarchar(v));
  orNull(a, c.transport, (v) => a.appendVarchar(v));
  orNull(a, c.local?.ip ?? null, (v) => a.appendVarchar(v));
  orNull(a, c.local?.port ?? null, (v) => a.appendInteger(v));
  orNull(a, c.remote?.ip ?? null, (v) => a.appendVarchar(v));
  orNull(a, c.remote?.port ?? null, (v) => a.appendInteger(v));
  a.appendVarchar(c.source);
}

/** Every kept connection, in the order the socket table gives them (by capture, then time). */
export async function keptConnections(store: CaseStore): Promise<HostConnection[]> {
  const rows = await store.rows(
    sql`SELECT * FROM host_connections ORDER BY capture_id, seq`,
    {
      capture_id: 'num', seq: 'num', pid: 'num?', anchor_event_id: 'num', anchor_ts_us: 'num', anchor_dur_us: 'num?', role: 'str?', transport: 'str?',
      local_ip: 'str?', local_port: 'num?', remote_ip: 'str?', remote_port: 'num?', source: 'str',
    },
  );
  const endpoint = (ip: string | null, port: number | null): Endpoint | null => (ip === null || port === null ? null : { ip, port });
  return rows.map((r) => ({
    capture_id: r.capture_id, pid: r.pid, anchor_event_id: r.anchor_event_id, anchor_ts_us: r.anchor_ts_us, anchor_dur_us: r.anchor_dur_us,
    role: r.role as HostConnection['role'], transport: r.transport as Transport | null, local: endpoint(r.local_ip, r.local_port),
    remote: endpoint(r.remote_ip, r.remote_port), calls: [], source: r.source as EndsSource,
  }));
}
