// Every annotation of the case, newest first: click to jump to its event or range, edit, delete.
import type { Annotation } from '../../../core/api.ts';
import { useTimeView } from '../state/view.tsx';
import { useWorkbench } from '../state/workbench.tsx';
import { viewAround } from '../timeline/view.ts';
import { formatDuration, formatTimestamp } from '../display/time.ts';

export function AnnotationsPanel() {
  const { api, annotations, reloadAnnotations, select, openEditor, localTime, reportError } = useWorkbench();
  const { bounds, setView, setHighlightRange } = useTimeView();

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
    } catch (error) {
      reportError(error);
    }
  };

  const sorted = [...annotations].sort((a, b) => b.updated_at.localeCompare(a.updated_at));
  return (
    <section className="panel annotations" data-testid="annotation-list">
      {sorted.length === 0 && <p className="muted">No annotations yet: select an event (or shift+drag a range on the timeline) and annotate it.</p>}
      <ul>
        {sorted.map((annotation) => (
          <li key={annotation.annotation_id} data-testid="annotation-item" data-annotation-id={annotation.annotation_id} data-tag={annotation.tag}>
            <button type="button" className="link" onClick={() => jump(annotation)} data-testid="annotation-jump">
              <span className={`tag tag-${annotation.tag.replace(/[^a-z-]/gi, '')}`}>{annotation.tag}</span>{' '}
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
              <span className="muted">
                {annotation.author} · {annotation.updated_at}
              </span>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
