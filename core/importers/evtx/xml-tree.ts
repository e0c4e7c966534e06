// The small XML tree both Windows-event readers build: the EVTX BinXML decoder and the text XML
// reader produce the same shape, so one function turns either into a WindowsEvent.
import type { WindowsEvent } from '../windows-events.ts';

export interface XmlElement {
  /** Local name, namespace prefix removed. */
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

export function isElement(node: XmlNode): node is XmlElement {
  return typeof node !== 'string';
}

export function childElements(el: XmlElement): XmlElement[] {
  return el.children.filter(isElement);
}

export function childElement(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c): c is XmlElement => isElement(c) && c.name === name);
}

/** All text inside the element, descendants included. */
export function textOf(el: XmlElement): string {
  return el.children.map((c) => (isElement(c) ? textOf(c) : c)).join('');
}

/** Strips a namespace prefix ("evt:Event" → "Event"). */
export function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon >= 0 ? qualified.slice(colon + 1) : qualified;
}

function optionalText(el: XmlElement | undefined): string | null {
  if (!el) return null;
  const text = textOf(el).trim();
  return text === '' ? null : text;
}

function optionalNumber(text: string | null | undefined): number | null {
  if (text === null || text === undefined || text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/**
 * Name→value pairs of <EventData> (<Data Name="x">v</Data>, unnamed <Data> as Data1, Data2…)
 * or of <UserData> (its single child element's children, e.g. LogFileCleared/SubjectUserName).
 */
function eventDataOf(event: XmlElement): Record<string, string> {
  const data: Record<string, string> = {};
  const eventData = childElement(event, 'EventData');
  if (eventData) {
    let unnamed = 0;
    for (const d of childElements(eventData)) {
      const name = d.attrs['Name'] ?? (d.name === 'Data' ? `Data${++unnamed}` : d.name);
      data[name] = textOf(d);
    }
  }
  const userData = childElement(event, 'UserData');
  if (userData) {
    for (const wrapper of childElements(userData)) {
      for (const d of childElements(wrapper)) data[d.attrs['Name'] ?? d.name] = textOf(d);
    }
  }
  return data;
}

/** <Event> element → WindowsEvent, or an error message when it is not a Windows event. */
export function windowsEventFromXml(event: XmlElement): WindowsEvent | string {
  if (event.name !== 'Event') return `root element is <${event.name}>, not <Event>`;
  const system = childElement(event, 'System');
  if (!system) return '<Event> has no <System> element';
  const provider = childElement(system, 'Provider');
  const time = childElement(system, 'TimeCreated');
  const execution = childElement(system, 'Execution');
  const security = childElement(system, 'Security');
  const rendering = childElement(event, 'RenderingInfo');
  const eventIdText = optionalText(childElement(system, 'EventID'));
  return {
    provider: provider?.attrs['Name'] ?? provider?.attrs['EventSourceName'] ?? null,
    eventId: optionalNumber(eventIdText),
    channel: optionalText(childElement(system, 'Channel')),
    computer: optionalText(childElement(system, 'Computer')),
    timeCreated: time?.attrs['SystemTime'] ?? optionalText(time),
    recordId: optionalNumber(optionalText(childElement(system, 'EventRecordID'))),
    executionPid: optionalNumber(execution?.attrs['ProcessID']),
    executionTid: optionalNumber(execution?.attrs['ThreadID']),
    userSid: security?.attrs['UserID'] ?? null,
    system: {
      Level: optionalText(childElement(system, 'Level')),
      Task: optionalText(childElement(system, 'Task')),
      Opcode: optionalText(childElement(system, 'Opcode')),
      Keywords: optionalText(childElement(system, 'Keywords')),
      Version: optionalText(childElement(system, 'Version')),
    },
    data: eventDataOf(event),
    message: rendering ? optionalText(childElement(rendering, 'Message')) : null,
  };
}
