// The case's process tree: one node per process across captures of the same host. Each capture
// first sees "instances" (a thread group under one pid); instances of different captures that
// are the same process are joined: the same pid alive at the same time, or — across pid
// namespaces — a kernel record whose namespace pid is the pid a tracer inside the container saw.
// Pure: rows in, nodes out (store.ts reads the rows and keeps the result in the case).
import type { ProcessNode } from '../model/process.ts';
import { lifecycleOf, type Lifecycle, type LifecycleRow } from './lifecycle.ts';

export type { ProcessMember, ProcessNode } from '../model/process.ts';

/** Activity of one pid in one capture (from the events). */
export interface PidSpan {
  capture_id: number;
  host: string | null;
  pid: number;
  first_us: number;
  last_us: number;
  events: number;
  process: string | null;
  ppid: number | null;
  /** Whether the capture's events of this pid are API calls (its pids are the ones a tracer saw). */
  api: boolean;
}

/** Lifetimes of two captures' views of one process may differ by this much (clock, capture start). */
const OVERLAP_SLACK_US = 2_000_000;

interface Instance {
  key: string;
  capture_id: number;
  host: string;
  pid: number;
  first_us: number;
  last_us: number;
  events: number;
  api: boolean;
  process: string | null;
  ppid: number | null;
  parentKey: string | null;
  nsPid: number | null;
  execs: Array<{ ts: number; image: string | null; commandLine: string | null; user: string | null }>;
  exit: { ts: number; code: number | null } | null;
  threadOf: string | null;
}

const key = (capture: number, pid: number): string => `${capture}:${pid}`;

/** A capture without a host name belongs to the case's one named host when there is exactly one. */
export function hostResolver(hosts: Array<string | null>): (host: string | null) => string {
  const named = [...new Set(hosts.filter((h): h is string => h !== null && h !== ''))];
  return (host) => (host !== null && host !== '' ? host : named.length === 1 ? (named[0] as string) : '');
}

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(k: string): string {
    let root = k;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root) as string;
    let cur = k;
    while (cur !== root) {
      const next = this.parent.get(cur) ?? root;
      this.parent.set(cur, root);
      cur = next;
    }
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

export function buildProcessTree(spans: PidSpan[], rows: LifecycleRow[], captureHosts: Map<number, string | null>): ProcessNode[] {
  const resolveHost = hostResolver([...captureHosts.values(), ...spans.map((s) => s.host)]);
  const instances = new Map<string, Instance>();
  const instance = (capture: number, pid: number, ts: number): Instance => {
    const k = key(capture, pid);
    let inst = instances.get(k);
    if (!inst) {
      inst = {
        key: k, capture_id: capture, host: resolveHost(captureHosts.get(capture) ?? null), pid, first_us: ts, last_us: ts, events: 0,
        api: false, process: null, ppid: null, parentKey: null, nsPid: null, execs: [], exit: null, threadOf: null,
      };
      instances.set(k, inst);
    }
    return inst;
  };
  for (const s of spans) {
    const inst = instance(s.capture_id, s.pid, s.first_us);
    inst.host = resolveHost(s.host ?? captureHosts.get(s.capture_id) ?? null);
    inst.first_us = Math.min(inst.first_us, s.first_us);
    inst.last_us = Math.max(inst.last_us, s.last_us);
    inst.events += s.events;
    inst.api ||= s.api;
    inst.process ??= s.process;
    inst.ppid ??= s.ppid;
  }

  const sorted = [...rows].sort((a, b) => a.ts_us - b.ts_us || a.event_id - b.event_id);
  for (const row of sorted) {
    const life = lifecycleOf(row);
    if (life) apply(life, row, instance);
  }

  // Threads are their group: strace -f shows each thread's tid as a pid.
  const uf = new UnionFind();
  for (const inst of instances.values()) {
    uf.find(inst.key);
    if (inst.threadOf && instances.has(inst.threadOf)) uf.union(inst.threadOf, inst.key);
  }
  joinAcrossCaptures(instances, uf);
  return toNodes(instances, uf);
}

function apply(life: Lifecycle, row: LifecycleRow, instance: (capture: number, pid: number, ts: number) => Instance): void {
  const c = row.capture_id;
  const ts = row.ts_us;
  if (life.type === 'spawn') {
    const child = instance(c, life.child, ts);
    child.first_us = Math.min(child.first_us, ts);
    if (life.nsPid !== null) child.nsPid = life.nsPid;
    if (life.thread) {
      child.threadOf = key(c, life.tgid ?? life.parent);
      return;
    } else {
      child.parentKey = key(c, life.parent);
      child.ppid = life.parent;
    }
    const parent = instance(c, life.parent, ts);
    if (life.parentNsPid !== null) parent.nsPid ??= life.parentNsPid;
    return;
  }
  const inst = instance(c, life.pid, ts);
  inst.first_us = Math.min(inst.first_us, ts);
  inst.last_us = Math.max(inst.last_us, ts);
  if (life.nsPid !== null) inst.nsPid = life.nsPid;
  if (life.type === 'exec') {
    inst.execs.push({ ts, image: life.image, commandLine: life.commandLine, user: life.user });
    if (life.ppid !== null && inst.parentKey === null) {
      // The parent may be seen only by another capture: a placeholder here is joined to it by pid and time.
      inst.parentKey = instance(c, life.ppid, ts).key;
      inst.ppid = life.ppid;
    }
  } else {
    inst.exit = { ts, code: life.code };
  }
}

const overlaps = (a: Instance, b: Instance): boolean =>
  a.first_us - OVERLAP_SLACK_US <= b.last_us && b.first_us - OVERLAP_SLACK_US <= a.last_us;

function baseName(path: string | null): string | null {
  if (!path) return null;
  const last = path.split(/[\\/]/).pop() ?? path;
  return last.toLowerCase().replace(/\.exe$/, '');
}

/** What ran, when a source says: an exec's image, or a traced task's name; a log line's program tag is not an image. */
function imageOf(inst: Instance): string | null {
  return baseName(inst.execs.at(-1)?.image ?? (inst.api ? inst.process : null));
}

/** Two views of a process agree on what ran when both say (python3 vs python3.11 both pass). */
function compatibleImages(a: Instance, b: Instance): boolean {
  const ia = imageOf(a);
  const ib = imageOf(b);
  if (!ia || !ib) return true;
  return ia.startsWith(ib) || ib.startsWith(ia);
}

function joinAcrossCaptures(instances: Map<string, Instance>, uf: UnionFind): void {
  // Per host: instances by the pid a tracer would see (their own pid, or their namespace pid).
  const byHostPid = new Map<string, Instance[]>();
  const add = (host: string, pid: number, inst: Instance): void => {
    const k = `${host}\u0000${pid}`;
    const list = byHostPid.get(k);
    if (list) list.push(inst);
    else byHostPid.set(k, [inst]);
  };
  for (const inst of instances.values()) {
    add(inst.host, inst.pid, inst);
    if (inst.nsPid !== null && inst.nsPid !== inst.pid) add(inst.host, inst.nsPid, inst);
  }
  for (const group of byHostPid.values()) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const a = group[i] as Instance;
        const b = group[j] as Instance;
        if (a.capture_id === b.capture_id || !overlaps(a, b)) continue;
        // A kernel record naming the namespace pid a tracer saw is strong evidence on its own
        // (/bin/sh and /usr/bin/dash are one program); a bare equal pid must also agree on the image.
        const nsLink = (a.nsPid !== null && b.nsPid === null && a.nsPid === b.pid) || (b.nsPid !== null && a.nsPid === null && b.nsPid === a.pid);
        const pidLink = a.pid === b.pid && compatibleImages(a, b);
        if (nsLink || pidLink) uf.union(a.key, b.key);
      }
    }
  }
}

function toNodes(instances: Map<string, Instance>, uf: UnionFind): ProcessNode[] {
  const groups = new Map<string, Instance[]>();
  for (const inst of instances.values()) {
    const root = uf.find(inst.key);
    const list = groups.get(root);
    if (list) list.push(inst);
    else groups.set(root, [inst]);
  }
  // Stable ids: by first appearance, then host and pid.
  const ordered = [...groups.entries()].map(([root, members]) => ({ root, members, first: Math.min(...members.map((m) => m.first_us)) }));
  ordered.sort((a, b) => a.first - b.first || (a.members[0]?.pid ?? 0) - (b.members[0]?.pid ?? 0));
  const idOfRoot = new Map(ordered.map((g, i) => [g.root, i + 1]));

  const nodes = ordered.map(({ root, members }): ProcessNode => {
    const id = idOfRoot.get(root) as number;
    const apiView = members.find((m) => m.api && m.threadOf === null) ?? members.find((m) => m.threadOf === null) ?? (members[0] as Instance);
    const kernelView = members.find((m) => m.nsPid !== null && m.nsPid !== m.pid);
    const execs = members.flatMap((m) => m.execs).sort((a, b) => a.ts - b.ts);
    // What the analyst reads in the API capture names the program (/bin/sh, not the kernel's
    // resolved /usr/bin/dash); other sources fill in where no traced exec was seen.
    const tracedExecs = members.filter((m) => m.api).flatMap((m) => m.execs).sort((a, b) => a.ts - b.ts);
    const lastExec = tracedExecs.at(-1) ?? execs.at(-1);
    const exits = members.flatMap((m) => (m.exit && m.threadOf === null ? [m.exit] : [])).sort((a, b) => a.ts - b.ts);
    let parentId: number | null = null;
    let ppid: number | null = null;
    for (const m of [apiView, ...members]) {
      if (m.parentKey === null || !instances.has(m.parentKey)) continue;
      const pid = idOfRoot.get(uf.find(m.parentKey));
      if (pid !== undefined && pid !== id) {
        parentId = pid;
        ppid = m.ppid;
        break;
      }
    }
    ppid ??= apiView.ppid;
    const start = Math.min(...members.map((m) => m.first_us));
    const lastSeen = Math.max(...members.map((m) => m.last_us));
    return {
      proc_id: id,
      host: apiView.host === '' ? null : apiView.host,
      pid: apiView.pid,
      host_pid: kernelView ? kernelView.pid : null,
      ns_pid: kernelView ? kernelView.nsPid : null,
      parent_id: parentId,
      ppid,
      image: lastExec?.image ?? apiView.process,
      command_line: lastExec?.commandLine ?? null,
      user: execs.map((e) => e.user).find((u) => u !== null) ?? null,
      start_us: start,
      end_us: Math.max(lastSeen, exits.at(-1)?.ts ?? lastSeen),
      exit_code: exits.at(-1)?.code ?? null,
      exited: exits.length > 0,
      captures: [...new Set(members.map((m) => m.capture_id))].sort((a, b) => a - b),
      events: members.reduce((n, m) => n + m.events, 0),
      members: members.map((m) => ({ capture_id: m.capture_id, pid: m.pid, first_us: m.first_us, last_us: m.last_us })).sort((a, b) => a.capture_id - b.capture_id || a.pid - b.pid),
    };
  });
  return breakCycles(nodes);
}

/** Parent links come from several sources; a loop (pid reuse, bad data) is cut rather than followed. */
function breakCycles(nodes: ProcessNode[]): ProcessNode[] {
  const byId = new Map(nodes.map((n) => [n.proc_id, n]));
  for (const node of nodes) {
    const seen = new Set<number>([node.proc_id]);
    let cur = node.parent_id;
    while (cur !== null) {
      if (seen.has(cur)) {
        node.parent_id = null;
        break;
      }
      seen.add(cur);
      cur = byId.get(cur)?.parent_id ?? null;
    }
  }
  return nodes;
}
