// In the selected-event panel: the findings and the incident that include the event (title,
// score, state); a click shows that finding or incident in the findings panel. Uses the findings
// and incidents the contract already lists (each with its event ids), fetched once per data
// version, not per selected event.
import { useEffect, useMemo, useState } from 'react';
import type { Finding, Incident } from '../../../core/api.ts';
import { useApiResult } from '../api/useApiResult.ts';
import { useWorkbench } from '../state/workbench.tsx';
import { showInFindings, workflowChanged } from './findings-bus.ts';
import { membershipsOf, stateOfFinding } from './findings-list.ts';

const LABEL = { open: 'open', confirmed: 'confirmed', false_positive: 'false positive', needs_review: 'needs review' } as const;

export function EventFindings({ event_id }: { event_id: number }) {
  const { api } = useWorkbench();
  const [changed, setChanged] = useState(0);
  useEffect(() => workflowChanged.on(() => setChanged((n) => n + 1)), []);
  const { value: data } = useApiResult<{ findings: Finding[]; incidents: Incident[] }>(
    `memberships/${changed}`,
    async () => {
      const [findings, incidents] = await Promise.all([api.findings({}), api.incidents({})]);
      return { findings, incidents };
    },
    { keepWhileLoading: true },
  );
  const found = useMemo(() => (data ? membershipsOf(event_id, data.findings, data.incidents) : null), [data, event_id]);
  if (!found) return null;
  if (found.findings.length === 0 && found.incidents.length === 0) {
    return (
      <p className="muted" data-testid="event-findings-none">
        In no finding.
      </p>
    );
  }
  return (
    <div className="event-findings" data-testid="event-findings">
      <h4>In findings and incidents</h4>
      <ul>
        {found.incidents.map((i) => (
          <li key={`i${i.id}`}>
            <button type="button" className="link" data-testid="event-incident" data-incident-id={i.id} onClick={() => showInFindings.emit({ subject: 'incident', id: i.id })}>
              <span className="score">{i.score}</span> incident: {i.title} <span className="muted">· {LABEL[i.workflow.state]}</span>
            </button>
          </li>
        ))}
        {found.findings.map((f) => (
          <li key={`f${f.finding_id}`}>
            <button type="button" className="link" data-testid="event-finding" data-finding-id={f.finding_id} onClick={() => showInFindings.emit({ subject: 'finding', id: f.finding_id })}>
              <span className="score">{f.score.toFixed(0)}</span> {f.title} <span className="muted">· {LABEL[stateOfFinding(f)]}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
