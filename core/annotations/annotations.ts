// Annotations on an event or a time range. Each change is written (and audited) at once: there
// is no save step, so a crash loses nothing already entered.
import type { Annotation, AnnotationInput, AnnotationUpdate } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import { getEvent } from '../store/event-rows.ts';
import { sql } from '../store/sql.ts';
import { usToSqlTimestamp } from '../util/time.ts';

const SPEC = {
  annotation_id: 'num',
  event_id: 'num?',
  from_us: 'num',
  to_us: 'num',
  tag: 'str',
  note: 'str',
  author: 'str',
  created_at: 'str',
  updated_at: 'str',
} as const;

const SELECT = sql`SELECT annotation_id, event_id, epoch_us(ts_from) AS from_us, epoch_us(ts_to) AS to_us, tag, note, author,
  strftime(created_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS created_at, strftime(updated_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS updated_at
  FROM annotations`;

export class AnnotationError extends Error {}

export function defaultAuthor(): string {
  return process.env['TRACEBENCH_AUTHOR'] ?? process.env['USER'] ?? process.env['USERNAME'] ?? 'analyst';
}

export async function listAnnotations(store: CaseStore): Promise<Annotation[]> {
  return store.rows(sql`${SELECT} ORDER BY ts_from, annotation_id`, SPEC);
}

export async function getAnnotation(store: CaseStore, id: number): Promise<Annotation | undefined> {
  return store.one(sql`${SELECT} WHERE annotation_id = ${id}`, SPEC);
}

export async function createAnnotation(store: CaseStore, input: AnnotationInput, author = defaultAuthor()): Promise<Annotation> {
  const tag = input.tag.trim();
  if (tag === '') throw new AnnotationError('an annotation needs a tag');
  let from = input.from_us;
  let to = input.to_us;
  const eventId = input.event_id ?? null;
  if (eventId !== null) {
    const ev = await getEvent(store, eventId);
    if (!ev) throw new AnnotationError(`no event ${eventId} in this case`);
    from ??= ev.ts_us;
    to ??= ev.ts_us + Math.max(0, Math.round(ev.dur_us ?? 0));
  }
  if (from === undefined || to === undefined) throw new AnnotationError('annotate an event, or give a time range (from and to)');
  if (to < from) throw new AnnotationError('the range ends before it starts');
  return store.transaction(async () => {
    const next = await store.one(sql`SELECT coalesce(max(annotation_id), 0) + 1 AS id FROM annotations`, { id: 'num' });
    const id = next?.id ?? 1;
    await store.exec(sql`INSERT INTO annotations VALUES (${id}, ${eventId}, ${usToSqlTimestamp(from)}::TIMESTAMP,
      ${usToSqlTimestamp(to)}::TIMESTAMP, ${tag}, ${input.note}, ${author}, now()::TIMESTAMP, now()::TIMESTAMP)`);
    await store.audit('annotate', { annotation_id: id, event_id: eventId, tag });
    const created = await getAnnotation(store, id);
    if (!created) throw new AnnotationError('annotation vanished after insert');
    return created;
  });
}

export async function updateAnnotation(store: CaseStore, update: AnnotationUpdate): Promise<Annotation> {
  const existing = await getAnnotation(store, update.annotation_id);
  if (!existing) throw new AnnotationError(`no annotation ${update.annotation_id}`);
  const tag = update.tag?.trim() ?? existing.tag;
  if (tag === '') throw new AnnotationError('an annotation needs a tag');
  const note = update.note ?? existing.note;
  await store.transaction(async () => {
    await store.exec(sql`UPDATE annotations SET tag = ${tag}, note = ${note}, updated_at = now()::TIMESTAMP
      WHERE annotation_id = ${update.annotation_id}`);
    await store.audit('annotation-update', { annotation_id: update.annotation_id, tag });
  });
  const updated = await getAnnotation(store, update.annotation_id);
  if (!updated) throw new AnnotationError('annotation vanished after update');
  return updated;
}

export async function deleteAnnotation(store: CaseStore, id: number): Promise<boolean> {
  const existing = await getAnnotation(store, id);
  if (!existing) return false;
  await store.transaction(async () => {
    await store.exec(sql`DELETE FROM annotations WHERE annotation_id = ${id}`);
    await store.audit('annotation-delete', { annotation_id: id, tag: existing.tag, note: existing.note });
  });
  return true;
}
