// Sysmon events embedded in a CAPE report (`sysmon[]`): Windows event XML converted to JSON
// xmltodict-style ("@Name", "#text", every value a string). Each becomes its own event, kinded
// the way Sysmon's event IDs mean. Sysmon's UtcTime is UTC whatever the guest's zone.
import type { CanonicalEvent, Category, EventKind } from '../model/event.ts';
import { isoToUs } from '../util/time.ts';

interface SysmonKind {
  op: string;
  kind: EventKind;
  category: Category;
  /** EventData names tried in order for the target. */
  target: string[];
  /** EventData name holding the acting process id. */
  pid: string;
  image: string;
}

const SYSMON: Record<number, SysmonKind> = {
  1: { op: 'ProcessCreate', kind: 'process', category: 'process', target: ['Image'], pid: 'ProcessId', image: 'Image' },
  2: { op: 'FileCreateTime', kind: 'file', category: 'file', target: ['TargetFilename'], pid: 'ProcessId', image: 'Image' },
  3: { op: 'NetworkConnect', kind: 'network', category: 'network', target: [], pid: 'ProcessId', image: 'Image' },
  5: { op: 'ProcessTerminate', kind: 'process', category: 'process', target: ['Image'], pid: 'ProcessId', image: 'Image' },
  6: { op: 'DriverLoad', kind: 'process', category: 'module', target: ['ImageLoaded'], pid: 'ProcessId', image: 'Image' },
  7: { op: 'ImageLoad', kind: 'process', category: 'module', target: ['ImageLoaded'], pid: 'ProcessId', image: 'Image' },
  8: { op: 'CreateRemoteThread', kind: 'process', category: 'memory', target: ['TargetImage'], pid: 'SourceProcessId', image: 'SourceImage' },
  9: { op: 'RawAccessRead', kind: 'file', category: 'device', target: ['Device'], pid: 'ProcessId', image: 'Image' },
  10: { op: 'ProcessAccess', kind: 'process', category: 'process', target: ['TargetImage'], pid: 'SourceProcessId', image: 'SourceImage' },
  11: { op: 'FileCreate', kind: 'file', category: 'file', target: ['TargetFilename'], pid: 'ProcessId', image: 'Image' },
  12: { op: 'RegistryEvent', kind: 'registry', category: 'registry', target: ['TargetObject'], pid: 'ProcessId', image: 'Image' },
  13: { op: 'RegistryEvent', kind: 'registry', category: 'registry', target: ['TargetObject'], pid: 'ProcessId', image: 'Image' },
  14: { op: 'RegistryEvent', kind: 'registry', category: 'registry', target: ['TargetObject', 'NewName'], pid: 'ProcessId', image: 'Image' },
  15: { op: 'FileCreateStreamHash', kind: 'file', category: 'file', target: ['TargetFilename'], pid: 'ProcessId', image: 'Image' },
  17: { op: 'PipeCreated', kind: 'file', category: 'ipc', target: ['PipeName'], pid: 'ProcessId', image: 'Image' },
  18: { op: 'PipeConnected', kind: 'file', category: 'ipc', target: ['PipeName'], pid: 'ProcessId', image: 'Image' },
  22: { op: 'DnsQuery', kind: 'network', category: 'network', target: ['QueryName'], pid: 'ProcessId', image: 'Image' },
  23: { op: 'FileDelete', kind: 'file', category: 'file', target: ['TargetFilename'], pid: 'ProcessId', image: 'Image' },
  25: { op: 'ProcessTampering', kind: 'process', category: 'memory', target: ['Image'], pid: 'ProcessId', image: 'Image' },
  26: { op: 'FileDeleteDetected', kind: 'file', category: 'file', target: ['TargetFilename'], pid: 'ProcessId', image: 'Image' },
};

/** Fields shown as the event's args, by event ID (the rest stays in `fields`). */
const ARGS: Record<number, string[]> = {
  1: ['CommandLine', 'CurrentDirectory', 'User', 'IntegrityLevel', 'ParentImage', 'ParentCommandLine'],
  3: ['Protocol', 'SourceIp', 'SourcePort', 'DestinationIp', 'DestinationPort', 'DestinationHostname'],
  8: ['TargetProcessId', 'StartAddress', 'StartFunction'],
  10: ['TargetProcessId', 'GrantedAccess', 'CallTrace'],
  12: ['EventType'],
  13: ['EventType', 'Details'],
  14: ['EventType', 'NewName'],
  22: ['QueryStatus', 'QueryResults'],
};

function obj(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function text(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  const o = obj(v);
  return o && typeof o['#text'] === 'string' ? o['#text'] : null;
}

/** EventData.Data as name → value; xmltodict gives a single object when there is one item. */
function eventData(event: Record<string, unknown>): Map<string, string> {
  const data = obj(event['EventData'])?.['Data'];
  const items = Array.isArray(data) ? data : data !== undefined ? [data] : [];
  const out = new Map<string, string>();
  for (const item of items) {
    const o = obj(item);
    const name = o?.['@Name'];
    if (typeof name === 'string') out.set(name, text(o?.['#text']) ?? '');
  }
  return out;
}

function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return i >= 0 ? path.slice(i + 1) : path;
}

function intOrNull(v: string | undefined | null): number | null {
  return v !== undefined && v !== null && /^\d+$/.test(v) ? Number(v) : null;
}

export type SysmonResult = { event: CanonicalEvent } | { reject: string };

/** One embedded Sysmon record → a canonical event, or the reason it cannot be read. */
export function sysmonToEvent(value: unknown, sourceLine: number, host: string | null): SysmonResult {
  const event = obj(value);
  const system = obj(event?.['System']);
  if (!event || !system) return { reject: 'Sysmon entry without a System block' };
  const id = intOrNull(text(system['EventID']));
  if (id === null) return { reject: 'Sysmon entry without an EventID' };
  const data = eventData(event);
  const utc = data.get('UtcTime');
  const systemTime = text(obj(system['TimeCreated'])?.['@SystemTime']);
  const tsUs = (utc ? isoToUs(utc, 'UTC') : null) ?? (systemTime ? isoToUs(systemTime, 'UTC') : null);
  if (tsUs === null) return { reject: `Sysmon event ${id} without a readable UtcTime/SystemTime` };
  const spec: SysmonKind = SYSMON[id] ?? { op: `Sysmon${id}`, kind: 'log', category: 'log', target: [], pid: 'ProcessId', image: 'Image' };
  let target = spec.target.map((k) => data.get(k)).find((v) => v !== undefined && v !== '') ?? null;
  if (id === 3) {
    const ip = data.get('DestinationIp');
    const port = data.get('DestinationPort');
    if (ip) target = ip.includes(':') ? `[${ip}]:${port ?? ''}` : `${ip}:${port ?? ''}`;
  }
  const image = data.get(spec.image);
  const args = (ARGS[id] ?? [])
    .filter((k) => data.has(k) && data.get(k) !== '')
    .map((k) => `${k}=${data.get(k) ?? ''}`)
    .join(', ');
  const fields: Record<string, string | number | null> = { source: 'sysmon', event_id: id };
  for (const [k, v] of data) fields[k] = v;
  fields['EventRecordID'] = text(system['EventRecordID']);
  return {
    event: {
      ts_us: tsUs,
      host: host ?? text(system['Computer']),
      pid: intOrNull(data.get(spec.pid)),
      tid: id === 8 ? null : intOrNull(data.get('ThreadId') ?? null),
      ppid: id === 1 ? intOrNull(data.get('ParentProcessId')) : null,
      process: image ? baseName(image) : null,
      kind: spec.kind,
      op: id >= 12 && id <= 14 ? (data.get('EventType') ?? spec.op) : spec.op,
      category: spec.category,
      target,
      args: args === '' ? null : args,
      ret: null,
      error: null,
      source_line: sourceLine,
      fields,
    },
  };
}
