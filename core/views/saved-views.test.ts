import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { deleteView, getSavedView, listSavedViews, renameView, saveView } from './saved-views.ts';

let dir: ReturnType<typeof tempDir>;
let store: CaseStore;
beforeEach(async () => {
  dir = tempDir();
  store = await CaseStore.open(dir.file('views.duckdb'), { create: true });
});
afterEach(() => {
  store.close();
  dir.remove();
});

const STATE = JSON.stringify({ v: 1, zoom: { from_us: 10, to_us: 20 } });

describe('saved views', () => {
  it('saves, lists by name, renames, replaces and deletes, auditing each change', async () => {
    const b = await saveView(store, { name: '  shell   spawn ', state: STATE }, 'ana');
    const a = await saveView(store, { name: 'after the write', state: '{}' }, 'bo');
    expect(b).toMatchObject({ name: 'shell spawn', state: STATE, author: 'ana', link: `#saved=${b.view_id}` });
    expect((await listSavedViews(store)).map((v) => v.name)).toEqual(['after the write', 'shell spawn']);

    const renamed = await renameView(store, b.view_id, 'HMI shell');
    expect(renamed.name).toBe('HMI shell');
    expect(renamed.state).toBe(STATE);

    const replaced = await saveView(store, { view_id: a.view_id, name: 'after the write', state: STATE }, 'other');
    expect(replaced).toMatchObject({ view_id: a.view_id, state: STATE, author: 'bo' });

    expect(await deleteView(store, b.view_id)).toBe(true);
    expect(await deleteView(store, b.view_id)).toBe(false);
    expect(await getSavedView(store, b.view_id)).toBeUndefined();
    expect((await listSavedViews(store)).map((v) => v.view_id)).toEqual([a.view_id]);

    const actions = await store.rows(sql`SELECT action FROM audit_log WHERE action LIKE 'view-%' ORDER BY seq`, { action: 'str' });
    expect(actions.map((r) => r.action)).toEqual(['view-save', 'view-save', 'view-rename', 'view-update', 'view-delete']);
  });

  it('refuses an empty or duplicate name (case-insensitively), a state that is not a JSON object, and unknown ids', async () => {
    const first = await saveView(store, { name: 'Shell', state: '{}' }, 'ana');
    await expect(saveView(store, { name: '   ', state: '{}' }, 'ana')).rejects.toThrow(/needs a name/);
    await expect(saveView(store, { name: 'shell', state: '{}' }, 'ana')).rejects.toThrow(/already exists/);
    await expect(saveView(store, { name: 'x', state: '[1]' }, 'ana')).rejects.toThrow(/not a JSON object/);
    await expect(saveView(store, { name: 'x', state: '{oops' }, 'ana')).rejects.toThrow(/not JSON/);
    await expect(renameView(store, 99, 'y')).rejects.toThrow(/no saved view 99/);
    const other = await saveView(store, { name: 'other', state: '{}' }, 'ana');
    await expect(renameView(store, other.view_id, 'SHELL')).rejects.toThrow(/already exists/);
    // Renaming a view to its own name (another case) is not a clash with itself.
    expect((await renameView(store, first.view_id, 'shell')).name).toBe('shell');
  });
});
