// The links kept in the case (table `links`, migration 10), rebuilt when the captures change —
// after an import or an alignment — like the process tree, and stamped with the captures
// fingerprint they were built for; a read finds them stale when the stamp differs.
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, sql } from '../store/sql.ts';
import { DEFAULT_DEVICE_OPTIONS, deviceLinks, flowLinks, socketCallLinks, type DeviceOptions, type DeviceRow, type Link, type LinkKind } from './build-links.ts';
import { DEFAULT_MATCH_OPTIONS, matchConnections, type FlowMatch, type MatchOptions } from './match.ts';
import { hostConnections, type HostCallRow, type HostConnection } from './socket-table.ts';
import { WIRE_FORMATS, wireFlows, type WireFlow } from './wire-flows.ts';
import { capturesFingerprint } from '../store/captures-fingerprint.ts';
import { walkLinks } from './walk.ts';

export type LinkOptions = MatchOptions & DeviceOptions;
export const DEFAULT_LINK_OPTIONS: LinkOptions = { ...DEFAULT_MATCH_OPTIONS, ...DEFAULT_DEVICE_OPTIONS };

/** Calls that may touch a socket; anything else cannot change the fd table's sockets. */
const SOCKET_OPS = [
  'socket', 'connect', 'accept', 'accept4', 'bind', 'listen', 'getsockname', 'getpeername', 'sendto', 'recvfrom', 'sendmsg',
  'recvmsg', 'sendmmsg', 'recvmmsg', 'send', 'recv', 'write', 'read', 'writev', 'readv', 'shutdown', 'close', 'dup', 'dup2', 'dup3',
  'fcntl', 'setsockopt', 'getsockopt', 'ioctl',
];


function parseFields(text: string | null): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const wireList = sql`[${joinSql([...WIRE_FORMATS].map((f) => sql`${f}`), ', ')}]`;

export interface CaseConnections {
  connections: HostConnection[];
  flows: WireFlow[];
  matches: FlowMatch[];
}

/** Host connections, wire flows and their matches, read from the case's events. */
export async function readConnections(store: CaseStore, options: MatchOptions = DEFAULT_MATCH_OPTIONS): Promise<CaseConnections> {
  const ops = sql`[${joinSql(SOCKET_OPS.map((op) => sql`${op}`), ', ')}]`;
  const hostRaw = await store.rows(
    sql`SELECT e.event_id, e.capture_id, e.ts_us, e.dur_us, e.pid, e.kind, e.op, e.target, e.args, e.ret, e.error,
               CASE WHEN e.kind <> 'api' THEN e.fields END AS fields
        FROM event_rows e JOIN captures c USING (capture_id)
        WHERE NOT list_contains(${wireList}, c.format)
          AND ((e.kind = 'api' AND list_contains(${ops}, e.op)) OR (e.kind = 'network' AND e.fields IS NOT NULL))`,
    { event_id: 'num', capture_id: 'num', ts_us: 'num', dur_us: 'num?', pid: 'num?', kind: 'str', op: 'str', target: 'str?', args: 'str?', ret: 'str?', error: 'str?', fields: 'str?' },
  );
  const hostRows: HostCallRow[] = hostRaw.map((r) => ({ ...r, fields: parseFields(r.fields) }));
  const wireRaw = await store.rows(
    sql`SELECT e.event_id, e.capture_id, e.ts_us, e.kind, e.op, e.fields
        FROM event_rows e JOIN captures c USING (capture_id)
        WHERE list_contains(${wireList}, c.format) AND e.fields IS NOT NULL AND e.kind IN ('network', 'ics')`,
    { event_id: 'num', capture_id: 'num', ts_us: 'num', kind: 'str', op: 'str', fields: 'str?' },
  );
  const connections = hostConnections(hostRows);
  const flows = wireFlows(wireRaw.map((r) => ({ ...r, fields: parseFields(r.fields) })));
  return { connections, flows, matches: matchConnections(connections, flows, options) };
}

async function readDeviceRows(store: CaseStore): Promise<DeviceRow[]> {
  return store.rows(
    sql`SELECT e.event_id, e.ts_us, e.kind, concat_ws(' ', e.op, e.target, e.args) AS text
        FROM event_rows e JOIN captures c USING (capture_id)
        WHERE NOT list_contains(${wireList}, c.format) AND e.kind <> 'api'
          AND (e.kind = 'alarm' OR regexp_matches(concat_ws(' ', e.target, e.args), '(\\d{1,3}\\.){3}\\d{1,3}:\\d{1,5}|\\]:\\d{1,5}'))`,
    { event_id: 'num', ts_us: 'num', kind: 'str', text: 'str' },
  );
}

/** Every link of the case, computed from its events (no writes). */
export async function computeLinks(store: CaseStore, options: LinkOptions = DEFAULT_LINK_OPTIONS): Promise<Link[]> {
  const { connections, flows, matches } = await readConnections(store, options);
  const device = await readDeviceRows(store);
  return [...socketCallLinks(connections), ...flowLinks(matches, flows), ...deviceLinks(flows, device, options)];
}

/** Rebuilds the kept links in one transaction (callers: import, alignment). */
export async function rebuildLinks(store: CaseStore, options: LinkOptions = DEFAULT_LINK_OPTIONS): Promise<number> {
  const links = await computeLinks(store, options);
  const stamp = await capturesFingerprint(store);
  await store.transaction(async () => {
    await store.exec(sql`DELETE FROM links`);
    // An appender, not INSERT … VALUES: a traced server has a socket call link per send and recv
    // (millions), and bound parameters cost ~1 ms per hundred rows.
    const appender = await store.connection().createAppender('links');
    try {
      for (const l of links) {
        appender.appendBigInt(BigInt(l.from_event));
        appender.appendBigInt(BigInt(l.to_event));
        appender.appendVarchar(l.kind);
        appender.appendDouble(l.confidence);
        appender.appendVarchar(l.rule);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await store.exec(sql`DELETE FROM links_state`);
    await store.exec(sql`INSERT INTO links_state VALUES (${stamp})`);
  });
  return links.length;
}

const LINK_SPEC = { from_event: 'num', to_event: 'num', kind: 'str', confidence: 'num', rule: 'str' } as const;

function asLinks(rows: { from_event: number; to_event: number; kind: string; confidence: number; rule: string }[]): Link[] {
  return rows.map((r) => ({ ...r, kind: r.kind as LinkKind }));
}

async function current(store: CaseStore): Promise<Link[] | null> {
  const kept = await store.rows(sql`SELECT fingerprint FROM links_state`, { fingerprint: 'str' });
  if (kept[0]?.fingerprint === (await capturesFingerprint(store))) return null;
  if (store.readOnly) return computeLinks(store);
  await rebuildLinks(store);
  return null;
}

/** All links of the case (rebuilt first when the captures changed), ordered by from, to. */
export async function readLinks(store: CaseStore): Promise<Link[]> {
  const fresh = await current(store);
  if (fresh) return fresh.sort((a, b) => a.from_event - b.from_event || a.to_event - b.to_event);
  return asLinks(await store.rows(sql`SELECT * FROM links ORDER BY from_event, to_event, kind`, LINK_SPEC));
}

/** Most links one chain answer carries (a polling connection has thousands of calls). */
export const CHAIN_LIMIT = 500;

/** The links around one event, breadth first, up to `CHAIN_LIMIT` links (walk.ts says which). */
export async function linkChain(store: CaseStore, eventId: number): Promise<Link[]> {
  const all = await allLinks(store);
  return walkLinks(all, eventId, { max_depth: Number.POSITIVE_INFINITY, max_links: CHAIN_LIMIT }).links;
}

/** Every link of the case, as kept (rebuilt first when the captures changed), in no order. */
export async function allLinks(store: CaseStore): Promise<Link[]> {
  return (await current(store)) ?? asLinks(await store.rows(sql`SELECT * FROM links`, LINK_SPEC));
}
