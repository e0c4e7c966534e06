// Named views of a case, kept in the case file (migration 14, table saved_views): what the
// analyst was looking at (filters, zoom, selection, lanes, panels) under a name, to reopen or to
// cite in a report. The state is the renderer's JSON (renderer/src/state/url-state.ts), kept whole:
// core checks only that it is a JSON object of bounded size, the renderer validates it on opening.
import type { SavedView, SaveViewRequest } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';

export const MAX_VIEW_NAME_LENGTH = 120;
/** The view state's JSON text at most (a few hundred lane ids fit easily). */
export const MAX_VIEW_STATE_LENGTH = 256 * 1024;

export class SavedViewError extends Error {}

const SPEC = { view_id: 'num', name: 'str', state: 'str', author: 'str', created_at: 'str', updated_at: 'str' } as const;
const SELECT = sql`SELECT view_id, name, state, author, strftime(created_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS created_at,
  strftime(updated_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS updated_at FROM saved_views`;

/** The address fragment that opens a saved view in the workbench (renderer/src/state/url-state.ts reads it). */
export function savedViewLink(viewId: number): string {
  return `#saved=${viewId}`;
}

function withLink(row: Omit<SavedView, 'link'>): SavedView {
  return { ...row, link: savedViewLink(row.view_id) };
}

function checkedName(raw: string): string {
  const name = raw.replace(/\s+/g, ' ').trim();
  if (name === '') throw new SavedViewError('a saved view needs a name');
  if (name.length > MAX_VIEW_NAME_LENGTH) throw new SavedViewError(`a view name has at most ${MAX_VIEW_NAME_LENGTH} characters`);
  return name;
}

function checkedState(state: string): string {
  if (state.length > MAX_VIEW_STATE_LENGTH) throw new SavedViewError(`the view state is larger than ${MAX_VIEW_STATE_LENGTH} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(state);
  } catch {
    throw new SavedViewError('the view state is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SavedViewError('the view state is not a JSON object');
  return state;
}

export async function listSavedViews(store: CaseStore): Promise<SavedView[]> {
  return (await store.rows(sql`${SELECT} ORDER BY lower(name), view_id`, SPEC)).map(withLink);
}

export async function getSavedView(store: CaseStore, viewId: number): Promise<SavedView | undefined> {
  const row = await store.one(sql`${SELECT} WHERE view_id = ${viewId}`, SPEC);
  return row ? withLink(row) : undefined;
}

/** Names compare case-insensitively: "Shell spawn" and "shell spawn" would be confused in a list. */
async function nameTaken(store: CaseStore, name: string, except: number | null): Promise<boolean> {
  const row = await store.one(
    sql`SELECT count(*) AS n FROM saved_views WHERE lower(name) = ${name.toLowerCase()} AND view_id <> ${except ?? -1}`,
    { n: 'num' },
  );
  return (row?.n ?? 0) > 0;
}

/** Adds a named view, or (with view_id) replaces that view's name and state. */
export async function saveView(store: CaseStore, request: SaveViewRequest, author: string): Promise<SavedView> {
  const name = checkedName(request.name);
  const state = checkedState(request.state);
  const viewId = request.view_id ?? null;
  if (viewId !== null && !(await getSavedView(store, viewId))) throw new SavedViewError(`no saved view ${viewId}`);
  if (await nameTaken(store, name, viewId)) throw new SavedViewError(`a view named "${name}" already exists: choose another name`);
  const id = await store.transaction(async () => {
    if (viewId !== null) {
      await store.exec(sql`UPDATE saved_views SET name = ${name}, state = ${state}, updated_at = now()::TIMESTAMP WHERE view_id = ${viewId}`);
      await store.audit('view-update', { view_id: viewId, name });
      return viewId;
    }
    const next = await store.one(sql`SELECT coalesce(max(view_id), 0) + 1 AS id FROM saved_views`, { id: 'num' });
    const created = next?.id ?? 1;
    await store.exec(sql`INSERT INTO saved_views (view_id, name, state, author, created_at, updated_at)
      VALUES (${created}, ${name}, ${state}, ${author}, now()::TIMESTAMP, now()::TIMESTAMP)`);
    await store.audit('view-save', { view_id: created, name });
    return created;
  });
  const saved = await getSavedView(store, id);
  if (!saved) throw new SavedViewError('saved view vanished after writing it');
  return saved;
}

export async function renameView(store: CaseStore, viewId: number, rawName: string): Promise<SavedView> {
  const existing = await getSavedView(store, viewId);
  if (!existing) throw new SavedViewError(`no saved view ${viewId}`);
  const name = checkedName(rawName);
  if (await nameTaken(store, name, viewId)) throw new SavedViewError(`a view named "${name}" already exists: choose another name`);
  await store.transaction(async () => {
    await store.exec(sql`UPDATE saved_views SET name = ${name}, updated_at = now()::TIMESTAMP WHERE view_id = ${viewId}`);
    await store.audit('view-rename', { view_id: viewId, from: existing.name, to: name });
  });
  const renamed = await getSavedView(store, viewId);
  if (!renamed) throw new SavedViewError('saved view vanished after renaming it');
  return renamed;
}

export async function deleteView(store: CaseStore, viewId: number): Promise<boolean> {
  const existing = await getSavedView(store, viewId);
  if (!existing) return false;
  await store.transaction(async () => {
    await store.exec(sql`DELETE FROM saved_views WHERE view_id = ${viewId}`);
    await store.audit('view-delete', { view_id: viewId, name: existing.name });
  });
  return true;
}
