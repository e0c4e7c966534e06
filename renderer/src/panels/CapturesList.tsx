// The case's captures: format, hash, counts, time range, clock offset (editable, applied with
// align) and the baseline flag.
import { useState } from 'react';
import type { CaptureInfo } from '../../../core/api.ts';
import { useWorkbench } from '../state/workbench.tsx';
import { formatDuration, formatTimestamp, parseSecondsToUs } from '../display/time.ts';
import { formatCount } from '../display/count.ts';
import { dateBasisLabel } from '../display/date-basis.ts';

function OffsetEditor({ capture }: { capture: CaptureInfo }) {
  const { api, refreshCase, bumpData, reportError } = useWorkbench();
  const [text, setText] = useState(String(capture.clock_offset_us / 1_000_000));
  const parsed = parseSecondsToUs(text);
  const apply = async () => {
    if (parsed === null) return;
    try {
      await api.align({ capture_id: capture.capture_id, offset_us: parsed });
      await refreshCase();
      bumpData();
    } catch (error) {
      reportError(error);
    }
  };
  return (
    <form
      className="offset-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void apply();
      }}
    >
      <input value={text} onChange={(e) => setText(e.target.value)} aria-label="clock offset in seconds" data-testid="capture-offset" className={parsed === null ? 'invalid' : undefined} size={10} />
      <span>s</span>
      <button type="submit" disabled={parsed === null || parsed === capture.clock_offset_us} data-testid="capture-offset-apply">
        Set offset
      </button>
    </form>
  );
}

export function CapturesList() {
  const { api, caseInfo, refreshCase, bumpData, localTime, reportError } = useWorkbench();
  const setBaseline = async (capture: CaptureInfo, baseline: boolean) => {
    try {
      await api.setBaseline({ capture_id: capture.capture_id, baseline });
      await refreshCase();
      bumpData();
    } catch (error) {
      reportError(error);
    }
  };
  return (
    <section className="panel captures" data-testid="captures-list">
      {caseInfo.captures.length === 0 && <p className="muted">No captures yet: use Import.</p>}
      <ul>
        {caseInfo.captures.map((capture) => (
          <li key={capture.capture_id} data-testid="capture-item" data-capture-id={capture.capture_id} data-format={capture.format}>
            <div className="capture-head">
              <strong title={capture.file_name}>{capture.file_name}</strong> <span className="chip">{capture.format}</span>
              {capture.host && <span className="muted"> on {capture.host}</span>}
            </div>
            <div className="muted mono" title={capture.sha256}>
              sha256 {capture.sha256.slice(0, 12)}…
            </div>
            <div>
              {formatCount(capture.events)} events · {formatCount(capture.rejected)} rejected
            </div>
            {capture.first_us !== null && capture.last_us !== null && (
              <div className="muted">
                {formatTimestamp(capture.first_us, localTime)} + {formatDuration(capture.last_us - capture.first_us)}
              </div>
            )}
            {capture.date_basis && <div className="muted" data-testid="capture-date-basis">{dateBasisLabel(capture.date_basis)}</div>}
            <div>
              clock offset {formatDuration(capture.clock_offset_us) || '0 µs'}
              {capture.clock_offset_basis ? ` (${capture.clock_offset_basis})` : ''}
            </div>
            <OffsetEditor key={`${capture.capture_id}:${capture.clock_offset_us}`} capture={capture} />
            <label className="toggle">
              <input type="checkbox" checked={capture.is_baseline} onChange={(e) => void setBaseline(capture, e.target.checked)} data-testid="capture-baseline" />
              baseline (known-good behaviour)
            </label>
            {capture.warnings.length > 0 && (
              <ul className="warnings">
                {capture.warnings.map((warning) => (
                  <li key={warning}>{warning}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
