// What is derived from a case's events and kept in it, brought up to date together after an
// import: the process tree, then the links (socket calls ↔ flows ↔ ICS operations), then the
// per-capture target counts the stacking panel reads. Each step reads only the captures imported
// or aligned since it last ran (what a capture brings is kept per capture, migrations 15–16) and
// redoes a join across captures from the kept rows only where a new capture can change it.
// Triage runs after, since its rules read process ancestry. The tree and the links are also
// rebuilt on read when stale; the counts are not (a read scans the events instead: target-counts.ts).
import { rebuildLinks } from '../links/store.ts';
import { rebuildProcessTree } from '../process/store.ts';
import { ensureTargetCounts } from '../query/target-counts.ts';
import type { CaseStore } from '../store/case-store.ts';

export async function rebuildDerived(store: CaseStore): Promise<void> {
  await rebuildProcessTree(store);
  await rebuildLinks(store);
  await ensureTargetCounts(store);
}
