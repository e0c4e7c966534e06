// One Windows event (from an .evtx record, an XML export or a JSON line) → a CanonicalEvent.
// All three Windows importers build a WindowsEvent and call toCanonicalEvent, so the same event
// reads the same whichever way it was exported. The op/kind table is evtx/event-catalog.ts;
// evtx/clock-alignment.ts decides how TimeCreated relates to Sysmon's own clock per capture.
import type { CanonicalEvent } from '../model/event.ts';
import { isoToUs } from '../util/time.ts';
import { lookupSpec, pick, providerFamily, type EventData } from './evtx/event-catalog.ts';

export interface WindowsEvent {
  provider: string | null;
  eventId: number | null;
  channel: string | null;
  computer: string | null;
  /** System/TimeCreated as written (EVTX: "2017-12-26T13:10:29.1368792Z"). */
  timeCreated: string | null;
  recordId: number | null;
  /** System/Execution: the process that wrote the event (Sysmon's service, lsass, …). */
  executionPid: number | null;
  executionTid: number | null;
  userSid: string | null;
  /** Other System fields worth keeping (Level, Task, Opcode, Keywords, Version, …). */
  system: Record<string, string | null>;
  /** EventData / UserData, name → value as written. */
  data: EventData;
  /** Rendered message text, when the export carries one. */
  message: string | null;
}

export interface MappingOptions {
  /** Zone for times written without an offset ("2020-10-18 10:56:18.955"). */
  tz: string;
  /** Host when the event names none (--host). */
  fallbackHost: string | null;
  /** Time to use when the event carries none (EVTX: the record header's written time). */
  fallbackTsUs?: number | null;
  /** Added to TimeCreated when it is the event time (a collection-pipeline shift; see clock-alignment.ts). */
  timeCreatedShiftUs?: number;
}

export type MappingResult =
  | { ok: true; event: CanonicalEvent; utcTimeDeltaUs: number | null; usedTimeCreatedForNetwork: boolean }
  | { ok: false; reason: string };

/**
 * Sysmon network events (3 NetworkConnect, 22 DnsQuery) are reported late, and their UtcTime can
 * be far from when the record was written (hours in OTRF data, weeks in a real sysmon.evtx):
 * when it disagrees with TimeCreated, TimeCreated is the better event time.
 */
const SYSMON_LATE_UTCTIME = new Set([3, 22]);
const AGREEMENT_US = 60_000_000;

/** Providers whose Execution ProcessID is a logging service, not the process the event is about. */
const LOGGER_FAMILIES = new Set(['sysmon', 'security', 'eventlog']);

/** "1234" or "0x4d2" → 1234; anything else → null. */
export function parseWindowsInt(text: string | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (/^0x[0-9a-f]+$/i.test(t)) return Number.parseInt(t.slice(2), 16);
  return null;
}

/** "C:\Windows\System32\cmd.exe" → "cmd.exe". */
export function imageBaseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return cut >= 0 ? path.slice(cut + 1) : path;
}

export function isSysmon(ev: WindowsEvent): boolean {
  return providerFamily(ev.provider, ev.channel) === 'sysmon';
}

/** Sysmon's UtcTime ("2017-12-26 13:10:29.134") is always UTC, whatever the zone option says. */
function sysmonUtcTimeUs(data: EventData): number | null {
  const text = pick(data, 'UtcTime');
  return text === null ? null : isoToUs(text, 'UTC');
}

function shortProvider(provider: string | null, channel: string | null): string {
  const name = provider ?? channel ?? 'Windows';
  return name.replace(/^Microsoft-Windows-/i, '');
}

function buildFields(ev: WindowsEvent): Record<string, string | number | null> {
  const fields: Record<string, string | number | null> = {
    EventID: ev.eventId,
    Provider: ev.provider,
    Channel: ev.channel,
    EventRecordID: ev.recordId,
    TimeCreated: ev.timeCreated,
  };
  if (ev.executionPid !== null) fields['ExecutionProcessID'] = ev.executionPid;
  if (ev.executionTid !== null) fields['ExecutionThreadID'] = ev.executionTid;
  if (ev.userSid !== null) fields['UserID'] = ev.userSid;
  for (const [k, v] of Object.entries(ev.system)) if (v !== null) fields[k] = v;
  for (const [k, v] of Object.entries(ev.data)) fields[k in fields ? `Data.${k}` : k] = v;
  if (ev.message !== null) fields['Message'] = ev.message;
  return fields;
}

/** EventData as "name=value; …" for events without a specific mapping. */
function allData(data: EventData): string | null {
  const parts = Object.entries(data)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}=${v}`);
  return parts.length > 0 ? parts.join('; ') : null;
}

export function toCanonicalEvent(ev: WindowsEvent, sourceLine: number, options: MappingOptions): MappingResult {
  if (ev.eventId === null) return { ok: false, reason: 'event has no EventID' };
  const family = providerFamily(ev.provider, ev.channel);
  const spec = lookupSpec(family, ev.eventId);
  const data = ev.data;

  const createdRawUs = ev.timeCreated === null ? null : isoToUs(ev.timeCreated, options.tz);
  const createdUs = createdRawUs === null ? null : createdRawUs + (options.timeCreatedShiftUs ?? 0);
  const utcUs = family === 'sysmon' ? sysmonUtcTimeUs(data) : null;
  const lateUtc =
    utcUs !== null && createdUs !== null && SYSMON_LATE_UTCTIME.has(ev.eventId) && Math.abs(utcUs - createdUs) > AGREEMENT_US;
  const ts = (lateUtc ? createdUs : utcUs) ?? createdUs ?? options.fallbackTsUs ?? null;
  if (ts === null) {
    return { ok: false, reason: ev.timeCreated === null ? 'event has no time (TimeCreated)' : `unreadable TimeCreated "${ev.timeCreated}"` };
  }

  const image = spec?.image ? pick(data, spec.image) : pick(data, 'Image', 'ProcessName', 'Application');
  let pid = parseWindowsInt(spec?.pid ? pick(data, spec.pid) : pick(data, 'ProcessId', 'ProcessID'));
  let tid = parseWindowsInt(spec?.tid ? pick(data, spec.tid) : null);
  if (pid === null && !spec?.pid && (family === null || !LOGGER_FAMILIES.has(family))) {
    // For application logs the writer is the process the event is about.
    // Pid 0 is the idle process: Windows writes it when the writer is unknown.
    pid = ev.executionPid || null;
    tid = ev.executionTid || null;
  }
  const resolve = <T>(v: T | ((d: EventData) => T)): T => (typeof v === 'function' ? (v as (d: EventData) => T)(data) : v);

  const event: CanonicalEvent = {
    ts_us: ts,
    host: ev.computer ?? options.fallbackHost,
    pid,
    tid,
    ppid: spec?.ppid ? parseWindowsInt(pick(data, spec.ppid)) : null,
    process: image === null ? null : imageBaseName(image),
    kind: spec ? resolve(spec.kind) : 'log',
    op: spec ? resolve(spec.op) : `${shortProvider(ev.provider, ev.channel)}/${ev.eventId}`,
    category: spec ? resolve(spec.category) : 'other',
    target: spec?.target?.(data) ?? null,
    args: spec ? (spec.args?.(data) ?? null) : allData(data),
    ret: spec?.ret?.(data) ?? null,
    error: spec?.error?.(data) ?? null,
    source_line: sourceLine,
    fields: buildFields(ev),
  };
  const utcTimeDeltaUs = utcUs !== null && createdRawUs !== null ? utcUs - createdRawUs : null;
  return { ok: true, event, utcTimeDeltaUs, usedTimeCreatedForNetwork: lateUtc };
}

