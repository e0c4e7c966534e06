// Who spawned whom, per capture, inferred from the events themselves: clone/fork/vfork results
// (the child pid is the return value; CLONE_THREAD marks a thread), execve images, and the ppid
// column when an importer filled it. Written to the temp table `triage_proc` that compiled rules
// join (fields image, parent_image, parent_pid) and used to group findings by process tree.
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, rawSql, sql, type Sql } from '../store/sql.ts';
import { idList } from './scope.ts';
import { treeSources } from './process-tree-inputs.ts';

export interface ProcInfo {
  capture_id: number;
  pid: number;
  /** The process (thread group) this pid belongs to. */
  tgid: number;
  parent_pid: number | null;
  image: string | null;
  parent_image: string | null;
  /** Top of this process's spawned subtree below a long-lived process: groups one activity. */
  root_pid: number;
  long_lived: boolean;
  first_us: number;
  last_us: number;
}

const SPAWN_OPS = ['clone', 'clone3', 'fork', 'vfork', '__clone', 'posix_spawn'];
const EXEC_OPS = ['execve', 'execveat', 'execv', 'execvp', 'execl', 'execlp'];
/** A process alive for at least this share of its capture is a long-running service, not an activity. */
const LONG_LIVED_SHARE = 0.5;

export class ProcessTree {
  private readonly byKey = new Map<string, ProcInfo>();

  constructor(procs: ProcInfo[]) {
    for (const p of procs) this.byKey.set(key(p.capture_id, p.pid), p);
  }

  get(captureId: number, pid: number | null): ProcInfo | undefined {
    return pid === null ? undefined : this.byKey.get(key(captureId, pid));
  }

  all(): ProcInfo[] {
    return [...this.byKey.values()];
  }
}

function key(captureId: number, pid: number): string {
  return `${captureId}:${pid}`;
}

/**
 * Builds the tree from the case and (re)creates the temp table `triage_proc`; with `captureIds`,
 * for those captures only (an incremental triage: each capture's tree is its own).
 */
export async function buildProcessTree(store: CaseStore, captureIds: number[] | null = null): Promise<ProcessTree> {
  const only = captureIds === null ? sql`TRUE` : sql`list_contains(${idList(captureIds)}, capture_id)`;
  const sources = await treeSources(store, only);
  const spans = await store.rows(sources.spans, { capture_id: 'num', pid: 'num', first_us: 'num', last_us: 'num', process: 'str?', ppid: 'num?' });
  const captureSpans = await store.rows(
    sql`SELECT capture_id, min(ts_us) AS first_us, max(ts_us) AS last_us FROM event_rows WHERE ${only} GROUP BY capture_id`,
    { capture_id: 'num', first_us: 'num', last_us: 'num' },
  );
  const spawns = await store.rows(
    sql`SELECT capture_id, pid AS parent, TRY_CAST(regexp_extract(ret, '^\\s*(\\d+)', 1) AS INTEGER) AS child,
               coalesce(contains(args, 'CLONE_THREAD'), FALSE) AS is_thread
        FROM ${sources.calls}
        WHERE list_contains(${joinList(SPAWN_OPS)}, op) AND pid IS NOT NULL AND error IS NULL
          AND TRY_CAST(regexp_extract(ret, '^\\s*(\\d+)', 1) AS INTEGER) > 0
        ORDER BY ts_us, event_id`,
    { capture_id: 'num', parent: 'num', child: 'num', is_thread: 'bool' },
  );
  const execs = await store.rows(
    sql`SELECT capture_id, pid, coalesce(nullif(target, ''), regexp_extract(args, '^\\s*"([^"]+)"', 1)) AS image
        FROM ${sources.calls}
        WHERE list_contains(${joinList(EXEC_OPS)}, op) AND pid IS NOT NULL AND error IS NULL
        ORDER BY ts_us, event_id`,
    { capture_id: 'num', pid: 'num', image: 'str?' },
  );

  const parentOf = new Map<string, number>();
  const tgidOf = new Map<string, number>();
  for (const s of spans) if (s.ppid !== null) parentOf.set(key(s.capture_id, s.pid), s.ppid);
  for (const s of spawns) {
    const parentTgid = tgidOf.get(key(s.capture_id, s.parent)) ?? s.parent;
    if (s.is_thread) tgidOf.set(key(s.capture_id, s.child), parentTgid);
    else parentOf.set(key(s.capture_id, s.child), parentTgid);
  }
  const imageOf = new Map<string, string>();
  for (const x of execs) {
    if (!x.image) continue;
    const tgid = tgidOf.get(key(x.capture_id, x.pid)) ?? x.pid;
    imageOf.set(key(x.capture_id, tgid), x.image);
  }

  const capSpan = new Map(captureSpans.map((c) => [c.capture_id, c.last_us - c.first_us]));
  // Lifetime of a whole thread group (threads extend their process).
  const groupSpan = new Map<string, { first: number; last: number }>();
  for (const s of spans) {
    const k = key(s.capture_id, tgidOf.get(key(s.capture_id, s.pid)) ?? s.pid);
    const g = groupSpan.get(k);
    groupSpan.set(k, g ? { first: Math.min(g.first, s.first_us), last: Math.max(g.last, s.last_us) } : { first: s.first_us, last: s.last_us });
  }
  const isLongLived = (capture: number, tgid: number): boolean => {
    const g = groupSpan.get(key(capture, tgid));
    const total = capSpan.get(capture) ?? 0;
    return g !== undefined && total > 0 && g.last - g.first >= LONG_LIVED_SHARE * total;
  };
  const imageFor = (capture: number, tgid: number, fallback: string | null): string | null => {
    // A forked child that has not exec'd yet runs its parent's image.
    let cur: number | undefined = tgid;
    for (let depth = 0; cur !== undefined && depth < 64; depth++) {
      const img = imageOf.get(key(capture, cur));
      if (img) return img;
      cur = parentOf.get(key(capture, cur));
    }
    return fallback;
  };

  const procs: ProcInfo[] = spans.map((s) => {
    const tgid = tgidOf.get(key(s.capture_id, s.pid)) ?? s.pid;
    const parent = parentOf.get(key(s.capture_id, tgid)) ?? null;
    let root = tgid;
    for (let depth = 0; depth < 64 && !isLongLived(s.capture_id, root); depth++) {
      const up = parentOf.get(key(s.capture_id, root));
      if (up === undefined || isLongLived(s.capture_id, up)) break;
      root = up;
    }
    return {
      capture_id: s.capture_id,
      pid: s.pid,
      tgid,
      parent_pid: parent,
      image: imageFor(s.capture_id, tgid, s.process),
      parent_image: parent === null ? null : imageFor(s.capture_id, parent, null),
      root_pid: root,
      long_lived: isLongLived(s.capture_id, tgid),
      first_us: s.first_us,
      last_us: s.last_us,
    };
  });
  await writeTempTable(store, procs);
  return new ProcessTree(procs);
}

function joinList(values: string[]): Sql {
  return sql`[${joinSql(values.map((v) => sql`${v}`), ', ')}]`;
}

async function writeTempTable(store: CaseStore, procs: ProcInfo[]): Promise<void> {
  await store.exec(sql`CREATE OR REPLACE TEMP TABLE triage_proc (
    capture_id INTEGER, pid INTEGER, tgid INTEGER, parent_pid INTEGER, image VARCHAR, parent_image VARCHAR, root_pid INTEGER)`);
  if (procs.length === 0) return;
  // One statement, each column one bound JSON list unnested side by side (thousands of processes:
  // a VALUES list per few hundred rows cost a statement each).
  const column = (values: (number | string | null)[], type: 'INTEGER' | 'VARCHAR'): Sql => sql`unnest(CAST(CAST(${JSON.stringify(values)} AS JSON) AS ${rawSql(type)}[]))`;
  await store.exec(sql`INSERT INTO triage_proc SELECT
    ${column(procs.map((p) => p.capture_id), 'INTEGER')}, ${column(procs.map((p) => p.pid), 'INTEGER')}, ${column(procs.map((p) => p.tgid), 'INTEGER')},
    ${column(procs.map((p) => p.parent_pid), 'INTEGER')}, ${column(procs.map((p) => p.image), 'VARCHAR')}, ${column(procs.map((p) => p.parent_image), 'VARCHAR')},
    ${column(procs.map((p) => p.root_pid), 'INTEGER')}`);
}
