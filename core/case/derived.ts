// What is derived from a case's events and kept in it, rebuilt together after an import: the
// process tree, then the links (socket calls ↔ flows ↔ ICS operations). Triage runs after both,
// since its rules read process ancestry. Each is also rebuilt on read when it is stale.
import { rebuildLinks } from '../links/store.ts';
import { rebuildProcessTree } from '../process/store.ts';
import type { CaseStore } from '../store/case-store.ts';

export async function rebuildDerived(store: CaseStore): Promise<void> {
  await rebuildProcessTree(store);
  await rebuildLinks(store);
}
