// The case's links, event ↔ event, from the matched pieces: a socket's calls to the call that
// opened it, the host connection to its flow on the wire, the flow to the ICS operations it
// carried, and those operations to what the target device and the alarm sources recorded.
import type { Link } from '../model/link.ts';
import { endpointKey, parseHostPort } from './endpoints.ts';
import type { FlowMatch } from './match.ts';
import type { HostConnection } from './socket-table.ts';
import type { WireFlow } from './wire-flows.ts';

export type { Link, LinkKind } from '../model/link.ts';

/** A record of another source (device log, alarm list, historian) that may belong to a flow. */
export interface DeviceRow {
  event_id: number;
  ts_us: number;
  kind: string;
  text: string;
}

export interface DeviceOptions {
  /** How far (µs) a device record or alarm may lie from the operation it is linked to. */
  window_us: number;
}

export const DEFAULT_DEVICE_OPTIONS: DeviceOptions = { window_us: 5_000_000 };

export function socketCallLinks(connections: readonly HostConnection[]): Link[] {
  return connections.flatMap((c) =>
    c.calls.map((id) => ({ from_event: c.anchor_event_id, to_event: id, kind: 'socket-call' as const, confidence: 1, rule: `same socket (${c.source})` })),
  );
}

export function flowLinks(matches: readonly FlowMatch[], flows: readonly WireFlow[]): Link[] {
  const out: Link[] = matches.map((m) => ({
    from_event: m.connection.anchor_event_id,
    to_event: m.flow.open_event_id ?? m.flow.first_event_id,
    kind: 'socket-flow',
    confidence: m.confidence,
    rule: m.rule,
  }));
  for (const f of flows) {
    const anchor = f.open_event_id ?? f.first_event_id;
    for (const op of f.ics) {
      if (op.event_id === anchor) continue;
      out.push({ from_event: anchor, to_event: op.event_id, kind: 'flow-ics', confidence: 1, rule: `same ${f.key}` });
    }
  }
  return out;
}

const ENDPOINT_TEXT = /(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):\d{1,5}/g;
const CHANGE_WORDS = /\b(write|wrote|set|setpoint|changed?|operate|forced?|coil|register)\b/i;

/**
 * Device records that name a flow's client (ip:port) while the flow is open (± window): the
 * device's own account of that connection. A record that speaks of a change is linked to the
 * flow's nearest write, others to the flow itself. Alarms (kind 'alarm') within the window after
 * a write are linked to it with a confidence that falls with the delay.
 */
export function deviceLinks(flows: readonly WireFlow[], rows: readonly DeviceRow[], options: DeviceOptions = DEFAULT_DEVICE_OPTIONS): Link[] {
  const byClient = new Map<string, WireFlow[]>();
  for (const f of flows) {
    if (!f.client) continue;
    const k = endpointKey(f.client);
    const list = byClient.get(k) ?? [];
    list.push(f);
    byClient.set(k, list);
  }
  const out: Link[] = [];
  const writes = flows.flatMap((f) => f.ics.filter((op) => op.write).map((op) => ({ op, flow: f }))).sort((a, b) => a.op.ts_us - b.op.ts_us);
  for (const row of rows) {
    for (const text of new Set(row.text.match(ENDPOINT_TEXT) ?? [])) {
      const e = parseHostPort(text);
      if (!e) continue;
      const flow = (byClient.get(endpointKey(e)) ?? []).find((f) => row.ts_us >= f.first_ts_us - options.window_us && row.ts_us <= f.last_ts_us + options.window_us);
      if (!flow) continue;
      const nearestWrite = CHANGE_WORDS.test(row.text)
        ? flow.ics.filter((op) => op.write && Math.abs(op.ts_us - row.ts_us) <= options.window_us).sort((a, b) => Math.abs(a.ts_us - row.ts_us) - Math.abs(b.ts_us - row.ts_us))[0]
        : undefined;
      if (nearestWrite) {
        const dt = Math.abs(nearestWrite.ts_us - row.ts_us);
        out.push({ from_event: nearestWrite.event_id, to_event: row.event_id, kind: 'ics-device', confidence: round(0.9 - 0.4 * (dt / options.window_us)), rule: `record names client ${text} of ${flow.key}; ${dt} µs from ${nearestWrite.op}` });
      } else {
        out.push({ from_event: flow.open_event_id ?? flow.first_event_id, to_event: row.event_id, kind: 'flow-device', confidence: 0.9, rule: `record names client ${text} of ${flow.key}` });
      }
    }
    if (row.kind === 'alarm') {
      const before = writes.filter((w) => w.op.ts_us <= row.ts_us && row.ts_us - w.op.ts_us <= options.window_us).at(-1);
      if (before) {
        const dt = row.ts_us - before.op.ts_us;
        out.push({ from_event: before.op.event_id, to_event: row.event_id, kind: 'ics-alarm', confidence: round(0.6 * (1 - dt / options.window_us)), rule: `alarm ${dt} µs after ${before.op.op} (${before.flow.key})` });
      }
    }
  }
  return out;
}

function round(x: number): number {
  return Math.round(Math.max(0, Math.min(1, x)) * 1000) / 1000;
}
