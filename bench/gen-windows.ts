// A deterministic Windows case for bench/sigma-windows.ts: the real events of the corpus — its
// .evtx files (SigmaHQ's regression samples in ../shared/sigma/regression_data, the public EVTX
// captures: Sysmon, Security, Application) decoded by our own EVTX reader, and its Windows JSON
// lines (OTRF's Sysmon + Security sets: image load, process access, DNS, Security 4688…) read by
// our JSON-lines mapping — replicated to N events with varied hosts, users, process ids/GUIDs,
// record ids and times (one day, in order), and written as one Windows XML export (the
// winevent-xml importer reads it). Kinds are drawn in proportion to the square root of how often
// the corpus holds them, so one big sample (e.g. 267 AppX events) does not make up the case.
// Same sources and N → same bytes: a seeded generator, no clock, no Math.random.
import { createWriteStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkBinXml, findEventElement } from '../core/importers/evtx/binxml.ts';
import { checkChunk, CHUNK_SIZE, readFileHeader, scanRecords } from '../core/importers/evtx/chunk.ts';
import { windowsEventFromXml } from '../core/importers/evtx/xml-tree.ts';
import { windowsEventFromJson } from '../core/importers/winevent-jsonl.ts';
import type { WindowsEvent } from '../core/importers/windows-events.ts';
import { mulberry32 } from '../core/testing/prng.ts';

const NAMESPACE = 'http://schemas.microsoft.com/win/2004/08/events/event';
const HOSTS = ['WS-ENG-01', 'WS-ENG-02', 'WS-OPS-01', 'HMI-01', 'HMI-02', 'HIST-01', 'DC-01', 'JUMP-01'];
const USERS = ['operator', 'engineer', 'jdoe', 'asmith', 'svc_backup', 'maint'];
const DAY_START_MS = Date.UTC(2026, 10, 20, 6, 0, 0);
const DAY_MS = 24 * 3600 * 1000;
/** EventData fields holding process ids, shifted per copy so copies are distinct processes. */
const PID_FIELDS = ['ProcessId', 'ParentProcessId', 'SourceProcessId', 'TargetProcessId', 'NewProcessId', 'ProcessID'];
const GUID_FIELDS = ['ProcessGuid', 'ParentProcessGuid', 'SourceProcessGuid', 'TargetProcessGuid'];

/** Every .evtx and .json under the folders, sorted (the order fixes the output). */
export function sourceFilesUnder(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(evtx|json)$/i.test(name)) out.push(p);
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

/** The Windows events of a JSON-lines file (lines that are not one are passed over: a pretty-printed .json yields none). */
export function readJsonLinesEvents(path: string): WindowsEvent[] {
  const out: WindowsEvent[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const ev = windowsEventFromJson(JSON.parse(line) as Record<string, unknown>);
      if (ev) out.push(ev);
    } catch {
      // not a JSON object on one line
    }
  }
  return out;
}

/** The records of one .evtx that decode (damaged chunks and records are passed over). */
export function readEvtxEvents(path: string): WindowsEvent[] {
  const bytes = new Uint8Array(readFileSync(path));
  const header = readFileHeader(bytes.subarray(0, 4096));
  const out: WindowsEvent[] = [];
  for (let offset = header?.headerBlockSize ?? 4096; offset + CHUNK_SIZE <= bytes.length; offset += CHUNK_SIZE) {
    const chunk = bytes.subarray(offset, offset + CHUNK_SIZE);
    const check = checkChunk(chunk);
    if (check.status !== 'ok') continue;
    const decoder = new ChunkBinXml(chunk);
    for (const scanned of scanRecords(chunk, check.freeSpaceOffset)) {
      if ('corrupt' in scanned) break;
      try {
        const root = findEventElement(decoder.decode(scanned.record.binXmlStart, scanned.record.binXmlEnd));
        const ev = root ? windowsEventFromXml(root) : null;
        if (ev && typeof ev !== 'string') out.push(ev);
      } catch {
        // an unreadable record: the bench needs events, not this one
      }
    }
  }
  return out;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** XML 1.0 refuses most control characters; the importer does too. */
const clean = (s: string): string => Array.from(s, (ch) => (ch.charCodeAt(0) < 0x20 && ch !== '\t' && ch !== '\n' && ch !== '\r' ? ' ' : ch)).join('');

function sysmonTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** Copy `copy` of an event at `ms`: another host, user, process ids and GUIDs (copy 0 keeps its own). */
function varied(ev: WindowsEvent, copy: number, ms: number, recordId: number): WindowsEvent {
  const data: Record<string, string> = { ...ev.data };
  if ('UtcTime' in data) data['UtcTime'] = sysmonTime(ms);
  if (copy > 0) {
    const user = USERS[copy % USERS.length] as string;
    for (const [k, v] of Object.entries(data)) data[k] = v.replace(/(\\Users\\)(?!Public\\|Default\\|All Users\\)[^\\]+/gi, `$1${user}`);
    for (const k of PID_FIELDS) {
      const v = data[k];
      if (v !== undefined && /^\d+$/.test(v)) data[k] = String(((Number(v) + copy * 4) % 65_532) + 4);
    }
    const suffix = copy.toString(16).padStart(12, '0').toUpperCase();
    for (const k of GUID_FIELDS) {
      const v = data[k];
      if (v !== undefined && /[0-9A-F]{12}\}?$/i.test(v)) data[k] = v.replace(/[0-9A-F]{12}(\}?)$/i, `${suffix}$1`);
    }
  }
  return {
    ...ev,
    computer: copy === 0 ? ev.computer : (HOSTS[copy % HOSTS.length] as string),
    timeCreated: new Date(ms).toISOString().replace('Z', '0000Z'),
    recordId,
    data,
  };
}

function eventXml(ev: WindowsEvent): string {
  const tag = (name: string, v: string | null | undefined): string => (v === null || v === undefined ? '' : `<${name}>${esc(clean(v))}</${name}>`);
  const sys = ['Version', 'Level', 'Task', 'Opcode', 'Keywords'].map((k) => tag(k, ev.system[k])).join('');
  const data = Object.entries(ev.data)
    .map(([k, v]) => `<Data Name="${esc(clean(k))}">${esc(clean(v))}</Data>`)
    .join('');
  return (
    `<Event xmlns="${NAMESPACE}"><System><Provider Name="${esc(ev.provider ?? '')}"/>${tag('EventID', ev.eventId === null ? null : String(ev.eventId))}${sys}` +
    `<TimeCreated SystemTime="${ev.timeCreated ?? ''}"/>${tag('EventRecordID', String(ev.recordId ?? 0))}` +
    `<Execution ProcessID="${ev.executionPid ?? 0}" ThreadID="${ev.executionTid ?? 0}"/>${tag('Channel', ev.channel)}${tag('Computer', ev.computer)}` +
    `${ev.userSid ? `<Security UserID="${esc(ev.userSid)}"/>` : ''}</System><EventData>${data}</EventData></Event>\n`
  );
}

export interface WindowsCaseSummary {
  events: number;
  sourceFiles: number;
  sourceEvents: number;
  /** Source events by "Channel EventID" (what the case is made of). */
  mix: Record<string, number>;
}

/** Writes `events` Windows events built from the .evtx files under `sourceDirs` to `out` (XML). */
export async function generateWindowsCase(out: string, sourceDirs: string[], events: number): Promise<WindowsCaseSummary> {
  const files = sourceFilesUnder(sourceDirs);
  const pool = files.flatMap((f) => (/\.evtx$/i.test(f) ? readEvtxEvents(f) : readJsonLinesEvents(f))).filter((e) => e.eventId !== null);
  if (pool.length === 0) throw new Error(`no readable Windows events under ${sourceDirs.join(', ')}`);
  const mix: Record<string, number> = {};
  const kinds = new Map<string, WindowsEvent[]>();
  for (const e of pool) {
    const kind = `${e.channel ?? '?'} ${e.eventId}`;
    mix[kind] = (mix[kind] ?? 0) + 1;
    const list = kinds.get(kind);
    if (list) list.push(e);
    else kinds.set(kind, [e]);
  }
  // Cumulative weights (√count) over the kinds in first-seen order; each kind's events round-robin.
  const kindList = [...kinds.values()];
  const cumulative: number[] = [];
  kindList.reduce((acc, list) => (cumulative.push(acc + Math.sqrt(list.length)), acc + Math.sqrt(list.length)), 0);
  const totalWeight = cumulative[cumulative.length - 1] as number;
  const drawn = kindList.map(() => 0);
  const rand = mulberry32(12);
  const stream = createWriteStream(out);
  const write = (s: string): Promise<void> => new Promise((resolve) => (stream.write(s) ? resolve() : stream.once('drain', () => resolve())));
  await write('<Events>\n');
  const step = DAY_MS / events;
  for (let i = 0; i < events; i++) {
    const ms = Math.floor(DAY_START_MS + i * step + rand() * step * 0.9);
    const x = rand() * totalWeight;
    let k = cumulative.findIndex((c) => x < c);
    if (k < 0) k = kindList.length - 1;
    const list = kindList[k] as WindowsEvent[];
    const n = drawn[k] as number;
    drawn[k] = n + 1;
    await write(eventXml(varied(list[n % list.length] as WindowsEvent, Math.floor(n / list.length), ms, i + 1)));
  }
  await write('</Events>\n');
  await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { events, sourceFiles: files.length, sourceEvents: pool.length, mix };
}
