// The chain of links around the selected event (core/links): its socket's opening call, the flow
// on the wire, the ICS operations it carried and the device's records. Clicking a row selects
// the event at its other end.
import { useEffect, useState } from 'react';
import type { Link } from '../../../core/api.ts';
import { useWorkbench } from '../state/workbench.tsx';

/** Rows shown; a polling connection's chain can list hundreds of operations. */
const SHOWN = 100;

export function LinksPanel() {
  const { api, selection, select, reportError, dataVersion } = useWorkbench();
  const [links, setLinks] = useState<Link[] | null>(null);
  const eventId = selection?.event_id ?? null;

  useEffect(() => {
    setLinks(null);
    if (eventId === null) return;
    let live = true;
    api.links({ event_id: eventId }).then(
      (result) => live && setLinks(result),
      (error: unknown) => live && reportError(error),
    );
    return () => {
      live = false;
    };
  }, [api, eventId, reportError, dataVersion]);

  return (
    <section className="panel links" data-testid="links-panel">
      <h3>Links{links && links.length > 0 ? ` (${links.length})` : ''}</h3>
      {eventId === null && <p className="muted">Select an event to follow it across captures.</p>}
      {links && links.length === 0 && <p className="muted">No link: this event was not matched to another capture.</p>}
      {links && links.length > 0 && (
        <ol className="surrounding-list">
          {links.slice(0, SHOWN).map((l) => {
            const other = l.from_event === eventId ? l.to_event : l.from_event;
            return (
              <li
                key={`${l.from_event}-${l.to_event}-${l.kind}`}
                data-testid="links-row"
                data-kind={l.kind}
                onClick={() => select(other, 'panel')}
                title={l.rule}
              >
                <span className="mono">{l.confidence.toFixed(2)}</span>
                <span className="kind">{l.kind}</span>
                <span className="mono op">
                  {l.from_event} → {l.to_event}
                </span>
                <span className="mono target">{l.rule}</span>
              </li>
            );
          })}
        </ol>
      )}
      {links && links.length > SHOWN && <p className="muted">Showing {SHOWN} of {links.length}.</p>}
    </section>
  );
}
