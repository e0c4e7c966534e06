// What the selected event's operation does, when it is benign or suspicious, and what to check next.
import type { GuidanceResponse } from '../../../core/api.ts';
import { useApiResult } from '../api/useApiResult.ts';
import { useWorkbench } from '../state/workbench.tsx';

function List({ title, items, testId }: { title: string; items: string[]; testId: string }) {
  if (items.length === 0) return null;
  return (
    <div data-testid={testId}>
      <h4>{title}</h4>
      <ul>
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </div>
  );
}

export function GuidancePanel() {
  const { api, selection } = useWorkbench();
  const eventId = selection?.event_id ?? null;
  const { value: answer } = useApiResult<GuidanceResponse>(eventId === null ? null : `${eventId}`, () => api.guidance({ event_id: eventId ?? 0 }));

  const entry = answer?.entry ?? null;
  return (
    <section className="panel guidance" data-testid="guidance-panel" data-has-entry={entry ? 'true' : 'false'}>
      <h3>Guidance{entry ? `: ${entry.title}` : ''}</h3>
      {eventId === null && <p className="muted">Select an event for guidance on its operation.</p>}
      {answer && !entry && (
        <p className="muted" data-testid="guidance-empty">
          No guidance entry for this operation yet.
        </p>
      )}
      {entry && (
        <>
          <p>{entry.what_it_does}</p>
          <List title="Benign uses" items={entry.benign} testId="guidance-benign" />
          <List title="Suspicious patterns" items={entry.suspicious} testId="guidance-suspicious" />
          <List title="Check next" items={entry.check_next} testId="guidance-check-next" />
          {(entry.attack_enterprise.length > 0 || entry.attack_ics.length > 0) && (
            <p className="attack" data-testid="guidance-attack">
              ATT&amp;CK: {[...entry.attack_enterprise, ...entry.attack_ics].join(', ')}
            </p>
          )}
          {entry.references.length > 0 && (
            <div>
              <h4>References</h4>
              <ul>
                {entry.references.map((ref) => (
                  <li key={ref} className="mono">
                    {ref}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
      {answer && <List title="About this event" items={answer.remarks} testId="guidance-remarks" />}
    </section>
  );
}
