// The process tree as the panel shows it: children under parents, collapsed or expanded, and a
// process's descendants (what "this process and what it started" selects).
import type { ProcessNode } from '../../../core/api.ts';

export interface TreeIndex {
  byId: Map<number, ProcessNode>;
  children: Map<number | null, ProcessNode[]>;
}

export function indexTree(nodes: readonly ProcessNode[]): TreeIndex {
  const byId = new Map(nodes.map((n) => [n.proc_id, n]));
  const children = new Map<number | null, ProcessNode[]>();
  for (const n of nodes) {
    // A parent missing from the list (never expected) makes the node a root rather than lost.
    const parent = n.parent_id !== null && byId.has(n.parent_id) ? n.parent_id : null;
    const list = children.get(parent) ?? [];
    list.push(n);
    children.set(parent, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.start_us - b.start_us || a.pid - b.pid);
  return { byId, children };
}

/** `id` and every process below it. */
export function withDescendants(id: number, index: TreeIndex): number[] {
  const out: number[] = [];
  const stack = [id];
  while (stack.length > 0) {
    const cur = stack.pop() as number;
    out.push(cur);
    for (const child of index.children.get(cur) ?? []) stack.push(child.proc_id);
  }
  return out;
}

export interface TreeRow {
  node: ProcessNode;
  depth: number;
  hasChildren: boolean;
  expanded: boolean;
  /** Findings of this process and everything below it. */
  findingsBelow: number;
}

/** The rows a reader sees: roots, and the children of expanded nodes, depth first. */
export function visibleRows(index: TreeIndex, expanded: ReadonlySet<number>): TreeRow[] {
  const below = findingsBelow(index);
  const rows: TreeRow[] = [];
  const walk = (parent: number | null, depth: number): void => {
    for (const node of index.children.get(parent) ?? []) {
      const hasChildren = (index.children.get(node.proc_id)?.length ?? 0) > 0;
      const open = expanded.has(node.proc_id);
      rows.push({ node, depth, hasChildren, expanded: open, findingsBelow: below.get(node.proc_id) ?? 0 });
      if (open) walk(node.proc_id, depth + 1);
    }
  };
  walk(null, 0);
  return rows;
}

function findingsBelow(index: TreeIndex): Map<number, number> {
  const sets = new Map<number, Set<number>>();
  const collect = (node: ProcessNode): Set<number> => {
    const own = new Set(node.finding_ids ?? []);
    for (const child of index.children.get(node.proc_id) ?? []) for (const f of collect(child)) own.add(f);
    sets.set(node.proc_id, own);
    return own;
  };
  for (const root of index.children.get(null) ?? []) collect(root);
  return new Map([...sets].map(([id, s]) => [id, s.size]));
}

/** Opened at first: every process on the way to one with findings, so the suspicious branches show. */
export function initiallyExpanded(index: TreeIndex): Set<number> {
  const open = new Set<number>();
  for (const node of index.byId.values()) {
    if (!node.finding_ids || node.finding_ids.length === 0) continue;
    let cur = node.parent_id;
    while (cur !== null && !open.has(cur)) {
      open.add(cur);
      cur = index.byId.get(cur)?.parent_id ?? null;
    }
  }
  return open;
}

export function imageName(node: ProcessNode): string {
  const path = node.image ?? '';
  return path.split(/[\\/]/).pop() || path || '(unknown)';
}
