// Who is who in a -f trace: the id a line shows may be a process or a thread. Fork-family
// results name the children (CLONE_THREAD → a thread of the caller's group), execve renames the
// group, children inherit the parent's name. A child often prints before its parent's
// `<... clone resumed> = N` line, so an unknown id seen while some task has a fork in flight is
// adopted by the most recent such fork, and confirmed (or corrected) when the result arrives.
import { posix } from 'node:path';

/** Identity of a line's task as it goes into an event. */
export interface TaskIdentity {
  pid: number | null;
  tid: number | null;
  ppid: number | null;
  process: string | null;
}

/** Key for lines whose id is unknown (leader lines without a prefix on stderr captures). */
const UNKNOWN = -1;

interface ForkInFlight {
  isThread: boolean;
  /** Child already adopted for this fork before its result was known. */
  adopted: number | null;
}

export class TaskTable {
  /** tid → thread-group id, for ids known to be threads of another task. */
  private readonly groupOf = new Map<number, number>();
  private readonly nameOf = new Map<number, string>();
  private readonly parentOf = new Map<number, number>();
  private readonly seen = new Set<number>();
  private readonly forks = new Map<number, ForkInFlight>();

  /** The event identity of the id a line shows (null: the line had no id). */
  identify(lineId: number | null, out: TaskIdentity): void {
    const key = lineId ?? UNKNOWN;
    if (!this.seen.has(key)) this.firstSight(key);
    const group = this.groupOf.get(key) ?? key;
    out.pid = group === UNKNOWN ? null : group;
    out.tid = lineId;
    const parent = this.parentOf.get(group);
    out.ppid = parent === undefined || parent === UNKNOWN ? null : parent;
    out.process = this.nameOf.get(group) ?? null;
  }

  /** Name of the id's thread group, if known. */
  nameOfLine(lineId: number | null): string | null {
    const key = lineId ?? UNKNOWN;
    return this.nameOf.get(this.groupOf.get(key) ?? key) ?? null;
  }

  /** A fork-family call started and has not returned yet. */
  forkStarted(lineId: number | null, isThread: boolean): void {
    this.forks.set(lineId ?? UNKNOWN, { isThread, adopted: null });
  }

  /** A fork-family call returned `childId` (> 0) in the caller `lineId`. */
  forked(lineId: number | null, childId: number, isThread: boolean): void {
    const key = lineId ?? UNKNOWN;
    const flight = this.forks.get(key);
    this.forks.delete(key);
    if (flight?.adopted === childId) return; // already linked when the child printed first
    const ownName = this.nameOf.get(childId);
    const unlinked = this.seen.has(childId) && !this.parentOf.has(childId) && !this.groupOf.has(childId);
    this.link(key, childId, isThread);
    // seen before but never linked (e.g. announced by a notice): keep a name it earned by exec
    if (unlinked && ownName !== undefined && !isThread) this.nameOf.set(childId, ownName);
    this.seen.add(childId);
  }

  /** A fork-family call ended without a child (error, or never resumed). */
  forkAbandoned(lineId: number | null): void {
    this.forks.delete(lineId ?? UNKNOWN);
  }

  /** A successful exec: the thread group now runs `program`. */
  execed(lineId: number | null, program: string): void {
    const key = lineId ?? UNKNOWN;
    const base = posix.basename(program);
    if (base) this.nameOf.set(this.groupOf.get(key) ?? key, base);
  }

  /** The group ran an exec whose program is unknown (ltrace "--- Called exec() ---"). */
  forgetName(lineId: number | null): void {
    const key = lineId ?? UNKNOWN;
    this.nameOf.delete(this.groupOf.get(key) ?? key);
  }

  /** Sets the name of an id's group when nothing better is known (file-name pid, notices). */
  setName(lineId: number | null, name: string): void {
    const key = lineId ?? UNKNOWN;
    this.nameOf.set(this.groupOf.get(key) ?? key, name);
  }

  /**
   * The lines without an id turned out to be task `id` (stderr captures print "[pid N]" only
   * while several tasks are traced): what was recorded for the unknown task now belongs to it.
   */
  identifyUnknown(id: number): void {
    const name = this.nameOf.get(UNKNOWN);
    if (name !== undefined && !this.nameOf.has(id)) this.nameOf.set(id, name);
    const parent = this.parentOf.get(UNKNOWN);
    if (parent !== undefined && !this.parentOf.has(id)) this.parentOf.set(id, parent);
    for (const [k, v] of this.parentOf) if (v === UNKNOWN) this.parentOf.set(k, id);
    for (const [k, v] of this.groupOf) if (v === UNKNOWN) this.groupOf.set(k, id);
    const fork = this.forks.get(UNKNOWN);
    if (fork !== undefined && !this.forks.has(id)) this.forks.set(id, fork);
    this.forks.delete(UNKNOWN);
    this.seen.add(id);
  }

  private firstSight(key: number): void {
    this.seen.add(key);
    if (key === UNKNOWN) return;
    let parent: number | null = null;
    let flight: ForkInFlight | null = null;
    for (const [caller, f] of this.forks) {
      if (f.adopted === null && caller !== key) {
        parent = caller; // Map keeps insertion order: the last match is the latest fork
        flight = f;
      }
    }
    if (parent === null || flight === null) return;
    flight.adopted = key;
    this.link(parent, key, flight.isThread);
  }

  private link(parentKey: number, child: number, isThread: boolean): void {
    const parentGroup = this.groupOf.get(parentKey) ?? parentKey;
    const name = this.nameOf.get(parentGroup);
    if (isThread) {
      this.groupOf.set(child, parentGroup);
      return;
    }
    // a new process (also when a pid is reused): forget any earlier life of this id
    this.groupOf.delete(child);
    this.parentOf.set(child, parentGroup);
    if (name !== undefined) this.nameOf.set(child, name);
    else this.nameOf.delete(child);
  }
}

/**
 * The pid of a per-process file written by `strace -ff -o NAME` (NAME.1234). Used only for lines
 * that carry no pid of their own.
 */
export function pidFromFileName(fileName: string): number | null {
  const m = /\.(\d{1,9})$/.exec(fileName);
  return m ? Number(m[1]) : null;
}
