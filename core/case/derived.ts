// What is derived from a case's events and kept in it, rebuilt together after an import: the
// process tree, then the links (socket calls ↔ flows ↔ ICS operations), then the per-capture
// target counts the stacking panel reads. Triage runs after, since its rules read process
// ancestry. The tree and the links are also rebuilt on read when stale; the counts are not (a
// read scans the events instead: target-counts.ts).
import { rebuildLinks } from '../links/store.ts';
import { rebuildProcessTree } from '../process/store.ts';
import { ensureTargetCounts } from '../query/target-counts.ts';
import type { CaseStore } from '../store/case-store.ts';

export async function rebuildDerived(store: CaseStore): Promise<void> {
  await rebuildProcessTree(store);
  await rebuildLinks(store);
  await ensureTargetCounts(store);
}
