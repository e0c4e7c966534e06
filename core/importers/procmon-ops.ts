// What Procmon's operations mean on the canonical timeline, shared by the CSV and the native PML
// importers so the same capture imported either way gives the same events. Procmon hooks the
// I/O manager, the registry and process callbacks: file-system and registry operations are the
// Windows counterpart of system calls (kind `api`); process, thread and image-load callbacks and
// network events are surrounding events with their own kinds.
import type { CanonicalEvent, Category, EventKind } from '../model/event.ts';

/** Procmon's "Event Class" column values (the PML stores them as numbers 1..5). */
export type ProcmonEventClass = 'Process' | 'Registry' | 'File System' | 'Profiling' | 'Network';

export interface ProcmonClassification {
  kind: EventKind;
  category: Category;
  eventClass: ProcmonEventClass;
}

const PROCESS_OPERATIONS = new Set([
  'Process Defined',
  'Process Create',
  'Process Start',
  'Process Exit',
  'Thread Create',
  'Thread Exit',
  'Load Image',
  'Process Statistics',
  'System Statistics',
]);

const PROFILING_OPERATIONS = new Set(['Thread Profiling', 'Process Profiling', 'Debug Output Profiling', 'Thread Profile']);

// IOCTLs reach drivers rather than files: grouping them as devices keeps ICS driver traffic
// (fieldbus cards, serial ports) apart from ordinary file reads.
const DEVICE_OPERATIONS = new Set(['DeviceIoControl', 'InternalDeviceIoControl']);

function classOf(op: string, eventClass: string | undefined): ProcmonEventClass {
  switch (eventClass?.trim()) {
    case 'Process':
    case 'Registry':
    case 'File System':
    case 'Profiling':
    case 'Network':
      return eventClass.trim() as ProcmonEventClass;
    default:
      break;
  }
  // No (or an unknown) Event Class column: judge from the operation name.
  if (PROCESS_OPERATIONS.has(op)) return 'Process';
  if (PROFILING_OPERATIONS.has(op)) return 'Profiling';
  if (/^(TCP|UDP) /.test(op)) return 'Network';
  if (/^Reg[A-Z]/.test(op)) return 'Registry';
  return 'File System';
}

// The few possible classifications, made once: every row gets one of these (no object per row).
const MODULE_LOAD: ProcmonClassification = Object.freeze({ kind: 'process', category: 'module', eventClass: 'Process' });
const PROCESS: ProcmonClassification = Object.freeze({ kind: 'process', category: 'process', eventClass: 'Process' });
const REGISTRY: ProcmonClassification = Object.freeze({ kind: 'api', category: 'registry', eventClass: 'Registry' });
const NETWORK: ProcmonClassification = Object.freeze({ kind: 'network', category: 'network', eventClass: 'Network' });
const PROFILING: ProcmonClassification = Object.freeze({ kind: 'log', category: 'system', eventClass: 'Profiling' });
const DEVICE: ProcmonClassification = Object.freeze({ kind: 'api', category: 'device', eventClass: 'File System' });
const FILE: ProcmonClassification = Object.freeze({ kind: 'api', category: 'file', eventClass: 'File System' });

/** Kind and category of a Procmon operation; `eventClass` wins when the export carries it. */
export function classifyProcmonOperation(op: string, eventClass?: string): Readonly<ProcmonClassification> {
  switch (classOf(op, eventClass)) {
    case 'Process':
      return op === 'Load Image' ? MODULE_LOAD : PROCESS;
    case 'Registry':
      return REGISTRY;
    case 'Network':
      return NETWORK;
    case 'Profiling':
      return PROFILING;
    case 'File System':
      return DEVICE_OPERATIONS.has(op) ? DEVICE : FILE;
  }
}

export interface NetworkEndpoints {
  localAddr: string;
  localPort: string;
  remoteAddr: string;
  remotePort: string;
}

/** "host:port" → [host, port]; the port may be a service name ("domain", "https"). */
function splitHostPort(text: string): [string, string] | null {
  const t = text.trim();
  const bracketed = /^\[([^\]]+)\]:(\S+)$/.exec(t);
  if (bracketed?.[1] !== undefined && bracketed[2] !== undefined) return [bracketed[1], bracketed[2]];
  const colon = t.lastIndexOf(':');
  if (colon <= 0 || colon === t.length - 1) return null;
  return [t.slice(0, colon), t.slice(colon + 1)];
}

/**
 * Procmon's network Path "local:port -> remote:port". Procmon always writes the local end
 * first, for sends and receives alike, so the right-hand side is the remote peer.
 */
export function parseNetworkPath(path: string): NetworkEndpoints | null {
  const arrow = path.indexOf(' -> ');
  if (arrow < 0) return null;
  const local = splitHostPort(path.slice(0, arrow));
  const remote = splitHostPort(path.slice(arrow + 4));
  if (!local || !remote) return null;
  return { localAddr: local[0], localPort: local[1], remoteAddr: remote[0], remotePort: remote[1] };
}

/** One Procmon event as both importers read it, before it becomes a canonical event. */
export interface ProcmonRecord {
  tsUs: number;
  durUs: number | null;
  pid: number | null;
  tid: number | null;
  ppid: number | null;
  process: string | null;
  op: string;
  eventClass?: string;
  path: string;
  result: string;
  detail: string;
  host: string | null;
  /** Extra source columns worth keeping (image path, command line, user, integrity, …). */
  extra: Record<string, string | number | boolean | null>;
}

const CHILD_PID = /(?:^|, )PID: (\d+)/;

type Fields = Record<string, string | number | boolean | null>;

/**
 * One frozen fields object per distinct (event class, extra columns): Procmon repeats the
 * process's image path, command line, user… on every row, and the store serialises a shared
 * frozen object once (event-chunk.ts) instead of once per event.
 *
 * Finding the shared object must cost less than building one: rows of one process repeat the
 * same values, so the last few objects seen for the process's PID are compared value by value
 * first (no key string is built); only a miss builds the key of the process-wide map.
 */
interface SharedEntry {
  eventClass: string;
  extra: ProcmonRecord['extra'];
  size: number;
  fields: Fields;
}
const sharedFields = new Map<string, SharedEntry>();
const SHARED_FIELDS_LIMIT = 20_000;
const recentByPid = new Map<number | null, SharedEntry[]>();
const RECENT_PER_PID = 6;

function sameExtra(entry: SharedEntry, eventClass: string, extra: ProcmonRecord['extra']): boolean {
  if (entry.eventClass !== eventClass) return false;
  const seen = entry.extra;
  let size = 0;
  for (const name in extra) {
    if (seen[name] !== extra[name]) return false;
    size++;
  }
  return size === entry.size;
}

function fieldsFor(eventClass: string, extra: ProcmonRecord['extra'], pid: number | null): Fields {
  let recent = recentByPid.get(pid);
  if (recent) {
    for (const entry of recent) if (sameExtra(entry, eventClass, extra)) return entry.fields;
  } else {
    if (recentByPid.size >= SHARED_FIELDS_LIMIT) recentByPid.clear();
    recent = [];
    recentByPid.set(pid, recent);
  }
  let key = eventClass;
  let size = 0;
  for (const name in extra) {
    key += `\u0000${name}\u0001${String(extra[name])}`;
    size++;
  }
  let entry = sharedFields.get(key);
  if (!entry) {
    if (sharedFields.size >= SHARED_FIELDS_LIMIT) sharedFields.clear();
    entry = { eventClass, extra: { ...extra }, size, fields: Object.freeze({ event_class: eventClass, ...extra }) };
    sharedFields.set(key, entry);
  }
  if (recent.length >= RECENT_PER_PID) recent.pop();
  recent.unshift(entry);
  return entry.fields;
}

/**
 * The shared frozen fields object of a record's event class and extra columns (before the
 * per-event additions of procmonRecordToEvent): content-equal inputs give content-equal objects.
 */
export function procmonSharedFields(eventClass: ProcmonEventClass, extra: ProcmonRecord['extra'], pid: number | null): ProcmonFields {
  return fieldsFor(eventClass, extra, pid);
}

export type ProcmonFields = Readonly<Fields>;

/**
 * The canonical event for a Procmon record; identical for CSV and PML input by construction.
 * `shared`, when given, is what procmonSharedFields returns for this record (a caller that
 * already knows it, the CSV reader's repeated rows, saves looking it up again), and
 * `classified` what classifyProcmonOperation returns for its operation and event class.
 */
export function procmonRecordToEvent(
  record: ProcmonRecord,
  sourceLine: number,
  shared?: ProcmonFields,
  classified: Readonly<ProcmonClassification> = classifyProcmonOperation(record.op, record.eventClass),
): CanonicalEvent {
  const { kind, category, eventClass } = classified;
  let fields: Fields = shared ?? fieldsFor(eventClass, record.extra, record.pid);
  let target: string | null = record.path === '' ? null : record.path;
  if (kind === 'network') {
    const ends = parseNetworkPath(record.path);
    if (ends) {
      target = `${ends.remoteAddr}:${ends.remotePort}`;
      fields = { ...fields };
      fields['local_addr'] = ends.localAddr;
      fields['local_port'] = ends.localPort;
      fields['remote_addr'] = ends.remoteAddr;
      fields['remote_port'] = ends.remotePort;
      fields['protocol'] = record.op.startsWith('UDP') ? 'udp' : 'tcp';
    }
  }
  if (record.op === 'Process Create') {
    const child = CHILD_PID.exec(record.detail);
    if (child?.[1] !== undefined) fields = { ...fields, child_pid: Number(child[1]) };
  }
  const result = record.result.trim();
  return {
    ts_us: record.tsUs,
    dur_us: record.durUs,
    host: record.host,
    pid: record.pid,
    tid: record.tid,
    ppid: record.ppid,
    process: record.process,
    kind,
    op: record.op,
    category,
    target,
    args: record.detail === '' ? null : record.detail,
    ret: result === '' ? null : result,
    error: result === '' || result === 'SUCCESS' ? null : result,
    source_line: sourceLine,
    fields,
  };
}
