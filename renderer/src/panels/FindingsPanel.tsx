// Ranked findings of the triage rules; clicking one selects its first event and shows its range.
import { useEffect, useState } from 'react';
import type { Finding } from '../../../core/api.ts';
import { useTimeView } from '../state/view.tsx';
import { useWorkbench } from '../state/workbench.tsx';
import { viewAround } from '../timeline/view.ts';

export function FindingsPanel() {
  const { api, dataVersion, select, reportError } = useWorkbench();
  const { bounds, setView, setHighlightRange } = useTimeView();
  const [findings, setFindings] = useState<Finding[] | null>(null);

  useEffect(() => {
    let live = true;
    api.findings({}).then(
      (result) => live && setFindings([...result].sort((a, b) => b.score - a.score)),
      (error: unknown) => live && reportError(error),
    );
    return () => {
      live = false;
    };
  }, [api, dataVersion, reportError]);

  const open = (finding: Finding) => {
    const first = finding.event_ids[0];
    if (first !== undefined) select(first, 'panel');
    setHighlightRange({ from_us: finding.first_us, to_us: Math.max(finding.last_us, finding.first_us + 1) });
    if (bounds) setView(viewAround(finding.first_us, finding.last_us, bounds));
  };

  return (
    <section className="panel findings" data-testid="findings-panel">
      {findings === null && <p className="muted">Loading findings…</p>}
      {findings?.length === 0 && <p className="muted">No findings: the rules found nothing to rank in this case.</p>}
      <ol>
        {findings?.map((finding) => (
          <li key={finding.finding_id} data-testid="finding-item" data-finding-id={finding.finding_id} onClick={() => open(finding)}>
            <div className="finding-head">
              <span className="score">{finding.score.toFixed(1)}</span>
              <strong>{finding.title}</strong>
            </div>
            <div className="muted mono">{finding.rule}</div>
            <p>{finding.explanation}</p>
            {finding.attack.length > 0 && <div className="attack">ATT&amp;CK: {finding.attack.join(', ')}</div>}
            {finding.check_next.length > 0 && <div className="muted">Next: {finding.check_next.join('; ')}</div>}
          </li>
        ))}
      </ol>
    </section>
  );
}
