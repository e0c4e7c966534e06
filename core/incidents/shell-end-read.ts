// Reads what shell-end.ts needs from the case — the socket calls and exits of the processes below
// an incident's activity roots, and the wire's view of their connections — and closes each
// incident's span on its reverse shells' ends: the end time becomes the later of its last step and
// the shell's end, and the storyline gains a "shell ended (…)" step.
import type { ProcessNode } from '../model/process.ts';
import type { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import type { IncidentDraft } from './build.ts';
import { shellEndText, stdioConnections, wireEnd, WIRE_MATCH_US, type ShellCall, type ShellEnd, type WireEvent } from './shell-end.ts';
import { appendTo } from '../util/multimap.ts';

/** A FIN/RST this long after the shell's last sign of life is no longer its connection ending. */
const WIRE_TAIL_US = 60_000_000;

function keyList(keys: string[]): ReturnType<typeof sql> {
  return sql`CAST(CAST(${JSON.stringify(keys)} AS JSON) AS VARCHAR[])`;
}

/** Every process below (and including) the given roots. */
function subtree(nodes: ProcessNode[], roots: number[]): ProcessNode[] {
  const children = new Map<number, ProcessNode[]>();
  for (const n of nodes) if (n.parent_id !== null) appendTo(children, n.parent_id, n);
  const byId = new Map(nodes.map((n) => [n.proc_id, n]));
  const out = new Map<number, ProcessNode>();
  const todo = roots.map((r) => byId.get(r)).filter((n): n is ProcessNode => n !== undefined);
  while (todo.length > 0) {
    const n = todo.pop() as ProcessNode;
    if (out.has(n.proc_id)) continue;
    out.set(n.proc_id, n);
    todo.push(...(children.get(n.proc_id) ?? []));
  }
  return [...out.values()];
}

/** The reverse shells among `procs` and how each ended. */
export async function readShellEnds(store: CaseStore, procs: ProcessNode[]): Promise<ShellEnd[]> {
  const memberOf = new Map<string, ProcessNode>();
  for (const n of procs) for (const m of n.members) memberOf.set(`${m.capture_id}:${m.pid}`, n);
  if (memberOf.size === 0) return [];
  // Only processes that connected somewhere can be a reverse shell: find those first.
  const connecting = await store.rows(
    sql`SELECT DISTINCT capture_id || ':' || pid AS k FROM event_rows
        WHERE op = 'connect' AND pid IS NOT NULL AND list_contains(${keyList([...memberOf.keys()])}, capture_id || ':' || pid)`,
    { k: 'str' },
  );
  if (connecting.length === 0) return [];
  const calls = await store.rows(
    sql`SELECT capture_id || ':' || pid AS k, event_id, ts_us, op, target, args, ret, error FROM event_rows
        WHERE list_contains(${keyList(connecting.map((c) => c.k))}, capture_id || ':' || pid)
          AND op IN ('socket', 'connect', 'dup2', 'dup3', 'close', 'shutdown', 'exit', 'exit_group', 'killed')
        ORDER BY ts_us, event_id`,
    { k: 'str', event_id: 'num', ts_us: 'num', op: 'str', target: 'str?', args: 'str?', ret: 'str?', error: 'str?' },
  );
  const byKey = new Map<string, ShellCall[]>();
  for (const { k, ...c } of calls) appendTo(byKey, k, c);

  const ends: ShellEnd[] = [];
  for (const [k, list] of byKey) {
    const node = memberOf.get(k);
    if (!node) continue;
    const conns = stdioConnections(list);
    if (conns.length === 0) continue;
    const exitCall = list.filter((c) => c.op === 'exit' || c.op === 'killed').at(-1);
    const lastSign = Math.max(node.exited ? node.end_us : 0, ...conns.map((c) => c.closed_us ?? c.connect_us));
    const wire = await readWire(store, Math.min(...conns.map((c) => c.connect_us)) - WIRE_MATCH_US, lastSign + WIRE_TAIL_US);
    // The shell's session is its last stdio connection; earlier ones (a retry) end before it.
    const conn = conns.sort((a, b) => a.connect_us - b.connect_us).at(-1);
    if (!conn) continue;
    const onWire = wireEnd(conn, wire);
    const endpoint = conn.endpoint ?? onWire?.endpoint ?? null;
    const closed = [conn.closed_us, onWire?.end_us ?? null].filter((t): t is number => t !== null);
    const closed_us = closed.length > 0 ? Math.min(...closed) : null;
    const times = [node.exited ? node.end_us : null, conn.closed_us, onWire?.end_us ?? null].filter((t): t is number => t !== null);
    if (times.length === 0) continue; // still running when the captures end: nothing closes the span
    ends.push({
      proc_id: node.proc_id,
      pid: node.pid,
      image: node.image,
      ts_us: Math.max(...times),
      exited: node.exited,
      exit_code: node.exit_code,
      endpoint,
      closed_us,
      event_ids: [conn.closed_event, exitCall?.event_id ?? null].filter((id): id is number => id !== null),
    });
  }
  return ends.sort((a, b) => a.ts_us - b.ts_us);
}

/** Process-less network events that can show a connection starting or ending. */
async function readWire(store: CaseStore, from_us: number, to_us: number): Promise<WireEvent[]> {
  return store.rows(
    sql`SELECT ts_us, dur_us, op, target, args FROM event_rows
        WHERE pid IS NULL AND category = 'network' AND ts_us BETWEEN ${from_us} AND ${to_us}
          AND (op = 'conn' OR args LIKE '%SYN%' OR args LIKE '%FIN%' OR args LIKE '%RST%')
        ORDER BY ts_us`,
    { ts_us: 'num', dur_us: 'num?', op: 'str', target: 'str?', args: 'str?' },
  );
}

/** The incident with its reverse shells' ends as steps, its end moved to the latest of them. */
export function closeShellSpan(draft: IncidentDraft, ends: ShellEnd[]): IncidentDraft {
  if (ends.length === 0) return draft;
  const steps = [
    ...draft.steps,
    ...ends.map((e) => ({ ts_us: e.ts_us, finding_id: 0, event_ids: e.event_ids, text: shellEndText(e), kind: 'shell_end' as const })),
  ].sort((a, b) => a.ts_us - b.ts_us);
  const endpoints = [...new Set([...draft.endpoints, ...ends.map((e) => e.endpoint).filter((x): x is string => x !== null)])].sort();
  return { ...draft, steps, endpoints, end_us: Math.max(draft.end_us, ...ends.map((e) => e.ts_us)) };
}

/** Closes every draft's span on the ends of the reverse shells below its activity roots. */
export async function closeShellSpans(store: CaseStore, drafts: IncidentDraft[], nodes: ProcessNode[]): Promise<IncidentDraft[]> {
  const out: IncidentDraft[] = [];
  for (const d of drafts) out.push(closeShellSpan(d, await readShellEnds(store, subtree(nodes, d.root_ids))));
  return out;
}
