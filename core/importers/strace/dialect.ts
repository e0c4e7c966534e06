// What differs between strace and ltrace for the line engine they share (calls.ts): names,
// categories, targets, and the wording of signals and exits.
import type { Category, EventKind } from '../../model/event.ts';

/** A "--- … ---" or "+++ … +++" line as the dialect reads it. */
export interface MarkerEvent {
  kind: EventKind;
  op: string;
  category: Category;
  args: string | null;
  ret: string | null;
}

export interface TraceDialect {
  /** Tool name for messages ("strace", "ltrace"). */
  tool: string;
  /** Allow library-style names ("strlen@libc.so.6", "SYS_openat"). */
  libraryNames: boolean;
  categoryOf(name: string): Category;
  targetOf(name: string, args: string, retDecoration: string | null): string | null;
  /** The call creates a child whose id is the return value (in the parent). */
  isFork(name: string): boolean;
  /** The call replaces the program image; returns the program when known. */
  isExec(name: string): boolean;
  /** "--- SIGCHLD {…} ---" and friends (the text between the markers). */
  signal(inner: string): MarkerEvent;
  /** "+++ exited with 0 +++" and friends (the text between the markers). */
  exit(inner: string): MarkerEvent;
}
