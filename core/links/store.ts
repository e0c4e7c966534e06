// The links kept in the case (table `links`, migration 10), rebuilt when the captures change —
// after an import or an alignment — like the process tree, and stamped with the captures
// fingerprint they were built for; a read finds them stale when the stamp differs.
import type { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { DEFAULT_DEVICE_OPTIONS, deviceLinks, flowLinks, socketCallLinks, type DeviceOptions, type DeviceRow, type Link, type LinkKind } from './build-links.ts';
import { DEFAULT_MATCH_OPTIONS, matchConnections, type FlowMatch, type MatchOptions } from './match.ts';
import type { HostConnection } from './socket-table.ts';
import { wireFlows, type WireFlow } from './wire-flows.ts';
import { capturesFingerprint } from '../store/captures-fingerprint.ts';
import { appendRows } from '../store/append-rows.ts';
import { appendLinkRow, DEVICE_ROW_PREDICATE, keptConnections, replayHostCaptures, updateCaptureLinks, wireList } from './capture-links.ts';
import { walkLinks } from './walk.ts';
import { parseFields } from '../util/fields-json.ts';

export type LinkOptions = MatchOptions & DeviceOptions;
export const DEFAULT_LINK_OPTIONS: LinkOptions = { ...DEFAULT_MATCH_OPTIONS, ...DEFAULT_DEVICE_OPTIONS };

export interface CaseConnections {
  connections: HostConnection[];
  flows: WireFlow[];
  matches: FlowMatch[];
}

/** Host connections, wire flows and their matches, read from the case's events. */
export async function readConnections(store: CaseStore, options: MatchOptions = DEFAULT_MATCH_OPTIONS): Promise<CaseConnections> {
  const hostIds = (
    await store.rows(sql`SELECT capture_id FROM captures WHERE NOT list_contains(${wireList}, format) ORDER BY 1`, { capture_id: 'num' })
  ).map((c) => c.capture_id);
  const connections = await replayHostCaptures(store, hostIds);
  const flows = await readWireFlows(store);
  return { connections, flows, matches: matchConnections(connections, flows, options) };
}

/** The flows of every wire capture. */
async function readWireFlows(store: CaseStore): Promise<WireFlow[]> {
  const wireRaw = await store.rows(
    sql`SELECT e.event_id, e.capture_id, e.ts_us, e.kind, e.op, e.fields
        FROM event_rows e JOIN captures c USING (capture_id)
        WHERE list_contains(${wireList}, c.format) AND e.fields IS NOT NULL AND e.kind IN ('network', 'ics')`,
    { event_id: 'num', capture_id: 'num', ts_us: 'num', kind: 'str', op: 'str', fields: 'str?' },
  );
  return wireFlows(wireRaw.map((r) => ({ ...r, fields: parseFields(r.fields) })));
}

/** Device records and alarms of host captures (those counted in link_captures when `kept`). */
async function readDeviceRows(store: CaseStore, kept = false): Promise<DeviceRow[]> {
  const captures = kept
    ? sql`SELECT capture_id FROM link_captures WHERE device_rows > 0`
    : sql`SELECT capture_id FROM captures WHERE NOT list_contains(${wireList}, format)`;
  return store.rows(
    sql`SELECT e.event_id, e.ts_us, e.kind, concat_ws(' ', e.op, e.target, e.args) AS text
        FROM event_rows e WHERE e.capture_id IN (${captures}) AND ${DEVICE_ROW_PREDICATE}`,
    { event_id: 'num', ts_us: 'num', kind: 'str', text: 'str' },
  );
}

/** Links across captures: connection ↔ flow, flow ↔ ICS operation, flow ↔ device record and alarm. */
function crossCaptureLinks(connections: readonly HostConnection[], flows: readonly WireFlow[], device: readonly DeviceRow[], options: LinkOptions): Link[] {
  const matches = connections.length > 0 && flows.length > 0 ? matchConnections(connections, flows, options) : [];
  return [...flowLinks(matches, flows), ...deviceLinks(flows, device, options)];
}

/** Every link of the case, computed from its events (no writes). */
export async function computeLinks(store: CaseStore, options: LinkOptions = DEFAULT_LINK_OPTIONS): Promise<Link[]> {
  const { connections, flows } = await readConnections(store, options);
  // Without a flow, no device record or alarm can be linked (deviceLinks): the records are not read.
  const device = flows.length > 0 ? await readDeviceRows(store) : [];
  return [...socketCallLinks(connections), ...crossCaptureLinks(connections, flows, device, options)];
}

/**
 * Brings the kept links up to date in one transaction (callers: import, alignment, a stale read):
 * only captures imported or aligned since are replayed (capture-links.ts); the links across
 * captures are computed again only when a capture that can change them came or went. Options
 * other than the defaults (an alignment's) always recompute them. Returns the number of links.
 */
export async function rebuildLinks(store: CaseStore, options: LinkOptions = DEFAULT_LINK_OPTIONS): Promise<number> {
  const stamp = await capturesFingerprint(store);
  const customOptions = (Object.keys(DEFAULT_LINK_OPTIONS) as (keyof LinkOptions)[]).some((k) => options[k] !== DEFAULT_LINK_OPTIONS[k]);
  await store.transaction(async () => {
    const update = await updateCaptureLinks(store);
    if (update.crossChanged || customOptions) {
      const connections = await keptConnections(store);
      const flows = await readWireFlows(store);
      const device = flows.length > 0 ? await readDeviceRows(store, true) : [];
      await store.exec(sql`DELETE FROM links WHERE kind <> 'socket-call'`);
      await appendRows(store, 'links', crossCaptureLinks(connections, flows, device, options), appendLinkRow);
    }
    await store.exec(sql`DELETE FROM links_state`);
    await store.exec(sql`INSERT INTO links_state VALUES (${stamp})`);
  });
  return (await store.one(sql`SELECT count(*) AS n FROM links`, { n: 'num' }))?.n ?? 0;
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
