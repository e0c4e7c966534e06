// Every annotation of the case, newest first: click to jump to its event or range, edit, delete.
// Its tags are chips: clicking one filters the table and the timeline to what that tag marks
// (EventFilter.tag); the tag filter is also chosen from the list of the case's tags at the top.
import { useMemo } from 'react';
import type { Annotation } from '../../../core/api.ts';
import { useAddressedView, useTimeView } from '../state/view.tsx';
import { useWorkbench } from '../state/workbench.tsx';
import { viewAround } from '../timeline/view.ts';
import { formatDuration, formatTimestamp } from '../display/time.ts';

function tagClass(tag: string): string {
  return `tag tag-${tag.replace(/[^a-z-]/gi, '')}`;
}

export function AnnotationsPanel() {
  const { api, annotations, reloadAnnotations, select, openEditor, localTime, reportError, bumpData } = useWorkbench();
  const { bounds, setView, setHighlightRange } = useTimeView();
  const { tag: tagFilter, setTag } = useAddressedView();

  const jump = (annotation: Annotation) => {
    if (annotation.event_id !== null) {
      select(annotation.event_id, 'panel');
      return;
    }
    setHighlightRange({ from_us: annotation.from_us, to_us: annotation.to_us });
    if (bounds) setView(viewAround(annotation.from_us, annotation.to_us, bounds));
  };

  const remove = async (annotation: Annotation) => {
    if (!window.confirm(`Delete the "${annotation.tag}" annotation?`)) return;
    try {
      await api.deleteAnnotation({ annotation_id: annotation.annotation_id });
      await reloadAnnotations();
      if (tagFilter) bumpData();
    } catch (error) {
      reportError(error);
    }
  };

  // The case's tags, most used first (the same order as the editor's suggestions).
  const caseTags = useMemo(() => {
    const counts = new Map<string, number>();
    for (const a of annotations) for (const t of a.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
  }, [annotations]);

  const sorted = [...annotations].sort((a, b) => b.updated_at.localeCompare(a.updated_at));
  return (
    <section className="panel annotations" data-testid="annotation-list">
      <label className="toggle">
        show events tagged
        <select value={tagFilter} onChange={(e) => setTag(e.target.value)} data-testid="filter-tag" aria-label="filter the table and the timeline by annotation tag">
          <option value="">(any: no tag filter)</option>
          {tagFilter !== '' && !caseTags.includes(tagFilter) && <option value={tagFilter}>{tagFilter}</option>}
          {caseTags.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      {sorted.length === 0 && <p className="muted">No annotations yet: select an event (or shift+drag a range on the timeline) and annotate it.</p>}
      <ul>
        {sorted.map((annotation) => (
          <li key={annotation.annotation_id} data-testid="annotation-item" data-annotation-id={annotation.annotation_id} data-tag={annotation.tag} data-tags={annotation.tags.join('|')}>
            <span className="tag-chips">
              {annotation.tags.map((t) => (
                <button
                  type="button"
                  key={t}
                  className={`${tagClass(t)}${t === tagFilter ? ' active' : ''}`}
                  onClick={() => setTag(t === tagFilter ? '' : t)}
                  title={t === tagFilter ? 'Stop filtering by this tag' : 'Show only the events with this tag'}
                  data-testid="annotation-tag-filter"
                  data-tag={t}
                >
                  {t}
                </button>
              ))}
            </span>{' '}
            <button type="button" className="link" onClick={() => jump(annotation)} data-testid="annotation-jump">
              {annotation.event_id !== null ? `event #${annotation.event_id}` : `range ${formatDuration(annotation.to_us - annotation.from_us)}`}
            </button>
            <div className="muted">{formatTimestamp(annotation.from_us, localTime)}</div>
            {annotation.note && <p className="note">{annotation.note}</p>}
            <div className="row-actions">
              <button type="button" onClick={() => openEditor({ kind: 'edit', annotation })} data-testid="annotation-edit">
                Edit
              </button>
              <button type="button" onClick={() => void remove(annotation)} data-testid="annotation-delete">
                Delete
              </button>
              <span className="muted" data-testid="annotation-author-name">
                {annotation.author} · {annotation.updated_at}
              </span>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
