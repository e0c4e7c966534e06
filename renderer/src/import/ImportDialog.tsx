// The import dialog: pick or drop files, check the detected format (when detection does not settle
// it, pick one — or a generic reader — looking at the file's first lines), give a date for
// time-of-day formats, then watch each file's progress with a Cancel button.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CaptureInfo } from '../../../core/api.ts';
import { messageOf, useWorkbench } from '../state/workbench.tsx';
import { blockingReason, defaultDateLabel, needsDate, needsPick, pickerGroups, progressFraction, runningLabel, type FormatOption, type ImportItem } from './importItem.ts';
import { useImportQueue } from './useImportQueue.ts';
import { formatCount } from '../display/count.ts';
import { dateBasisLabel } from '../display/date-basis.ts';

const optionLabel = (f: FormatOption): string => `${f.title} (${f.format}, ${Math.round(f.confidence * 100)}%)`;

/** Detection did not settle the format: every reader to choose from, and the file's first lines. */
function FormatPicker({ item, index, locked, onChange }: { item: ImportItem; index: number; locked: boolean; onChange(index: number, change: Partial<ImportItem>): void }) {
  const probe = item.probe;
  if (!probe) return null;
  return (
    <div className="import-picker" data-testid="import-picker">
      <p className="muted" data-testid="import-undetected">
        {probe.undetected_reason ?? 'the format was not recognised'}. Pick the reader to use:
      </p>
      <label>
        Format
        <select value={item.format} disabled={locked} onChange={(e) => onChange(index, { format: e.target.value })} data-testid="import-format">
          <option value="">— choose —</option>
          {pickerGroups(probe).map((group) => (
            <optgroup key={group.label} label={group.label}>
              {group.options.map((f) => (
                <option key={f.format} value={f.format}>
                  {optionLabel(f)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      {probe.preview.length > 0 && (
        <figure className="import-preview">
          <figcaption className="muted">first lines of the file</figcaption>
          <pre data-testid="import-preview">{probe.preview.join('\n')}</pre>
        </figure>
      )}
    </div>
  );
}

function ItemRow({ item, index, captures, onChange, onCancel }: {
  item: ImportItem;
  index: number;
  captures: CaptureInfo[];
  onChange(index: number, change: Partial<ImportItem>): void;
  onCancel(index: number): void;
}) {
  const { shell } = useWorkbench();
  const job = item.job;
  const locked = job !== null;
  const reason = blockingReason(item);
  const capture = job?.capture_id != null ? captures.find((c) => c.capture_id === job.capture_id) : undefined;
  const candidates = item.probe?.candidates ?? [];
  const pick = needsPick(item);
  return (
    <li className="import-item" data-testid="import-item" data-file-name={item.staged.display_name} data-state={job?.state ?? (reason ? 'blocked' : 'ready')}>
      <div className="import-item-head">
        <strong>{item.staged.display_name}</strong>
        {item.probe && <span className="muted"> {(item.probe.size_bytes / 1024).toFixed(1)} KiB</span>}
      </div>
      {pick && <FormatPicker item={item} index={index} locked={locked} onChange={onChange} />}
      {!pick && candidates.length > 0 && (
        <label>
          Format
          <select value={item.format} disabled={locked} onChange={(e) => onChange(index, { format: e.target.value })} data-testid="import-format">
            {candidates.map((c) => (
              <option key={c.format} value={c.format}>
                {c.title} ({c.format}, {Math.round(c.confidence * 100)}%)
              </option>
            ))}
          </select>
        </label>
      )}
      {needsDate(item) && (
        <div className="import-date">
          <label>
            Date of the capture (times of day only)
            <input
              placeholder="YYYY-MM-DD"
              value={item.date}
              disabled={locked || item.useDefaultDate}
              onChange={(e) => onChange(index, { date: e.target.value.trim() })}
              data-testid="import-date"
            />
          </label>
          <label className="toggle">
            <input type="checkbox" checked={item.useDefaultDate} disabled={locked} onChange={(e) => onChange(index, { useDefaultDate: e.target.checked })} data-testid="import-date-default" />
            use the default: {defaultDateLabel(item, shell.kind)}
          </label>
        </div>
      )}
      {item.probe && (
        <label>
          Host (optional)
          <input value={item.host} disabled={locked} onChange={(e) => onChange(index, { host: e.target.value })} placeholder="from the capture" data-testid="import-host" />
        </label>
      )}
      {!job && reason && <p className="muted">{reason}</p>}
      {item.startError && <p className="error">{item.startError}</p>}
      {job && (
        <div className="import-job">
          <progress max={1} value={progressFraction(job)} data-testid="import-progress" data-state={job.state} />
          <span>
            {job.state === 'running' && <span data-testid="import-running" data-triage={job.triage ? 'true' : undefined}>{runningLabel(job, formatCount)}</span>}
            {job.state !== 'running' && (
              <span data-testid="import-result" data-events={job.events} data-rejected={job.rejected}>
                {job.state}: {formatCount(job.events)} events, {formatCount(job.rejected)} rejected
                {job.error ? ` — ${job.error}` : ''}
              </span>
            )}
          </span>
          {job.state === 'running' && !job.triage && (
            <button type="button" onClick={() => onCancel(index)} data-testid="import-cancel">
              Cancel
            </button>
          )}
          {capture && capture.warnings.length > 0 && (
            <ul className="warnings" data-testid="import-warnings">
              {capture.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
          {capture?.date_basis && <p className="muted">{dateBasisLabel(capture.date_basis)}</p>}
        </div>
      )}
    </li>
  );
}

export function ImportDialog({ initialFiles, onClose }: { initialFiles: File[]; onClose(): void }) {
  const { api, shell, caseInfo, refreshCase, bumpData } = useWorkbench();
  const [staging, setStaging] = useState(false);
  const [stageError, setStageError] = useState<string | null>(null);
  const onImported = useCallback(() => {
    void refreshCase();
    bumpData();
  }, [refreshCase, bumpData]);
  const queue = useImportQueue(api, onImported);
  const inputRef = useRef<HTMLInputElement>(null);

  const addFiles = useCallback(
    async (files: File[]) => {
      if (files.length === 0) return;
      setStaging(true);
      setStageError(null);
      try {
        await queue.addStaged(await shell.stageFiles(files));
      } catch (error) {
        setStageError(messageOf(error));
      } finally {
        setStaging(false);
      }
    },
    [queue, shell],
  );

  const initial = useRef(initialFiles);
  useEffect(() => {
    void addFiles(initial.current);
    initial.current = [];
    // Only the files the dialog was opened with; later files come through addFiles directly.
  }, []);

  const ready = queue.items.some((item) => !item.job && blockingReason(item) === null);
  const blocked = queue.items.some((item) => !item.job && blockingReason(item) !== null);
  return (
    <div className="modal-backdrop">
      <div
        className="modal import-dialog"
        data-testid="import-dialog"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          e.stopPropagation();
          void addFiles([...e.dataTransfer.files]);
        }}
      >
        <h3>Import captures</h3>
        <div className="import-pickers">
          <input ref={inputRef} type="file" multiple onChange={(e) => void addFiles([...(e.target.files ?? [])])} data-testid="import-input" aria-label="capture files" />
          {shell.chooseFiles && (
            <button
              type="button"
              onClick={() => {
                const choose = shell.chooseFiles;
                if (choose) void choose().then((files) => queue.addStaged(files));
              }}
            >
              Choose files…
            </button>
          )}
          <span className="muted">or drop files here</span>
        </div>
        {staging && <p className="muted">{shell.kind === 'browser' ? 'Uploading…' : 'Reading…'}</p>}
        {stageError && <p className="error">{stageError}</p>}
        <ul className="import-items">
          {queue.items.map((item, index) => (
            <ItemRow key={`${item.staged.file_id}:${index}`} item={item} index={index} captures={caseInfo.captures} onChange={queue.update} onCancel={(i) => void queue.cancel(i)} />
          ))}
        </ul>
        <div className="modal-actions">
          {blocked && <span className="muted">Files that still need an answer are skipped.</span>}
          <button type="button" onClick={onClose} disabled={queue.running} data-testid="import-close">
            {queue.items.some((item) => item.job) ? 'Close' : 'Cancel'}
          </button>
          <button type="button" className="primary" disabled={!ready || queue.running || staging} onClick={() => void queue.runAll()} data-testid="import-start">
            Import
          </button>
        </div>
      </div>
    </div>
  );
}
