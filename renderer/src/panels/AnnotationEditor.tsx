// The dialog that creates or edits an annotation: its tags as chips (typed, or picked from the
// case's own tags and the standard ones), the author (the backend's OS user by default) and a
// note. Saving stores it at once through the API; there is no separate save step for the case.
import { useEffect, useState } from 'react';
import type { EditorTarget } from '../state/workbench.tsx';
import { useWorkbench } from '../state/workbench.tsx';
import { useAddressedView } from '../state/view.tsx';
import { formatDuration, formatTimestamp } from '../display/time.ts';
import { SUGGESTED_TAGS, addTypedTags, tagSuggestions } from './tag-chips.ts';

function describe(target: EditorTarget, local: boolean): string {
  if (target.kind === 'event') return `event #${target.event_id} at ${formatTimestamp(target.ts_us, local)}`;
  if (target.kind === 'range') return `range from ${formatTimestamp(target.from_us, local)} (${formatDuration(target.to_us - target.from_us)})`;
  return target.annotation.event_id !== null ? `event #${target.annotation.event_id}` : `range from ${formatTimestamp(target.annotation.from_us, local)}`;
}

export function AnnotationEditor({ target }: { target: EditorTarget }) {
  const { api, openEditor, reloadAnnotations, reportError, localTime, bumpData } = useWorkbench();
  const { tag: tagFilter } = useAddressedView();
  const existing = target.kind === 'edit' ? target.annotation : null;
  const [chips, setChips] = useState<string[]>(existing?.tags ?? []);
  // A new annotation starts with "suspicious" typed (Enter or Save keeps it, typing replaces it).
  const [typed, setTyped] = useState(existing ? '' : 'suspicious');
  const [author, setAuthor] = useState(existing?.author ?? '');
  const [note, setNote] = useState(existing?.note ?? '');
  const [caseTags, setCaseTags] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let live = true;
    api.annotationTags({}).then(
      (tags) => live && setCaseTags(tags.map((t) => t.tag)),
      (error: unknown) => live && reportError(error),
    );
    // The default author is the user the backend runs as.
    if (!existing)
      api.session({}).then(
        (session) => live && setAuthor((current) => current || session.user),
        (error: unknown) => live && reportError(error),
      );
    return () => {
      live = false;
    };
  }, [api, existing, reportError]);

  const tags = addTypedTags(chips, typed);
  const suggestions = tagSuggestions(caseTags, tags, typed.includes(',') ? '' : typed);
  const commitTyped = () => {
    setChips(addTypedTags(chips, typed));
    setTyped('');
  };
  const addChip = (tag: string) => {
    setChips(addTypedTags(chips, tag));
    if (typed.trim().toLowerCase() === tag.toLowerCase() || tag.toLowerCase().startsWith(typed.trim().toLowerCase())) setTyped('');
  };
  const removeChip = (tag: string) => setChips(chips.filter((c) => c !== tag));

  const save = async () => {
    if (tags.length === 0) return;
    setSaving(true);
    const who = author.trim() === '' ? {} : { author: author.trim() };
    try {
      if (target.kind === 'edit') await api.updateAnnotation({ annotation_id: target.annotation.annotation_id, tags, note, ...who });
      else if (target.kind === 'event') await api.annotate({ event_id: target.event_id, tags, note, ...who });
      else await api.annotate({ event_id: null, from_us: target.from_us, to_us: target.to_us, tags, note, ...who });
      await reloadAnnotations();
      // A tag filter may now keep other events.
      if (tagFilter) bumpData();
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
        <div className="tag-chips" data-testid="annotation-chips">
          {chips.map((tag) => (
            <span key={tag} className="tag-chip" data-testid="annotation-chip" data-tag={tag}>
              {tag}
              <button type="button" className="link" onClick={() => removeChip(tag)} aria-label={`remove the tag ${tag}`} data-testid="annotation-chip-remove">
                ✕
              </button>
            </span>
          ))}
        </div>
        <label>
          Tags
          <input
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => {
              // Enter or a comma makes a chip of what was typed; Backspace on an empty input removes the last chip.
              if ((e.key === 'Enter' || e.key === ',') && typed.trim() !== '') {
                e.preventDefault();
                commitTyped();
              } else if (e.key === 'Backspace' && typed === '' && chips.length > 0) {
                setChips(chips.slice(0, -1));
              }
            }}
            placeholder="type a tag, Enter to add (commas separate tags)"
            data-testid="annotation-tag"
            maxLength={640}
            autoFocus
          />
        </label>
        <div className="tag-buttons" aria-label="suggested tags">
          {suggestions.map((t) => (
            <button type="button" key={t} onClick={() => addChip(t)} data-testid="annotation-suggestion" data-tag={t} className={(SUGGESTED_TAGS as readonly string[]).includes(t) ? undefined : 'case-tag'}>
              {t}
            </button>
          ))}
        </div>
        <label>
          Author
          <input value={author} onChange={(e) => setAuthor(e.target.value)} maxLength={200} data-testid="annotation-author" />
        </label>
        <label>
          Note
          <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={5} data-testid="annotation-note" />
        </label>
        <div className="modal-actions">
          <button type="button" onClick={() => openEditor(null)}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={saving || tags.length === 0} data-testid="annotation-save">
            {saving ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </div>
  );
}
