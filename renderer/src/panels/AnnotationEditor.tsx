// The dialog that creates or edits an annotation. Saving stores it at once through the API;
// there is no separate save step for the case.
import { useState } from 'react';
import type { EditorTarget } from '../state/workbench.tsx';
import { useWorkbench } from '../state/workbench.tsx';
import { formatDuration, formatTimestamp } from '../display/time.ts';

// Mirrors ANNOTATION_TAGS in core/api.ts (the renderer imports only types from core/).
const SUGGESTED_TAGS = ['benign', 'suspicious', 'malicious', 'needs-review'];

function describe(target: EditorTarget, local: boolean): string {
  if (target.kind === 'event') return `event #${target.event_id} at ${formatTimestamp(target.ts_us, local)}`;
  if (target.kind === 'range') return `range from ${formatTimestamp(target.from_us, local)} (${formatDuration(target.to_us - target.from_us)})`;
  return target.annotation.event_id !== null ? `event #${target.annotation.event_id}` : `range from ${formatTimestamp(target.annotation.from_us, local)}`;
}

export function AnnotationEditor({ target }: { target: EditorTarget }) {
  const { api, openEditor, reloadAnnotations, reportError, localTime } = useWorkbench();
  const existing = target.kind === 'edit' ? target.annotation : null;
  const [tag, setTag] = useState(existing?.tag ?? 'suspicious');
  const [note, setNote] = useState(existing?.note ?? '');
  const [saving, setSaving] = useState(false);

  const save = async () => {
    const cleanTag = tag.trim();
    if (!cleanTag) return;
    setSaving(true);
    try {
      if (target.kind === 'edit') await api.updateAnnotation({ annotation_id: target.annotation.annotation_id, tag: cleanTag, note });
      else if (target.kind === 'event') await api.annotate({ event_id: target.event_id, tag: cleanTag, note });
      else await api.annotate({ event_id: null, from_us: target.from_us, to_us: target.to_us, tag: cleanTag, note });
      await reloadAnnotations();
      openEditor(null);
    } catch (error) {
      reportError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="modal-backdrop" onClick={() => openEditor(null)}>
      <form
        className="modal annotation-editor"
        data-testid="annotation-editor"
        onClick={(e) => e.stopPropagation()}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h3>{existing ? 'Edit annotation' : 'Annotate'}</h3>
        <p className="muted">{describe(target, localTime)}</p>
        <label>
          Tag
          <input list="annotation-tags" value={tag} onChange={(e) => setTag(e.target.value)} data-testid="annotation-tag" maxLength={64} required autoFocus />
          <datalist id="annotation-tags">
            {SUGGESTED_TAGS.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </label>
        <div className="tag-buttons">
          {SUGGESTED_TAGS.map((t) => (
            <button type="button" key={t} className={t === tag ? 'active' : undefined} onClick={() => setTag(t)}>
              {t}
            </button>
          ))}
        </div>
        <label>
          Note
          <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={5} data-testid="annotation-note" />
        </label>
        <div className="modal-actions">
          <button type="button" onClick={() => openEditor(null)}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={saving || !tag.trim()} data-testid="annotation-save">
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </div>
  );
}
