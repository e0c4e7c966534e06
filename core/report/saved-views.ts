// The case's saved views as a report cites them: name, who saved it, the link that opens it in
// the workbench (`#saved=<id>`), and what it shows — read from the view's state as far as the
// report can tell without the renderer (time range, selected event, non-empty filters, tag). An
// annotation or a note that names a view ("see #saved=3") resolves here.
import { listSavedViews } from '../views/saved-views.ts';
import type { CaseStore } from '../store/case-store.ts';
import { usToIso } from '../util/time.ts';

export interface CitedView {
  view_id: number;
  name: string;
  author: string;
  saved_at: string;
  link: string;
  /** What the view shows, in words ("events 06:13:00–06:14:00; filter op=execve; event #42"). */
  shows: string;
}

export async function citedViews(store: CaseStore): Promise<CitedView[]> {
  const views = await listSavedViews(store).catch(() => []); // a case from before saved views
  return views.map((v) => ({ view_id: v.view_id, name: v.name, author: v.author, saved_at: v.updated_at, link: v.link, shows: describeViewState(v.state) }));
}

/** Words for a view state; parts the report cannot read are left out, never guessed. */
export function describeViewState(text: string): string {
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    return 'the view as saved (its state could not be read)';
  }
  if (typeof state !== 'object' || state === null) return 'the whole case';
  const s = state as Record<string, unknown>;
  const parts: string[] = [];
  const zoom = s['zoom'] as { from_us?: unknown; to_us?: unknown } | null | undefined;
  if (zoom && typeof zoom.from_us === 'number' && typeof zoom.to_us === 'number') parts.push(`events ${usToIso(zoom.from_us)} – ${usToIso(zoom.to_us)}`);
  const filters = s['filters'];
  if (typeof filters === 'object' && filters !== null) {
    const set = Object.entries(filters as Record<string, unknown>)
      .filter(([, v]) => (typeof v === 'string' && v !== '') || v === true)
      .map(([k, v]) => (v === true ? k : `${k}=${String(v)}`));
    if (set.length > 0) parts.push(`filter ${set.join(', ')}`);
  }
  if (typeof s['tag'] === 'string' && s['tag'] !== '') parts.push(`tag ${s['tag']}`);
  if (s['pinned'] === true) parts.push('pinned events only');
  if (typeof s['selected'] === 'number') parts.push(`event #${s['selected']} selected`);
  return parts.length > 0 ? parts.join('; ') : 'the whole case';
}
