// Windows events as JSON lines: the flat NXLog/Logstash shape of the OTRF Security-Datasets
// (Mordor) files (EventID, Channel, SourceName, Hostname, TimeCreated, @timestamp, then the
// EventData fields at top level, numbers mostly as strings, keys in any order), and the nested
// Winlogbeat shape (winlog.event_id, winlog.event_data.*). Each line becomes a WindowsEvent and
// is mapped by windows-events.ts like an .evtx record.
import type { DetectSample, TextImporter } from './types.ts';
import type { WindowsEvent } from './windows-events.ts';
import { WindowsEventEmitter } from './evtx/clock-alignment.ts';
import { parseJsonRecord } from './json-record.ts';

type Flat = Record<string, string>;

/** Nested objects → dotted keys; scalars → text; arrays → JSON text. */
function flatten(value: Record<string, unknown>, prefix = '', out: Flat = {}): Flat {
  for (const [key, v] of Object.entries(value)) {
    const name = prefix + key;
    if (v === null || v === undefined) continue;
    if (typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, `${name}.`, out);
    else out[name] = typeof v === 'string' ? v : Array.isArray(v) ? JSON.stringify(v) : String(v);
  }
  return out;
}

function first(flat: Flat, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = flat[k];
    if (v !== undefined && v !== '') return v;
  }
  return null;
}

const EVENT_ID_KEYS = ['EventID', 'EventId', 'event_id', 'winlog.event_id', 'event.code'];
const CHANNEL_KEYS = ['Channel', 'channel', 'winlog.channel', 'log_name'];
const PROVIDER_KEYS = ['SourceName', 'Provider_Name', 'ProviderName', 'Provider', 'provider_name', 'source_name', 'winlog.provider_name', 'event.provider'];
const COMPUTER_KEYS = ['Hostname', 'Computer', 'computer_name', 'winlog.computer_name', 'host.name', 'host.hostname'];
const TIME_KEYS = ['TimeCreated', 'SystemTime', '@timestamp', 'EventTime', 'timestamp', 'winlog.time_created'];
const RECORD_KEYS = ['EventRecordID', 'RecordNumber', 'record_number', 'winlog.record_id'];
const SYSTEM_KEYS = ['Level', 'Task', 'Opcode', 'Keywords', 'Version', 'ProviderGuid', 'Provider_Guid', 'Severity', 'SeverityValue', 'Category', 'EventReceivedTime', 'SourceModuleName', 'SourceModuleType'];
/** Keys that describe the record, not the event's data; nested Winlogbeat ones by prefix. */
const META_KEYS = new Set([
  ...EVENT_ID_KEYS,
  ...CHANNEL_KEYS,
  ...PROVIDER_KEYS,
  ...COMPUTER_KEYS,
  ...TIME_KEYS,
  ...RECORD_KEYS,
  ...SYSTEM_KEYS,
  'ExecutionProcessID',
  'ThreadID',
  'UserID',
  'Message',
  'message',
  'host',
  'port',
  'tags',
]);
const DATA_PREFIXES = ['winlog.event_data.', 'winlog.user_data.', 'event_data.', 'EventData.', 'UserData.'];

function toInt(text: string | null): number | null {
  if (text === null || !/^\d+$/.test(text.trim())) return null;
  return Number(text);
}

/** One parsed JSON object → WindowsEvent (null when it carries no EventID). */
export function windowsEventFromJson(obj: Record<string, unknown>): WindowsEvent | null {
  const flat = flatten(obj);
  const eventId = toInt(first(flat, ...EVENT_ID_KEYS));
  if (eventId === null) return null;
  const data: Record<string, string> = {};
  const system: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(flat)) {
    const prefix = DATA_PREFIXES.find((p) => key.startsWith(p));
    if (prefix) data[key.slice(prefix.length)] = value;
    else if (SYSTEM_KEYS.includes(key) || key.startsWith('@')) system[key] = value;
    else if (!META_KEYS.has(key) && !key.includes('.')) data[key] = value;
    else if (key.includes('.') && !key.startsWith('winlog.')) system[key] = value;
  }
  return {
    provider: first(flat, ...PROVIDER_KEYS),
    eventId,
    channel: first(flat, ...CHANNEL_KEYS),
    computer: first(flat, ...COMPUTER_KEYS),
    timeCreated: first(flat, ...TIME_KEYS),
    recordId: toInt(first(flat, ...RECORD_KEYS)),
    executionPid: toInt(first(flat, 'ExecutionProcessID', 'winlog.process.pid')),
    executionTid: toInt(first(flat, 'ThreadID', 'winlog.process.thread.id')),
    userSid: first(flat, 'UserID', 'winlog.user.identifier'),
    system,
    data,
    message: first(flat, 'Message', 'message'),
  };
}

export const windowsEventJsonImporter: TextImporter = {
  mode: 'text',
  format: 'winevent-jsonl',
  module: import.meta.url,
  title: 'Windows events as JSON lines (Sysmon, Security, …)',
  reads: 'one Windows event per line: OTRF/Mordor (NXLog/Logstash flat keys) or Winlogbeat (winlog.*) JSON',
  version: '1.0.0',
  detect(sample: DetectSample) {
    const lines = sample.lines.filter((l) => l.trim() !== '');
    // The sample's last line may be cut off: judge the complete ones.
    const complete = lines.length > 1 ? lines.slice(0, -1) : lines;
    let parsed = 0;
    let windows = 0;
    let idOnly = 0;
    for (const l of complete.slice(0, 20)) {
      const record = parseJsonRecord(l);
      if (!record.ok) continue;
      parsed++;
      const ev = windowsEventFromJson(record.value);
      if (!ev) continue;
      if (ev.channel !== null || ev.provider !== null) windows++;
      else idOnly++;
    }
    if (parsed === 0) return 0;
    if (windows > 0 && windows * 2 >= parsed) return 0.9;
    if (windows + idOnly > 0 && (windows + idOnly) * 2 >= parsed) return 0.65;
    return 0;
  },
  open(ctx, sink) {
    const emitter = new WindowsEventEmitter(sink, { tz: ctx.tz, fallbackHost: ctx.host });
    return {
      line(text, n) {
        if (text.trim() === '') return sink.skip(n);
        const parsed = parseJsonRecord(text);
        if (!parsed.ok) return sink.reject(n, parsed.problem === 'too-deep' ? parsed.message : 'not a JSON object', text);
        const ev = windowsEventFromJson(parsed.value);
        if (!ev) return sink.reject(n, 'no EventID: not a Windows event', text);
        emitter.add(ev, n, text);
      },
      end() {
        emitter.finish();
      },
    };
  },
};
