// Built-in checks over the case's links (core/links): what no single-capture rule can see, because
// the process is in one capture and the controller write or the alarm in another.
//  (a) a process that is not the usual writer of a controller writes coils/registers: not among
//      the writers seen in the baseline captures when they wrote to it, else not the process that
//      made most of the requests (reads and writes) to it — the HMI runtime that polls it;
//  (b) a controller write followed by an alarm within the link window (an `ics-alarm` link);
//  (c) a connection to a controller from a process tree that started from a shell (sh, bash,
//      dash, cmd, powershell … among the process or its ancestors in the process tree).
// Every hit names the chain's events (connect, write, alarm) so findings and the incidents built
// from them show each step; the host-side call comes first so findings group by process.
import { baseName, processLabel } from '../links/process-label.ts';
import { allLinks } from '../links/store.ts';
import type { Link } from '../model/link.ts';
import type { ProcessNode } from '../model/process.ts';
import { readProcessTree } from '../process/store.ts';
import type { CaseStore } from '../store/case-store.ts';
import { EVENT_SELECT, EVENT_SPEC } from '../store/event-rows.ts';
import { sql } from '../store/sql.ts';
import type { Hit, TriageEvent } from './engine.ts';
import type { Rule } from './sigma/types.ts';

function builtIn(id: string, title: string, description: string, level: Rule['level'], attack: string[], why: string, check_next: string[], falsepositives: string[]): Rule {
  return {
    id, title, description, level, attack, tags: attack.map((a) => `attack.${a.toLowerCase()}`), logsource: { category: 'links' }, selections: new Map(),
    condition: null, correlation: null, why, check_next, falsepositives, score: null, groupBy: 'process', file: '(built-in: links)', line: 0,
  };
}

export const UNUSUAL_WRITER_RULE = builtIn(
  'tb-ics-unusual-writer',
  'Controller written by a process that is not its usual writer',
  'A Modbus/S7/DNP3/CIP write on the wire is linked (connect → flow → operation) to a process other than the one that normally talks to this controller (the baseline captures\' writers, else the process with most requests to it).',
  'high',
  ['T0855', 'T0836'],
  'On a plant network only the HMI or engineering station should change a controller: a write from any other program is how an intruder changes setpoints or coils.',
  ['Follow the write back to its process and the process tree: who started it, from where?', 'Compare the written value with the recipe and the PLC\'s own log (old → new).'],
  ['A second legitimate writer (engineering workstation, a recipe tool) not present in the baseline'],
);

export const WRITE_THEN_ALARM_RULE = builtIn(
  'tb-ics-write-then-alarm',
  'Controller write followed by an alarm',
  'An alarm was recorded within the link window after an ICS write to a controller (ics-alarm link): the write may have caused it.',
  'medium',
  ['T0831', 'T0836'],
  'A process alarm right after a write is the plant reacting to the change: the write is the first thing to check.',
  ['Follow the write to the process that sent it.', 'Check the alarm\'s tag against the register or coil written.'],
  ['An operator\'s legitimate change that crossed an alarm limit', 'An alarm with another cause that happened to follow a routine write'],
);

export const SHELL_CONTROLLER_RULE: Rule = {
  ...builtIn(
  'tb-ics-shell-controller-connection',
  'Connection to a controller from a process tree started from a shell',
  'A connection linked to a flow that carried ICS operations (or to an ICS port) was opened by a process that is, or descends from, a command shell.',
  'high',
  ['T0807', 'T1059', 'T0855'],
  'HMI runtimes talk to controllers from a service, not from a shell: a shell-started client is someone at a prompt, or a script an intruder dropped.',
  ['Read the shell\'s command lines and where the shell itself came from (an injected command, a login).', 'List the operations the connection carried (follow it).'],
  ['An engineer testing a controller with a command-line Modbus client'],
  ),
  // One finding per shell-started tree, however many tools in it connected.
  groupBy: 'tree',
};

export const LINK_RULES: readonly Rule[] = [UNUSUAL_WRITER_RULE, WRITE_THEN_ALARM_RULE, SHELL_CONTROLLER_RULE];

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'csh', 'tcsh', 'fish', 'busybox', 'cmd', 'cmd.exe', 'powershell', 'powershell.exe', 'pwsh', 'pwsh.exe']);
/** Well-known ICS server ports: Modbus, S7/ISO-TSAP, DNP3, EtherNet/IP, IEC 104, OPC UA, BACnet. */
const ICS_PORTS = new Set([502, 102, 20000, 44818, 2222, 2404, 4840, 47808]);
const ENDPOINT = /(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):(\d{1,5})/g;


/** Who a process is, for "the usual writer": the image, or for an interpreter the script it runs. */
export function writerIdentity(node: ProcessNode | undefined, event: { pid: number | null; capture_id: number }): string {
  if (!node) return `pid ${event.pid ?? '?'} (capture ${event.capture_id})`;
  return processLabel(node) ?? `pid ${node.pid}`;
}

/** The nearest shell among a process and its ancestors, or null. */
export function shellAncestor(node: ProcessNode | undefined, byId: ReadonlyMap<number, ProcessNode>): ProcessNode | null {
  const seen = new Set<number>();
  for (let p = node; p && !seen.has(p.proc_id); p = p.parent_id === null ? undefined : byId.get(p.parent_id)) {
    seen.add(p.proc_id);
    if (p.image && SHELLS.has(baseName(p.image).toLowerCase())) return p;
  }
  return null;
}

/** The controller a connect names (its last ip:port), for grouping writers. */
function controllerOf(e: TriageEvent): { key: string; port: number } | null {
  const found = [...`${e.target ?? ''} ${e.args ?? ''}`.matchAll(ENDPOINT)].at(-1);
  return found ? { key: found[0], port: Number(found[1]) } : null;
}

export interface LinkCaseView {
  links: readonly Link[];
  events: ReadonlyMap<number, TriageEvent>;
  nodes: readonly ProcessNode[];
  baselineCaptures: ReadonlySet<number>;
  /** (capture, pid) of processes alive for most of their capture: long-running services, not activities. */
  longLived: ReadonlySet<string>;
}

/** The three rules' hits over a case view (pure: the store part only reads). */
export function linkRuleHits(view: LinkCaseView): { rule: Rule; hits: Hit[] }[] {
  const { links, events, nodes } = view;
  const ev = (id: number): TriageEvent | undefined => events.get(id);
  const nodeOf = new Map<string, ProcessNode>();
  for (const n of nodes) for (const m of n.members) nodeOf.set(`${m.capture_id}:${m.pid}`, n);
  const procOf = (e: TriageEvent): ProcessNode | undefined => (e.pid === null ? undefined : nodeOf.get(`${e.capture_id}:${e.pid}`));
  const byId = new Map(nodes.map((n) => [n.proc_id, n]));
  const connectOfFlow = new Map<number, number>();
  const flowOfOp = new Map<number, number>();
  const flowsWithOps = new Set<number>();
  for (const l of links) {
    if (l.kind === 'socket-flow') connectOfFlow.set(l.to_event, l.from_event);
    if (l.kind === 'flow-ics') {
      flowOfOp.set(l.to_event, l.from_event);
      flowsWithOps.add(l.from_event);
    }
  }
  const connectOfOp = (op: number): TriageEvent | undefined => {
    const flow = flowOfOp.get(op) ?? op; // a Zeek conn record can itself be the operation's flow
    const connect = connectOfFlow.get(flow);
    return connect === undefined ? undefined : ev(connect);
  };
  const isWrite = (e: TriageEvent | undefined): e is TriageEvent => e?.kind === 'ics' && (e.fields?.['ics_write'] === true || e.fields?.['ics_write'] === 'true');

  // (a) writers per controller
  const writes = [...events.values()].filter(isWrite).flatMap((w) => {
    const connect = connectOfOp(w.event_id);
    const controller = connect ? controllerOf(connect) : null;
    return connect && controller ? [{ w, connect, controller: controller.key, who: writerIdentity(procOf(connect), connect), baseline: view.baselineCaptures.has(connect.capture_id) || view.baselineCaptures.has(w.capture_id) }] : [];
  });
  // Requests (reads and writes) per controller and process: the HMI runtime polls its controller
  // all day, so the usual writer is the process that talks to it most, not the one with most
  // writes (an intruder's tool may write more often than the HMI in the few seconds it runs).
  const requests = new Map<string, Map<string, number>>();
  for (const l of links) {
    if (l.kind !== 'flow-ics') continue;
    const connect = connectOfOp(l.to_event);
    const controller = connect ? controllerOf(connect) : null;
    if (!connect || !controller) continue;
    const who = writerIdentity(procOf(connect), connect);
    const per = requests.get(controller.key) ?? new Map<string, number>();
    per.set(who, (per.get(who) ?? 0) + 1);
    requests.set(controller.key, per);
  }
  const unusual: Hit[] = [];
  const byController = new Map<string, typeof writes>();
  for (const x of writes) byController.set(x.controller, [...(byController.get(x.controller) ?? []), x]);
  for (const [controller, list] of byController) {
    const baselineWriters = new Set(list.filter((x) => x.baseline).map((x) => x.who));
    const ranked = [...(requests.get(controller) ?? new Map<string, number>()).entries()].sort((a, b) => b[1] - a[1]);
    const total = ranked.reduce((n, [, c]) => n + c, 0);
    const top = ranked[0];
    const usual = baselineWriters.size > 0 ? baselineWriters : top && ranked.length > 1 && top[1] > (ranked[1]?.[1] ?? 0) ? new Set([top[0]]) : null;
    if (!usual) continue; // one talker, or a tie: nobody is "unusual"
    const basis = baselineWriters.size > 0 ? `the baseline's writer(s) ${[...usual].join(', ')}` : `${top?.[0] ?? '?'} (${top?.[1] ?? 0} of ${total} requests to it)`;
    for (const x of list) {
      if (x.baseline || usual.has(x.who)) continue;
      unusual.push({ events: [x.connect, x.w], detail: `${x.who} wrote ${x.w.op} to ${controller}; its usual client is ${basis}` });
    }
  }

  // (b) write → alarm
  const alarms: Hit[] = [];
  for (const l of links) {
    if (l.kind !== 'ics-alarm') continue;
    const w = ev(l.from_event);
    const a = ev(l.to_event);
    if (!w || !a) continue;
    const connect = connectOfOp(w.event_id);
    const dt = (a.ts_us - w.ts_us) / 1e6;
    alarms.push({
      events: connect ? [connect, w, a] : [w, a],
      detail: `alarm "${[a.op, a.target].filter(Boolean).join(' ')}" ${dt.toFixed(3)} s after ${w.op}${connect ? ` sent by ${writerIdentity(procOf(connect), connect)}` : ''}`,
    });
  }

  // (c) controller connections from shell-started trees
  const shells: Hit[] = [];
  for (const [flow, connectId] of connectOfFlow) {
    const connect = ev(connectId);
    if (!connect || connect.pid === null) continue;
    const port = controllerOf(connect)?.port;
    if (!flowsWithOps.has(flow) && !(port !== undefined && ICS_PORTS.has(port))) continue;
    if (view.longLived.has(`${connect.capture_id}:${connect.pid}`)) continue; // a service restarted by a wrapper script is not an activity
    const proc = procOf(connect);
    const shell = shellAncestor(proc, byId);
    if (!shell) continue;
    const ops = ev(flow);
    shells.push({
      events: ops ? [connect, ops] : [connect],
      detail: `${writerIdentity(proc, connect)} (pid ${connect.pid}) connected to ${controllerOf(connect)?.key ?? 'a controller'}; its tree starts from ${shell.command_line ?? shell.image ?? 'a shell'} (pid ${shell.pid})`,
    });
  }
  return [
    { rule: UNUSUAL_WRITER_RULE, hits: unusual },
    { rule: WRITE_THEN_ALARM_RULE, hits: alarms },
    { rule: SHELL_CONTROLLER_RULE, hits: shells },
  ];
}

/** Processes alive for at least this share of their capture are services (see core/triage/process-tree.ts). */
const LONG_LIVED_SHARE = 0.5;

/** Reads the links and the events they join, then applies the three rules. */
export async function linkRuleResults(store: CaseStore): Promise<{ rule: Rule; hits: Hit[] }[]> {
  const links = (await allLinks(store)).filter((l) => l.kind === 'socket-flow' || l.kind === 'ics-alarm' || l.kind === 'flow-ics');
  if (links.length === 0) return LINK_RULES.map((rule) => ({ rule, hits: [] }));
  // Events the rules name: connects, flows, alarms, and the writes among the operations.
  const ids = new Set<number>();
  for (const l of links) {
    if (l.kind !== 'flow-ics') ids.add(l.to_event);
    ids.add(l.from_event);
  }
  const opIds = links.filter((l) => l.kind === 'flow-ics').map((l) => l.to_event);
  const rows = (await store.rows(
    sql`SELECT ${EVENT_SELECT}, p.image, p.parent_image, p.tgid, p.root_pid
        FROM event_rows e LEFT JOIN triage_proc p ON p.capture_id = e.capture_id AND p.pid = e.pid
        WHERE list_contains(CAST(CAST(${JSON.stringify([...ids])} AS JSON) AS BIGINT[]), e.event_id)
           OR (list_contains(CAST(CAST(${JSON.stringify(opIds)} AS JSON) AS BIGINT[]), e.event_id) AND json_extract_string(e.fields, '$.ics_write') = 'true')`,
    { ...EVENT_SPEC, image: 'str?', parent_image: 'str?', tgid: 'num?', root_pid: 'num?' },
  )) as TriageEvent[];
  const baseline = await store.rows(sql`SELECT capture_id FROM captures WHERE is_baseline`, { capture_id: 'num' });
  const spans = await store.rows(
    sql`SELECT capture_id, pid, min(ts_us) AS first_us, max(ts_us) AS last_us, any_value(c.first_us) AS cap_first, any_value(c.last_us) AS cap_last
        FROM event_rows JOIN (SELECT capture_id, min(ts_us) AS first_us, max(ts_us) AS last_us FROM event_rows GROUP BY capture_id) c USING (capture_id)
        WHERE pid IS NOT NULL AND list_contains(CAST(CAST(${JSON.stringify([...new Set(rows.filter((r) => r.pid !== null).map((r) => r.capture_id))])} AS JSON) AS BIGINT[]), capture_id)
        GROUP BY capture_id, pid`,
    { capture_id: 'num', pid: 'num', first_us: 'num', last_us: 'num', cap_first: 'num', cap_last: 'num' },
  );
  const longLived = new Set(spans.filter((s) => s.cap_last > s.cap_first && (s.last_us - s.first_us) / (s.cap_last - s.cap_first) >= LONG_LIVED_SHARE).map((s) => `${s.capture_id}:${s.pid}`));
  return linkRuleHits({
    links, events: new Map(rows.map((r) => [r.event_id, r])), nodes: await readProcessTree(store),
    baselineCaptures: new Set(baseline.map((b) => b.capture_id)), longLived,
  });
}
