// Named views of the case, kept in the case file (core/views): save what is on screen under a
// name, open one (its filters, zoom, selection, lanes and panels come back), rename, delete.
// Each view has a link form (`#saved=<id>`) that opens it, for notes and the report.
import { useCallback, useEffect, useState } from 'react';
import type { SavedView } from '../../../core/api.ts';
import { useAddressedView } from '../state/view.tsx';
import { readFragment, viewStateToJson } from '../state/url-state.ts';
import { useWorkbench } from '../state/workbench.tsx';

export function SavedViewsPanel() {
  const { api, reportError } = useWorkbench();
  const { currentState, applyState } = useAddressedView();
  const [views, setViews] = useState<SavedView[] | null>(null);
  const [name, setName] = useState('');
  const [renaming, setRenaming] = useState<{ view_id: number; name: string } | null>(null);

  const reload = useCallback(async () => {
    try {
      setViews(await api.savedViews({}));
    } catch (error) {
      reportError(error);
    }
  }, [api, reportError]);
  useEffect(() => {
    void reload();
  }, [reload]);

  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
      await reload();
    } catch (error) {
      reportError(error);
    }
  };

  const save = () =>
    act(async () => {
      await api.saveView({ name: name.trim(), state: JSON.stringify(viewStateToJson(currentState())) });
      setName('');
    });

  const open = (view: SavedView) => {
    const read = readFragment(`view=${encodeURIComponent(view.state)}`);
    if (read.kind === 'state') applyState(read.state);
  };

  return (
    <section className="panel saved-views" data-testid="saved-views-panel">
      <form
        className="saved-view-new"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim() !== '') void save();
        }}
      >
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="name this view" maxLength={120} data-testid="saved-view-name" aria-label="name of the view to save" />
        <button type="submit" disabled={name.trim() === ''} data-testid="saved-view-save">
          Save view
        </button>
      </form>
      {views?.length === 0 && <p className="muted">No saved views: filters, zoom, selection, lanes and panels are saved together under a name.</p>}
      <ul>
        {views?.map((view) => (
          <li key={view.view_id} data-testid="saved-view" data-view-id={view.view_id} data-name={view.name}>
            {renaming?.view_id === view.view_id ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  const next = renaming.name.trim();
                  if (next !== '') void act(() => api.renameView({ view_id: view.view_id, name: next })).then(() => setRenaming(null));
                }}
              >
                <input value={renaming.name} onChange={(e) => setRenaming({ view_id: view.view_id, name: e.target.value })} maxLength={120} autoFocus data-testid="saved-view-rename-input" aria-label="new name" />
                <button type="submit" data-testid="saved-view-rename-save">
                  Rename
                </button>
                <button type="button" onClick={() => setRenaming(null)}>
                  Cancel
                </button>
              </form>
            ) : (
              <>
                <button type="button" className="link" onClick={() => open(view)} data-testid="saved-view-open" title={`Open this view (link: ${view.link})`}>
                  {view.name}
                </button>
                <div className="row-actions">
                  <button type="button" onClick={() => setRenaming({ view_id: view.view_id, name: view.name })} data-testid="saved-view-rename">
                    Rename
                  </button>
                  <button
                    type="button"
                    onClick={() => {
                      if (window.confirm(`Delete the saved view "${view.name}"?`)) void act(() => api.deleteView({ view_id: view.view_id }));
                    }}
                    data-testid="saved-view-delete"
                  >
                    Delete
                  </button>
                  <span className="muted mono" data-testid="saved-view-link">
                    {view.link}
                  </span>
                  <span className="muted">
                    {view.author} · {view.updated_at}
                  </span>
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
