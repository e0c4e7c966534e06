// The case's processes as a tree (who started whom, across captures): image, pid, command line,
// a lifetime bar over the case's span and a badge of the findings at or below each process.
// Choosing a process (with or without what it started) filters the table and marks or isolates
// its lanes on the timeline.
import { useEffect, useMemo, useState } from 'react';
import type { ProcessNode } from '../../../core/api.ts';
import { formatTimestamp } from '../display/time.ts';
import { imageName, indexTree, initiallyExpanded, visibleRows, withDescendants } from '../process/tree.ts';
import { useWorkbench } from '../state/workbench.tsx';

export function ProcessTreePanel() {
  const { api, caseInfo, dataVersion, reportError, processFocus, focusProcess, localTime } = useWorkbench();
  const [nodes, setNodes] = useState<ProcessNode[] | null>(null);
  const [expanded, setExpanded] = useState<Set<number>>(new Set());
  const [withChildren, setWithChildren] = useState(true);
  const [lanesOnly, setLanesOnly] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    api.processes({}).then(
      (answer) => {
        if (!live) return;
        setNodes(answer);
        setExpanded(initiallyExpanded(indexTree(answer)));
      },
      (error: unknown) => live && reportError(error),
    );
    return () => {
      live = false;
    };
  }, [api, dataVersion, reportError]);

  const index = useMemo(() => (nodes ? indexTree(nodes) : null), [nodes]);
  const rows = useMemo(() => (index ? visibleRows(index, expanded) : []), [index, expanded]);

  // The focus follows the options while a process is chosen.
  useEffect(() => {
    if (selected === null || !index) return;
    const node = index.byId.get(selected);
    if (!node) return;
    const ids = withChildren ? withDescendants(selected, index) : [selected];
    const label = `${imageName(node)} ${node.pid}${withChildren && ids.length > 1 ? ` + ${ids.length - 1} below` : ''}`;
    focusProcess({ proc_ids: ids, label, lanesOnly });
  }, [selected, withChildren, lanesOnly, index, focusProcess]);
  // Cleared from the table's chip: forget the choice here too.
  useEffect(() => {
    if (processFocus === null) setSelected(null);
  }, [processFocus]);

  const toggle = (id: number) =>
    setExpanded((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const span = Math.max(1, caseInfo.last_us !== null && caseInfo.first_us !== null ? caseInfo.last_us - caseInfo.first_us : 1);
  const offset = (us: number) => (caseInfo.first_us === null ? 0 : Math.min(1, Math.max(0, (us - caseInfo.first_us) / span)));

  return (
    <section className="panel processes" data-testid="process-tree">
      <div className="panel-options">
        <label className="toggle" title="Choosing a process also takes what it started">
          <input type="checkbox" checked={withChildren} onChange={(e) => setWithChildren(e.target.checked)} data-testid="process-with-children" />
          with children
        </label>
        <label className="toggle" title="Show only the chosen processes' lanes on the timeline">
          <input type="checkbox" checked={lanesOnly} onChange={(e) => setLanesOnly(e.target.checked)} data-testid="process-lanes-only" />
          only their lanes
        </label>
      </div>
      {nodes === null && <p className="muted">Loading processes…</p>}
      {nodes?.length === 0 && <p className="muted">No process activity in this case.</p>}
      <ul className="process-rows" role="tree">
        {rows.map(({ node, depth, hasChildren, expanded: open, findingsBelow }) => {
          const isSelected = selected === node.proc_id;
          const own = node.finding_ids?.length ?? 0;
          return (
            <li
              key={node.proc_id}
              role="treeitem"
              aria-expanded={hasChildren ? open : undefined}
              aria-selected={isSelected}
              className={`process-row${isSelected ? ' selected' : ''}`}
              style={{ paddingLeft: 4 + depth * 12 }}
              data-testid="process-row"
              data-proc-id={node.proc_id}
              data-pid={node.pid}
              title={[
                node.command_line ?? node.image ?? '',
                `pid ${node.pid}${node.host_pid !== null && node.host_pid !== node.pid ? ` (host pid ${node.host_pid})` : ''}${node.user ? ` · user ${node.user}` : ''}`,
                `${formatTimestamp(node.start_us, localTime)} → ${formatTimestamp(node.end_us, localTime)}${node.exited ? ` · exit ${node.exit_code ?? '?'}` : ''}`,
                `captures ${node.captures.join(', ')} · ${node.events} events`,
              ].join('\n')}
            >
              <button type="button" className="link twisty" onClick={() => hasChildren && toggle(node.proc_id)} aria-label={open ? 'collapse' : 'expand'} data-testid="process-twisty" disabled={!hasChildren}>
                {hasChildren ? (open ? '▾' : '▸') : '·'}
              </button>
              <button type="button" className="link process-name" onClick={() => setSelected(isSelected ? null : node.proc_id)} data-testid="process-name">
                <strong>{imageName(node)}</strong> <span className="muted mono">{node.pid}</span>{' '}
                <span className="muted process-cmd">{node.command_line && node.command_line !== node.image ? node.command_line : ''}</span>
              </button>
              {findingsBelow > 0 && (
                <span className={`badge${own > 0 ? ' own' : ''}`} title={`${own} finding(s) on this process, ${findingsBelow} including what it started`} data-testid="process-findings">
                  {findingsBelow}
                </span>
              )}
              <span className="lifetime" aria-hidden="true">
                <span style={{ left: `${offset(node.start_us) * 100}%`, width: `${Math.max(0.5, (offset(node.end_us) - offset(node.start_us)) * 100)}%` }} />
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
