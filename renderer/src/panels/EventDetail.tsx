// The selected event's fields (long values wrap in full here; the table truncates them), the
// buttons that annotate and pin it — also the key map's `a` and `p`, wherever the focus is — and
// the findings and incident that include it.
import { useKeyActions } from '../keys/KeyActions.tsx';
import { useWorkbench } from '../state/workbench.tsx';
import { EventFindings } from './EventFindings.tsx';
import { formatDuration, formatTimestamp } from '../display/time.ts';

export function EventDetail() {
  const { selectedEvent: event, selection, localTime, openEditor, caseInfo, isPinned, togglePin } = useWorkbench();
  useKeyActions({
    annotate: () => event && openEditor({ kind: 'event', event_id: event.event_id, ts_us: event.ts_us }),
    // The selection is known at once; its details load after. A pin needs only the id, so `p`
    // right after moving the selection pins the event moved to, not the one shown before.
    pin: () => {
      const id = selection?.event_id ?? event?.event_id;
      if (id !== undefined) void togglePin(id);
    },
  });
  if (!event) {
    return (
      <section className="panel event-detail" data-testid="event-detail" tabIndex={-1}>
        <h3>Selected event</h3>
        <p className="muted">Select an event in the table or on the timeline.</p>
      </section>
    );
  }
  const capture = caseInfo.captures.find((c) => c.capture_id === event.capture_id);
  const rows: [string, string][] = [
    ['time', formatTimestamp(event.ts_us, localTime)],
    ['duration', formatDuration(event.dur_us)],
    ['host', event.host ?? ''],
    ['pid / tid / ppid', [event.pid, event.tid, event.ppid].map((v) => v ?? '—').join(' / ')],
    ['process', event.process ?? ''],
    ['kind / category', `${event.kind} / ${event.category}`],
    ['level', event.level ?? ''],
    ['target', event.target ?? ''],
    ['args', event.args ?? ''],
    ['ret', event.ret ?? ''],
    ['error', event.error ?? ''],
    ['source', `${capture?.file_name ?? `capture ${event.capture_id}`} line ${event.source_line}`],
  ];
  const pinned = isPinned(event.event_id);
  if (event.ts_raw_us !== event.ts_us) rows.push(['raw time', formatTimestamp(event.ts_raw_us, localTime)]);
  if (event.fields) rows.push(['fields', JSON.stringify(event.fields)]);
  return (
    <section className="panel event-detail" data-testid="event-detail" data-event-id={event.event_id} tabIndex={-1} aria-label="Selected event">
      <h3>
        <span className="mono">{event.op}</span> <span className="muted">#{event.event_id}</span>
        <button
          type="button"
          className={`pin-toggle${pinned ? ' active' : ''}`}
          onClick={() => void togglePin(event.event_id)}
          aria-pressed={pinned}
          title={pinned ? 'Unpin (p)' : 'Pin (p)'}
          data-testid="detail-pin"
        >
          {pinned ? '★ Pinned' : '☆ Pin'}
        </button>
        <button type="button" className="primary" onClick={() => openEditor({ kind: 'event', event_id: event.event_id, ts_us: event.ts_us })} data-testid="annotate-button">
          Annotate
        </button>
      </h3>
      <dl>
        {rows
          .filter(([, value]) => value !== '')
          .map(([label, value]) => (
            <div key={label} className={label === 'error' ? 'failed' : undefined}>
              <dt>{label}</dt>
              <dd className="mono">{value}</dd>
            </div>
          ))}
      </dl>
      <EventFindings event_id={event.event_id} />
    </section>
  );
}
