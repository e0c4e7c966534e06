// Findings → incidents. Pure: findings with their events and the process tree in, incident drafts
// out (store.ts reads the case and keeps the result). Three things join findings:
//  1. ancestry: findings whose events belong to one activity — the subtree spawned below a
//     long-lived process (the shell a service spawned and everything below it) — and sibling
//     activities of the same long-lived parent that follow each other within SESSION_GAP_US
//     (one intruder sending command after command through the same service);
//  2. shared entities: a file in a world-writable place or a network endpoint that two
//     findings' events name (written by one, executed or loaded by another; one socket);
//  3. time: a finding without a process (network, controller traffic) joins the incident of its
//     host whose span, padded by PROXIMITY_US, holds it; and findings of one rule on one host
//     within SESSION_GAP_US of each other (end to start) are one activity.
// A group of one finding stays loose.
import type { ProcessNode } from '../model/process.ts';
import { tacticsInOrder } from './tactics.ts';
import { usToIso } from '../util/time.ts';
import { chainStepSuffix } from './link-steps.ts';
import { appendTo } from '../util/multimap.ts';
import { shorten as clip } from '../util/text.ts';

/** Sibling activities of one long-lived parent this close (end to start) are one session. */
export const SESSION_GAP_US = 60_000_000;
/** Findings sharing an entity this far apart or more are not joined by it. */
export const ENTITY_WINDOW_US = 3_600_000_000;
/** A process-less finding joins an incident whose span, padded by this, holds it. */
export const PROXIMITY_US = 30_000_000;
/** A process alive for this share of a capture it appears in is a long-running service. */
export const LONG_LIVED_SHARE = 0.5;

export interface IncidentEvent {
  event_id: number;
  capture_id: number;
  ts_us: number;
  host: string | null;
  pid: number | null;
  category: string;
  op: string;
  target: string | null;
  process: string | null;
}

export interface IncidentFinding {
  finding_id: number;
  key: string;
  rule: string;
  title: string;
  score: number;
  attack: string[];
  first_us: number;
  last_us: number;
  host: string | null;
  event_ids: number[];
  events: IncidentEvent[];
}

export interface IncidentDraft {
  key: string;
  title: string;
  score: number;
  start_us: number;
  end_us: number;
  root: { proc_id: number | null; pid: number | null; image: string | null };
  tactics: string[];
  /** One per finding in time order, plus the end of each reverse shell (shell-end-read.ts; finding_id 0). */
  steps: { ts_us: number; finding_id: number; event_ids: number[]; text: string; kind?: 'shell_end' }[];
  files: string[];
  endpoints: string[];
  hosts: string[];
  finding_ids: number[];
  /** The activity roots of its findings' processes (what its reverse shells are looked for under). */
  root_ids: number[];
}

class UnionFind {
  private readonly parent = new Map<string, string>();
  find(k: string): string {
    let r = k;
    while (this.parent.has(r) && this.parent.get(r) !== r) r = this.parent.get(r) as string;
    this.parent.set(k, r);
    return r;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

/** Which process each event belongs to, and each process's activity root. */
export class Ancestry {
  private readonly byId = new Map<number, ProcessNode>();
  private readonly byMember = new Map<string, ProcessNode[]>();
  private readonly longLived = new Set<number>();

  constructor(nodes: ProcessNode[]) {
    const captureSpan = new Map<number, [number, number]>();
    for (const n of nodes) {
      this.byId.set(n.proc_id, n);
      for (const m of n.members) {
        const k = `${m.capture_id}:${m.pid}`;
        appendTo(this.byMember, k, n);
        const span = captureSpan.get(m.capture_id);
        captureSpan.set(m.capture_id, span ? [Math.min(span[0], m.first_us), Math.max(span[1], m.last_us)] : [m.first_us, m.last_us]);
      }
    }
    for (const n of nodes) {
      const life = n.end_us - n.start_us;
      const lives = n.members.some((m) => {
        const span = captureSpan.get(m.capture_id);
        return span !== undefined && span[1] > span[0] && life >= LONG_LIVED_SHARE * (span[1] - span[0]);
      });
      if (lives) this.longLived.add(n.proc_id);
    }
  }

  node(procId: number): ProcessNode | undefined {
    return this.byId.get(procId);
  }

  /** The process of an event: the member of its capture and pid alive at its time (or nearest). */
  processOf(e: IncidentEvent): ProcessNode | undefined {
    if (e.pid === null) return undefined;
    const list = this.byMember.get(`${e.capture_id}:${e.pid}`) ?? [];
    let best: ProcessNode | undefined;
    let bestGap = Infinity;
    for (const n of list) {
      for (const m of n.members) {
        if (m.capture_id !== e.capture_id || m.pid !== e.pid) continue;
        const gap = e.ts_us < m.first_us ? m.first_us - e.ts_us : e.ts_us > m.last_us ? e.ts_us - m.last_us : 0;
        if (gap < bestGap) {
          bestGap = gap;
          best = n;
        }
      }
    }
    return best;
  }

  isLongLived(procId: number): boolean {
    return this.longLived.has(procId);
  }

  /** The top of the subtree below a long-lived process that holds `procId` (itself when long-lived). */
  activityRoot(procId: number): ProcessNode | undefined {
    let cur = this.byId.get(procId);
    if (!cur || this.longLived.has(cur.proc_id)) return cur;
    const seen = new Set<number>();
    while (cur.parent_id !== null && !seen.has(cur.proc_id)) {
      seen.add(cur.proc_id);
      const parent = this.byId.get(cur.parent_id);
      if (!parent || this.longLived.has(parent.proc_id)) break;
      cur = parent;
    }
    return cur;
  }
}

const WRITABLE_DIRS = ['/tmp/', '/var/tmp/', '/dev/shm/', '/run/user/', '/home/', '/root/', '/var/www/'];
const ENDPOINT = /^(\[[0-9a-f:]+\]|[0-9]{1,3}(\.[0-9]{1,3}){3}|[a-z0-9.-]+):[0-9]{1,5}$/i;

/** Entities of an event that can join two findings: a file in a writable place, an endpoint. */
export function entityOf(e: IncidentEvent): string | null {
  const t = e.target?.trim();
  if (!t) return null;
  if (ENDPOINT.test(t) && (e.category === 'network' || e.category === 'ics')) return `net:${t.toLowerCase()}`;
  const dir = WRITABLE_DIRS.find((d) => t.startsWith(d));
  // The directory itself (opendir /tmp) is not an entity: only something placed in it.
  if (dir && t.length > dir.length && !t.endsWith('/')) return `file:${t}`;
  return null;
}

export function buildIncidents(findings: IncidentFinding[], nodes: ProcessNode[]): IncidentDraft[] {
  const anc = new Ancestry(nodes);
  const uf = new UnionFind();
  const fk = (f: IncidentFinding): string => `f:${f.finding_id}`;
  const rootsOf = new Map<number, Set<number>>();
  // Per activity root: its long-lived parent (the anchor) and the time its findings cover.
  const activity = new Map<number, { anchor: number | null; host: string; first: number; last: number }>();

  for (const f of findings) {
    uf.find(fk(f));
    const roots = new Set<number>();
    for (const e of f.events) {
      const p = anc.processOf(e);
      const root = p ? anc.activityRoot(p.proc_id) : undefined;
      if (!root) continue;
      roots.add(root.proc_id);
      uf.union(fk(f), `r:${root.proc_id}`);
      const a = activity.get(root.proc_id);
      const anchor = anc.isLongLived(root.proc_id) ? null : root.parent_id;
      activity.set(root.proc_id, {
        anchor,
        host: root.host ?? '',
        first: Math.min(a?.first ?? Infinity, e.ts_us),
        last: Math.max(a?.last ?? -Infinity, e.ts_us),
      });
    }
    rootsOf.set(f.finding_id, roots);
  }

  // Sibling activities of one long-lived parent in quick succession: one session.
  const byAnchor = new Map<number, { root: number; first: number; last: number }[]>();
  for (const [root, a] of activity) {
    // A long-lived process with findings of its own belongs with what it spawned around then.
    const anchor = a.anchor ?? root;
    appendTo(byAnchor, anchor, { root, first: a.first, last: a.last });
  }
  for (const list of byAnchor.values()) {
    list.sort((x, y) => x.first - y.first);
    let reach = -Infinity;
    let prev: number | null = null;
    for (const s of list) {
      if (prev !== null && s.first - reach <= SESSION_GAP_US) uf.union(`r:${prev}`, `r:${s.root}`);
      reach = Math.max(reach, s.last);
      prev = s.root;
    }
  }

  // Shared entities, between findings close enough in time.
  const byEntity = new Map<string, IncidentFinding[]>();
  for (const f of findings) {
    const ents = new Set(f.events.map(entityOf).filter((x): x is string => x !== null));
    for (const ent of ents) appendTo(byEntity, ent, f);
  }
  for (const list of byEntity.values()) {
    list.sort((a, b) => a.first_us - b.first_us);
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1] as IncidentFinding;
      const b = list[i] as IncidentFinding;
      if (b.first_us - a.last_us <= ENTITY_WINDOW_US) uf.union(fk(a), fk(b));
    }
  }

  // Process-less findings still alone: join the nearest group of their host by time.
  const groupsOf = (): Map<string, IncidentFinding[]> => {
    const m = new Map<string, IncidentFinding[]>();
    for (const f of findings) {
      const r = uf.find(fk(f));
      appendTo(m, r, f);
    }
    return m;
  };
  const groups = groupsOf();
  const spans = [...groups.entries()]
    .filter(([, list]) => list.some((f) => (rootsOf.get(f.finding_id)?.size ?? 0) > 0))
    .map(([r, list]) => ({
      r,
      hosts: new Set(list.map((f) => f.host ?? '')),
      first: Math.min(...list.map((f) => f.first_us)),
      last: Math.max(...list.map((f) => f.last_us)),
    }));
  for (const f of findings) {
    if ((rootsOf.get(f.finding_id)?.size ?? 0) > 0 || (groups.get(uf.find(fk(f)))?.length ?? 0) > 1) continue;
    let best: { r: string; gap: number } | null = null;
    for (const s of spans) {
      if (!s.hosts.has(f.host ?? '') && f.host !== null) continue;
      const gap = f.first_us < s.first ? s.first - f.first_us : f.first_us > s.last ? f.first_us - s.last : 0;
      if (gap <= PROXIMITY_US && (!best || gap < best.gap)) best = { r: s.r, gap };
    }
    if (best) uf.union(best.r, fk(f));
  }

  // Repeats of one rule on one host in quick succession are one activity even where ancestry
  // cannot tell (four `wevtutil cl` runs whose parent the capture never saw). After the step
  // above, so that process-less findings still join the incident they are near.
  const byRuleHost = new Map<string, IncidentFinding[]>();
  for (const f of findings) appendTo(byRuleHost, `${f.rule}\u0000${f.host ?? ''}`, f);
  for (const list of byRuleHost.values()) {
    list.sort((a, b) => a.first_us - b.first_us);
    let reach = -Infinity;
    let prev: IncidentFinding | null = null;
    for (const f of list) {
      if (prev !== null && f.first_us - reach <= SESSION_GAP_US) uf.union(fk(prev), fk(f));
      reach = Math.max(reach, f.last_us);
      prev = f;
    }
  }

  const drafts: IncidentDraft[] = [];
  for (const list of groupsOf().values()) {
    if (list.length < 2) continue;
    drafts.push(toDraft(list, anc, rootsOf));
  }
  return drafts.sort((a, b) => b.score - a.score || a.start_us - b.start_us);
}

function toDraft(list: IncidentFinding[], anc: Ancestry, rootsOf: Map<number, Set<number>>): IncidentDraft {
  const ordered = [...list].sort((a, b) => a.first_us - b.first_us || a.finding_id - b.finding_id);
  const entry = ordered[0] as IncidentFinding;
  const withRoot = ordered.find((f) => (rootsOf.get(f.finding_id)?.size ?? 0) > 0);
  const rootId = withRoot ? [...(rootsOf.get(withRoot.finding_id) ?? [])][0] : undefined;
  const root = rootId === undefined ? undefined : anc.node(rootId);
  const parent = root?.parent_id !== null && root?.parent_id !== undefined ? anc.node(root.parent_id) : undefined;
  const tactics = tacticsInOrder(ordered.flatMap((f) => f.attack));
  const maxScore = Math.max(...ordered.map((f) => f.score));
  // More kill-chain stages and more independent findings make a stronger case.
  const score = Math.min(100, maxScore + 2 * Math.max(0, tactics.length - 1) + Math.min(6, ordered.length - 1));
  const events = ordered.flatMap((f) => f.events);
  const files = new Set<string>();
  const endpoints = new Set<string>();
  for (const e of events) {
    if (!e.target) continue;
    if ((e.category === 'network' || e.category === 'ics') && ENDPOINT.test(e.target)) endpoints.add(e.target);
    else if (touchedFile(e)) files.add(e.target);
  }
  const who = root
    ? `${root.image ? basename(root.image) : 'process'} (pid ${root.pid})${parent ? ` spawned by ${parent.image ? basename(parent.image) : 'process'} (pid ${parent.pid})` : ''}`
    : (entry.host ?? endpointsLabel([...endpoints].sort()));
  const arc = tactics.length > 3 ? `${tactics[0]} → … → ${tactics[tactics.length - 1]} (${tactics.length} tactics)` : tactics.join(' → ');
  return {
    key: `incident:${entry.key}`,
    title: `${who}: ${arc || entry.title}, ${ordered.length} findings`,
    score,
    start_us: Math.min(...ordered.map((f) => f.first_us)),
    end_us: Math.max(...ordered.map((f) => f.last_us)),
    root: { proc_id: root?.proc_id ?? null, pid: root?.pid ?? null, image: root?.image ?? null },
    tactics,
    steps: ordered.map((f) => ({ ts_us: f.first_us, finding_id: f.finding_id, event_ids: f.event_ids, text: stepText(f, anc) })),
    files: [...files].sort(),
    endpoints: [...endpoints].sort(),
    hosts: [...new Set(ordered.map((f) => f.host).filter((h): h is string => h !== null))],
    finding_ids: ordered.map((f) => f.finding_id),
    root_ids: [...new Set(ordered.flatMap((f) => [...(rootsOf.get(f.finding_id) ?? [])]))].sort((a, b) => a - b),
  };
}

/** Who a process-less incident without a host concerns: the endpoints its events name. */
function endpointsLabel(endpoints: string[]): string {
  const [first] = endpoints;
  if (first === undefined) return 'the case';
  return endpoints.length === 1 ? first : `${first} and ${endpoints.length - 1} other endpoint${endpoints.length === 2 ? '' : 's'}`;
}

/** A file an incident touched worth listing: not the kernel's views (/proc, /sys) nor a system program it ran. */
function touchedFile(e: IncidentEvent): boolean {
  const t = e.target ?? '';
  if (!t.startsWith('/') || t.startsWith('/proc') || t.startsWith('/sys/') || (t.startsWith('/dev/') && !t.startsWith('/dev/shm/'))) return false;
  if (e.category === 'file' || e.category === 'module') return true;
  return e.category === 'process' && WRITABLE_DIRS.some((d) => t.startsWith(d));
}

/** "06:14:37.416 sh (pid 1210): <rule title> — execve /bin/sh [rule-id]". */
export function stepText(f: IncidentFinding, anc: Ancestry): string {
  const first = [...f.events].sort((a, b) => a.ts_us - b.ts_us)[0];
  const proc = first ? anc.processOf(first) : undefined;
  const image = proc?.image ? basename(proc.image) : first?.process ?? null;
  const pid = proc?.pid ?? first?.pid ?? null;
  const who = image || pid !== null ? `${image ?? 'process'}${pid !== null ? ` (pid ${pid})` : ''}` : (first?.host ?? 'network');
  const what = first ? ` — ${first.op}${first.target ? ` ${clip(first.target, 90)}` : ''}` : '';
  return `${usToIso(f.first_us).slice(11, 23)} ${who}: ${f.title}${what}${chainStepSuffix(f)} [${f.rule}]`;
}

function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 && i < path.length - 1 ? path.slice(i + 1) : path;
}
