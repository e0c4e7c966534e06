// The chain of links around the selected event (core/links): its socket's opening call, the flow
// on the wire, the ICS operations it carried and the device's records. Clicking a row selects
// the event at its other end. "Follow" (button or the F key) asks for the ordered chain process →
// call → flow → ICS operations → alarm (followChain), lists it step by step (each clickable) and
// has the timeline draw it as connectors across the lanes.
import { useCallback, useEffect, useState } from 'react';
import type { ChainRole, FollowedChain, Link } from '../../../core/api.ts';
import { formatTimestamp } from '../display/time.ts';
import { useApiResult } from '../api/useApiResult.ts';
import { useWorkbench } from '../state/workbench.tsx';
import { orderUncertainText } from '../timeline/connectors.ts';
import { setFollowedChain, useFollowedChain } from '../timeline/follow-state.ts';

/** Rows shown; a polling connection's chain can list hundreds of operations. */
const SHOWN = 100;

const ROLE_LABEL: Record<ChainRole, string> = { call: 'call', flow: 'flow', ics: 'ICS op', device: 'device', alarm: 'alarm' };

/** True when a key press is meant for a text field, not a shortcut. */
function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

function FollowedSteps({ chain }: { chain: FollowedChain }) {
  const { select, selection, localTime } = useWorkbench();
  const p = chain.process;
  return (
    <div className="followed-chain" data-testid="followed-chain" data-event-id={chain.event_id}>
      {p && (
        <p className="muted" data-testid="followed-process">
          process {p.image ?? '?'} (pid {p.pid}){p.ancestry.length > 0 ? ` ← ${p.ancestry.join(' ← ')}` : ''}
        </p>
      )}
      <ol className="surrounding-list">
        {chain.steps.slice(0, SHOWN).map((s) => (
          <li
            key={s.event.event_id}
            data-testid="follow-step"
            data-role={s.role}
            data-event-id={s.event.event_id}
            aria-selected={selection?.event_id === s.event.event_id}
            onClick={() => select(s.event.event_id, 'panel')}
            title={s.order_uncertain ? orderUncertainText(s.order_uncertain) : `capture ${s.event.capture_id}, ${s.depth} link(s) away`}
          >
            <span className="kind">{ROLE_LABEL[s.role]}</span>
            <span className="mono">{formatTimestamp(s.event.ts_us, localTime).slice(11)}</span>
            {s.order_uncertain && (
              <span className="order-uncertain" data-testid="follow-order-uncertain">
                ≈
              </span>
            )}
            <span className="mono op">{s.event.op}</span>
            <span className="mono target">{s.event.target ?? ''}</span>
          </li>
        ))}
      </ol>
      {chain.steps.length > SHOWN && <p className="muted">Showing {SHOWN} of {chain.steps.length} steps.</p>}
      {chain.truncated && <p className="muted">The chain goes on beyond the depth or size bound.</p>}
    </div>
  );
}

export function LinksPanel() {
  const { api, selection, select, reportError, dataVersion } = useWorkbench();
  const followed = useFollowedChain();
  const [following, setFollowing] = useState(false);
  const eventId = selection?.event_id ?? null;

  const { value: links } = useApiResult<Link[]>(eventId === null ? null : `${eventId}`, () => api.links({ event_id: eventId ?? 0 }));

  // A new case or a new import makes the followed chain stale.
  useEffect(() => () => setFollowedChain(null), [dataVersion]);

  const follow = useCallback(() => {
    if (eventId === null) return;
    setFollowing(true);
    api.followChain({ event_id: eventId }).then(
      (chain) => setFollowedChain(chain),
      (error: unknown) => reportError(error),
    ).finally(() => setFollowing(false));
  }, [api, eventId, reportError]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'f' || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      e.preventDefault();
      follow();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [follow]);

  return (
    <section className="panel links" data-testid="links-panel">
      <h3>
        Links{links && links.length > 0 ? ` (${links.length})` : ''}
        <span className="spacer" />
        <button type="button" onClick={follow} disabled={eventId === null || following} data-testid="follow-button" title="Follow the chain process → call → flow → ICS operations → alarm (F)">
          {following ? 'Following…' : 'Follow'}
        </button>
        {followed && (
          <button type="button" onClick={() => setFollowedChain(null)} data-testid="follow-clear" title="Stop drawing the followed chain">
            Clear
          </button>
        )}
      </h3>
      {followed && <FollowedSteps chain={followed} />}
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
