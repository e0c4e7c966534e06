// Sysmon events embedded in a CAPE report (`sysmon[]`): Windows event XML converted to JSON
// xmltodict-style ("@Name" attributes, "#text", repeated elements as lists, every value a
// string). Each entry is turned back into the XML tree the EVTX and XML readers build and read
// by windowsEventFromXml, then mapped and timed by the shared Windows mapping (windows-events.ts,
// evtx/event-catalog.ts, evtx/clock-alignment.ts), so a Sysmon event reads the same whether it
// came from a CAPE report, an .evtx, an XML export or JSON lines.
import type { CanonicalEvent } from '../model/event.ts';
import type { ImportSink } from './types.ts';
import { WindowsEventEmitter } from './evtx/clock-alignment.ts';
import { localName, windowsEventFromXml, type XmlElement } from './evtx/xml-tree.ts';
import type { WindowsEvent } from './windows-events.ts';

/** The list is Sysmon's by definition; entries that omit Provider/Channel are read as Sysmon's. */
const SYSMON_PROVIDER = 'Microsoft-Windows-Sysmon';
const SYSMON_CHANNEL = 'Microsoft-Windows-Sysmon/Operational';

function obj(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function scalarText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** One xmltodict value → the element it was converted from (null → an empty element). */
function xmlElement(name: string, value: unknown): XmlElement {
  const el: XmlElement = { name: localName(name), attrs: {}, children: [] };
  const text = scalarText(value);
  if (text !== null) {
    el.children.push(text);
    return el;
  }
  const o = obj(value);
  if (!o) return el;
  for (const [key, v] of Object.entries(o)) {
    if (key.startsWith('@')) {
      const attr = scalarText(v);
      if (attr !== null) el.attrs[localName(key.slice(1))] = attr;
    } else if (key === '#text') {
      const t = scalarText(v);
      if (t !== null) el.children.push(t);
    } else if (Array.isArray(v)) {
      for (const item of v as unknown[]) el.children.push(xmlElement(key, item));
    } else {
      el.children.push(xmlElement(key, v));
    }
  }
  return el;
}

/** One `sysmon[]` entry → a WindowsEvent, or the reason it cannot be read. */
export function windowsEventFromCape(value: unknown): WindowsEvent | string {
  const entry = obj(value);
  if (!entry || !obj(entry['System'])) return 'Sysmon entry without a System block';
  const ev = windowsEventFromXml(xmlElement('Event', entry));
  if (typeof ev === 'string') return ev;
  if (ev.eventId === null) return 'Sysmon entry without an EventID';
  return { ...ev, provider: ev.provider ?? SYSMON_PROVIDER, channel: ev.channel ?? SYSMON_CHANNEL };
}

/**
 * Maps a report's Sysmon entries through the shared Windows mapping and reports them to `sink`.
 * `host` (--host, else the guest's name) is the host of every event, as for the API calls.
 * Events keep fields.source = "sysmon" and fields.event_id next to the shared Windows fields.
 */
export function emitCapeSysmon(entries: readonly { entry: unknown; line: number }[], host: string | null, sink: ImportSink): void {
  const tagged: ImportSink = {
    event: (e: CanonicalEvent) => sink.event({ ...e, fields: { source: 'sysmon', event_id: e.fields?.['EventID'] ?? null, ...e.fields } }),
    reject: (line, reason, raw) => sink.reject(line, reason, raw),
    continuation: (line) => sink.continuation(line),
    skip: (line) => sink.skip(line),
    warn: (message) => sink.warn(message),
    usedDate: () => sink.usedDate(),
    usedStart: () => sink.usedStart(),
  };
  // Windows writes SystemTime in UTC and Sysmon's UtcTime is UTC: --tz (the guest clock of the
  // API calls) does not apply.
  const emitter = new WindowsEventEmitter(tagged, { tz: 'UTC', fallbackHost: host });
  for (const { entry, line } of entries) {
    const raw = JSON.stringify(entry).slice(0, 200);
    const ev = windowsEventFromCape(entry);
    if (typeof ev === 'string') sink.reject(line, ev, raw);
    else emitter.add({ ...ev, computer: host ?? ev.computer }, line, raw);
  }
  emitter.finish();
}
