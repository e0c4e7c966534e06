// Events from the other captures/sources within ±window of the selected event, nearest first.
import { useState } from 'react';
import type { SurroundingResponse } from '../../../core/api.ts';
import { useApiResult } from '../api/useApiResult.ts';
import { useWorkbench } from '../state/workbench.tsx';
import { categoryColor } from '../timeline/colors.ts';
import { formatDelta } from '../display/time.ts';

const LIMIT = 200;

export function SurroundingPanel() {
  const { api, selection, select, caseInfo } = useWorkbench();
  const [windowSeconds, setWindowSeconds] = useState(5);
  const [otherOnly, setOtherOnly] = useState(true);
  const eventId = selection?.event_id ?? null;
  const window_us = Math.max(1, Math.round(windowSeconds * 1_000_000));
  const { value: answer, loading } = useApiResult<SurroundingResponse>(
    eventId === null ? null : `${eventId}/${window_us}/${otherOnly}`,
    () => api.surrounding({ event_id: eventId ?? 0, window_us, limit: LIMIT, other_captures_only: otherOnly }),
    { keepWhileLoading: true },
  );

  const captureName = (id: number) => caseInfo.captures.find((c) => c.capture_id === id)?.file_name ?? `capture ${id}`;
  return (
    <section className="panel surrounding" data-testid="surrounding-panel" data-loading={loading ? 'true' : 'false'}>
      <h3>Surrounding events</h3>
      <div className="panel-controls">
        <label>
          ±
          <input
            type="number"
            min={0.000001}
            step="any"
            value={windowSeconds}
            onChange={(e) => {
              const value = Number(e.target.value);
              if (Number.isFinite(value) && value > 0) setWindowSeconds(value);
            }}
            data-testid="surrounding-window"
            aria-label="window in seconds"
          />
          s
        </label>
        <label className="toggle">
          <input type="checkbox" checked={otherOnly} onChange={(e) => setOtherOnly(e.target.checked)} data-testid="surrounding-other-only" />
          other captures only
        </label>
      </div>
      {eventId === null && <p className="muted">Select an event to see what happened around it.</p>}
      {answer && answer.events.length === 0 && <p className="muted">Nothing within ±{windowSeconds} s.</p>}
      {answer && answer.events.length > 0 && (
        <ol className="surrounding-list">
          {answer.events.map((event) => (
            <li
              key={event.event_id}
              className={event.same_process ? 'same-process' : undefined}
              data-testid="surrounding-row"
              data-event-id={event.event_id}
              data-same-process={event.same_process ? 'true' : 'false'}
              data-kind={event.kind}
              data-delta-us={event.delta_us}
              onClick={() => select(event.event_id, 'panel')}
              title={`${captureName(event.capture_id)} line ${event.source_line}`}
            >
              <span className="delta mono">{formatDelta(event.delta_us)}</span>
              <span className="kind" style={{ color: categoryColor(event.category) }}>
                {event.kind}
              </span>
              <span className="mono op">{event.op}</span>
              <span className="mono target">{event.target ?? event.args ?? ''}</span>
              <span className="muted">{event.pid !== null ? `pid ${event.pid}` : ''} {event.process ?? ''}</span>
            </li>
          ))}
        </ol>
      )}
      {answer?.truncated && <p className="muted">Showing the nearest {LIMIT}; narrow the window to see all.</p>}
    </section>
  );
}
