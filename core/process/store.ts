// The process tree kept in the case (tables `processes` and `process_members`, migration 8),
// rebuilt when the captures change: after an import, an alignment or a deletion. The tree is
// stamped with a fingerprint of the captures (id, events, clock offset); a read finds it stale
// when the stamp differs and rebuilds it (or, on a read-only case, computes it without writing).
import type { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { buildProcessTree, type ProcessNode } from './build-tree.ts';
import { capturesFingerprint } from '../store/captures-fingerprint.ts';
import { treeInputs } from './spans.ts';
import { appendRows, orNull } from '../store/append-rows.ts';


/**
 * Computes the tree from what each capture brings — its pid spans and lifecycle events, kept per
 * capture, so only captures imported or aligned since are read (spans.ts). The join across
 * captures is redone whole, in memory: a new capture may join processes of the others.
 */
export async function computeProcessTree(store: CaseStore): Promise<ProcessNode[]> {
  const captures = await store.rows(sql`SELECT capture_id, host FROM captures`, { capture_id: 'num', host: 'str?' });
  const { spans, rows } = await treeInputs(store);
  return buildProcessTree(spans, rows, new Map(captures.map((c) => [c.capture_id, c.host])));
}

/** Rebuilds the kept tree in one transaction (callers: import, alignment). */
export async function rebuildProcessTree(store: CaseStore): Promise<ProcessNode[]> {
  const nodes = await computeProcessTree(store);
  const stamp = await capturesFingerprint(store);
  await store.transaction(async () => {
    await store.exec(sql`DELETE FROM processes`);
    await store.exec(sql`DELETE FROM process_members`);
    // An appender, not INSERT … VALUES: bound parameters cost about a millisecond per few rows,
    // and a long trace has thousands of short-lived processes.
    await appendRows(store, 'processes', nodes, (n, a) => {
      a.appendInteger(n.proc_id);
      orNull(a, n.host, (v) => a.appendVarchar(v));
      a.appendInteger(n.pid);
      for (const v of [n.host_pid, n.ns_pid, n.parent_id, n.ppid]) orNull(a, v, (x) => a.appendInteger(x));
      for (const v of [n.image, n.command_line, n.user]) orNull(a, v, (x) => a.appendVarchar(x));
      a.appendBigInt(BigInt(n.start_us));
      a.appendBigInt(BigInt(n.end_us));
      orNull(a, n.exit_code, (v) => a.appendInteger(v));
      a.appendBoolean(n.exited);
      a.appendVarchar(n.captures.join(','));
      a.appendBigInt(BigInt(n.events));
    });
    const members = nodes.flatMap((n) => n.members.map((m) => ({ proc_id: n.proc_id, ...m })));
    await appendRows(store, 'process_members', members, (m, a) => {
      a.appendInteger(m.proc_id);
      a.appendInteger(m.capture_id);
      a.appendInteger(m.pid);
      a.appendBigInt(BigInt(m.first_us));
      a.appendBigInt(BigInt(m.last_us));
    });
    await store.exec(sql`DELETE FROM process_tree_state`);
    await store.exec(sql`INSERT INTO process_tree_state VALUES (${stamp})`);
  });
  return nodes;
}

const NODE_SPEC = {
  proc_id: 'num', host: 'str?', pid: 'num', host_pid: 'num?', ns_pid: 'num?', parent_id: 'num?', ppid: 'num?', image: 'str?',
  command_line: 'str?', user_name: 'str?', start_us: 'num', end_us: 'num', exit_code: 'num?', exited: 'bool', captures: 'str', events: 'num',
} as const;

/** The case's process tree, rebuilt first when the captures changed since it was kept. */
export async function readProcessTree(store: CaseStore): Promise<ProcessNode[]> {
  const kept = await store.rows(sql`SELECT fingerprint FROM process_tree_state`, { fingerprint: 'str' });
  const current = await capturesFingerprint(store);
  if (kept[0]?.fingerprint !== current) return store.readOnly ? computeProcessTree(store) : rebuildProcessTree(store);
  const rows = await store.rows(sql`SELECT * FROM processes ORDER BY proc_id`, NODE_SPEC);
  const members = await store.rows(sql`SELECT * FROM process_members ORDER BY proc_id, capture_id, pid`, {
    proc_id: 'num', capture_id: 'num', pid: 'num', first_us: 'num', last_us: 'num',
  });
  const membersOf = new Map<number, ProcessNode['members']>();
  for (const m of members) {
    const list = membersOf.get(m.proc_id) ?? [];
    list.push({ capture_id: m.capture_id, pid: m.pid, first_us: m.first_us, last_us: m.last_us });
    membersOf.set(m.proc_id, list);
  }
  return rows.map((r) => ({
    proc_id: r.proc_id, host: r.host, pid: r.pid, host_pid: r.host_pid, ns_pid: r.ns_pid, parent_id: r.parent_id, ppid: r.ppid,
    image: r.image, command_line: r.command_line, user: r.user_name, start_us: r.start_us, end_us: r.end_us, exit_code: r.exit_code,
    exited: r.exited, captures: r.captures === '' ? [] : r.captures.split(',').map(Number), events: r.events, members: membersOf.get(r.proc_id) ?? [],
  }));
}

/** The tree with each process's findings (those with an event of the process), for the UI. */
export async function readProcessTreeWithFindings(store: CaseStore): Promise<ProcessNode[]> {
  const nodes = await readProcessTree(store);
  const links = await store.rows(
    sql`SELECT DISTINCT m.proc_id, f.finding_id
        FROM (SELECT finding_id, unnest(event_ids) AS event_id FROM findings) f
        JOIN event_rows e ON e.event_id = f.event_id
        JOIN process_members m ON m.capture_id = e.capture_id AND m.pid = e.pid AND e.ts_us BETWEEN m.first_us AND m.last_us
        ORDER BY m.proc_id, f.finding_id`,
    { proc_id: 'num', finding_id: 'num' },
  );
  const byProc = new Map<number, number[]>();
  for (const l of links) {
    const list = byProc.get(l.proc_id) ?? [];
    list.push(l.finding_id);
    byProc.set(l.proc_id, list);
  }
  return nodes.map((n) => ({ ...n, finding_ids: byProc.get(n.proc_id) ?? [] }));
}
