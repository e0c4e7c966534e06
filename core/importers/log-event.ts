// Turns one generic log record (a JSON object or a CSV row, flattened) into a canonical
// event, using the layout from log-fields.ts and the kind rules from log-kind.ts.
import { isEventKind, type CanonicalEvent } from '../model/event.ts';
import type { ImportContext } from './types.ts';
import { baseName, isNumeric, toInt, toText, type FlatRecord, type Primitive, type RecordLayout } from './log-fields.ts';
import { categoryForKind, inferKind, normaliseSeverity, PROCESS_EVENTS, shortOp, splitComponent, splitLeadingSeverity } from './log-kind.ts';
import { squash, timeNameScore } from './log-time.ts';

const MAX_TEXT = 4000;
const MAX_FIELDS = 80;
/** Fields whose value is the outcome of the event (exit code, return value). */
const RESULT_NAMES = new Set(['exitcode', 'exitstatus', 'returncode', 'ret', 'retval', 'returnvalue', 'result']);
/** Three or more words: a sentence, not an operation name such as "process_start" or "Process Create". */
const PROSE = /\S\s+\S+\s+\S/;

/** Per-import memory: the last known name of each pid, so fork/exit lines can be named too. */
export class ProcessNames {
  private readonly names = new Map<number, string>();
  get(pid: number | null): string | null {
    return pid === null ? null : (this.names.get(pid) ?? null);
  }
  set(pid: number | null, name: string | null): void {
    if (pid === null || name === null) return;
    if (this.names.size > 200_000) this.names.clear(); // bounded: a huge capture only loses naming of old pids
    this.names.set(pid, name);
  }
}

export function buildRecordEvent(
  rec: FlatRecord,
  layout: RecordLayout,
  tsUs: number,
  sourceLine: number,
  ctx: ImportContext,
  names: ProcessNames,
): CanonicalEvent {
  const get = (role: keyof RecordLayout['roles']): Primitive | undefined => {
    const name = layout.roles[role];
    return name === undefined ? undefined : rec.get(name);
  };
  let opRaw = toText(get('op'));
  let messageRaw = toText(get('message'));
  // A record whose only human text sits in its op-like field ({"event": "HIGH LEVEL tank T-100"}):
  // that prose is the message, so it reads, names the op and is searched like any msg field.
  if (messageRaw === null && opRaw !== null && PROSE.test(opRaw)) {
    messageRaw = opRaw;
    opRaw = null;
  }
  const cmdline = toText(get('cmdline'));
  const exe = toText(get('exe'));
  let pid = toInt(get('pid'));
  let tid = toInt(get('tid'));
  if (layout.pidIsTgid && tid === pid) tid = null; // main thread: tid says nothing new
  if (pid === null && tid !== null && layout.pidIsTgid) [pid, tid] = [tid, null];
  const ppid = toInt(get('ppid'));

  let severity = normaliseSeverity(get('severity') ?? null);
  let component: string | null = null;
  let body = messageRaw;
  if (body !== null) {
    const lead = splitLeadingSeverity(body);
    if (lead.severity !== null) {
      severity ??= lead.severity;
      body = lead.rest;
    }
    const comp = splitComponent(body);
    component = comp.component;
    body = comp.rest;
  }

  // Everything that is not the time or the text shown in args stays in `fields`.
  const skip = new Set([layout.ts, layout.roles.message, layout.roles.cmdline].filter((n): n is string => n !== undefined && n !== null));
  const fields: Record<string, Primitive> = {};
  const rest: [string, Primitive][] = [];
  for (const [k, v] of rec) {
    if (skip.has(k)) continue;
    if (Object.keys(fields).length < MAX_FIELDS) fields[k] = typeof v === 'string' ? v.slice(0, MAX_TEXT) : v;
    if (!Object.values(layout.roles).includes(k)) rest.push([k, v]);
  }
  if (severity !== null) fields['severity'] ??= severity;
  if (component !== null) fields['component'] = component;

  const processEvent = opRaw !== null && PROCESS_EVENTS.has(opRaw.toLowerCase()) && pid !== null;
  const filled = rest.filter(([, v]) => v !== null && v !== '');
  const measurement = opRaw === null && messageRaw === null && filled.length > 0 && filled.every(([, v]) => isNumeric(v));

  const kindValue = toText(get('kind'));
  const alarmField = rest.some(([k, v]) => /^alarms?$/.test(squash(k)) && isTruthy(v));
  // Other time fields (receive time, monotonic clocks) stay in `fields` but clutter args.
  const restText = filled
    .filter(([k]) => timeNameScore(k) === 0)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  const program = toText(get('process'));
  let kindCat = inferKind({
    severity,
    program,
    text: messageRaw ?? [opRaw, restText].filter(Boolean).join(' '),
    alarmField,
    processEvent,
  });
  if (kindValue !== null && isEventKind(kindValue.toLowerCase())) {
    const kind = kindValue.toLowerCase() as CanonicalEvent['kind'];
    kindCat = { kind, category: categoryForKind(kind) };
  }
  if (measurement) kindCat = { kind: 'log', category: 'log' };

  let processName = program ?? commandName(cmdline) ?? (exe !== null ? baseName(exe) : null);
  if (processEvent) {
    const event = (opRaw ?? '').toLowerCase();
    if (processName === null) processName = names.get(pid) ?? (event === 'fork' || event === 'clone' ? names.get(ppid) : null);
    names.set(pid, processName);
  } else {
    processName ??= names.get(pid);
  }

  let op: string;
  if (opRaw !== null) op = opRaw;
  else if (body !== null) op = shortOp(body, component);
  else if (measurement) op = 'historian sample';
  else op = 'record';

  const resultField = rest.find(([k]) => RESULT_NAMES.has(squash(k)));
  return {
    ts_us: tsUs,
    host: toText(get('host')) ?? ctx.host,
    pid,
    tid,
    ppid,
    process: processName,
    kind: kindCat.kind,
    category: kindCat.category,
    op: op.slice(0, 200),
    target: toText(get('target')) ?? exe,
    args: (messageRaw ?? cmdline ?? (restText === '' ? null : restText))?.slice(0, MAX_TEXT) ?? null,
    ret: resultField ? toText(resultField[1]) : null,
    source_line: sourceLine,
    fields,
    level: severity,
  };
}

/** First word of a command line, as a program name ("/bin/sh -c ping" → "sh"). */
function commandName(cmdline: string | null): string | null {
  if (cmdline === null) return null;
  const first = /^"([^"]+)"|^(\S+)/.exec(cmdline);
  const word = first?.[1] ?? first?.[2];
  return word ? baseName(word) : null;
}

function isTruthy(v: Primitive): boolean {
  if (v === null || v === false || v === 0) return false;
  if (typeof v === 'string') return !/^(|0|false|no|none|off|null|-)$/i.test(v.trim());
  return true;
}
