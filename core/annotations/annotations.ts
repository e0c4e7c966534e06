// Annotations on an event or a time range. Each change is written (and audited) at once: there
// is no save step, so a crash loses nothing already entered. Tags are a list (`tags`); the older
// `tag` column keeps them joined with ", " for readers that predate lists (core/annotations/tags.ts).
import { userInfo } from 'node:os';
import type { Annotation, AnnotationInput, AnnotationUpdate, TagCount } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import { getEvent } from '../store/event-rows.ts';
import { sql, type Sql } from '../store/sql.ts';
import { usToSqlTimestamp } from '../util/time.ts';
import { joinTags, parseTags } from './tags.ts';

const SPEC = {
  annotation_id: 'num',
  event_id: 'num?',
  from_us: 'num',
  to_us: 'num',
  tag: 'str',
  tags: 'list',
  note: 'str',
  author: 'str',
  created_at: 'str',
  updated_at: 'str',
} as const;

const SELECT = sql`SELECT annotation_id, event_id, epoch_us(ts_from) AS from_us, epoch_us(ts_to) AS to_us, tag, tags, note, author,
  strftime(created_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS created_at, strftime(updated_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS updated_at
  FROM annotations`;

/** Longest author name kept. */
const MAX_AUTHOR_LENGTH = 200;

export class AnnotationError extends Error {}

/** The user this process runs as: TRACEBENCH_AUTHOR when set, else the OS account's name. */
export function defaultAuthor(): string {
  const fromEnv = process.env['TRACEBENCH_AUTHOR'];
  if (fromEnv) return fromEnv;
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // No passwd entry for this uid (some containers): fall back to the environment.
  }
  return process.env['USER'] ?? process.env['USERNAME'] ?? 'analyst';
}

function authorOf(given: string | undefined, fallback: string): string {
  const author = (given ?? '').trim().slice(0, MAX_AUTHOR_LENGTH);
  return author === '' ? fallback : author;
}

function tagList(tags: readonly string[]): Sql {
  return sql`CAST(CAST(${JSON.stringify(tags)} AS JSON) AS VARCHAR[])`;
}

export async function listAnnotations(store: CaseStore): Promise<Annotation[]> {
  return store.rows(sql`${SELECT} ORDER BY ts_from, annotation_id`, SPEC);
}

export async function getAnnotation(store: CaseStore, id: number): Promise<Annotation | undefined> {
  return store.one(sql`${SELECT} WHERE annotation_id = ${id}`, SPEC);
}

/** Every tag of the case's annotations with the number of annotations carrying it, most used first. */
export async function listAnnotationTags(store: CaseStore): Promise<TagCount[]> {
  return store.rows(
    sql`SELECT t AS tag, count(*) AS count FROM (SELECT unnest(tags) AS t FROM annotations) GROUP BY t ORDER BY count DESC, lower(t), t`,
    { tag: 'str', count: 'num' },
  );
}

export async function createAnnotation(store: CaseStore, input: AnnotationInput, author = defaultAuthor()): Promise<Annotation> {
  const tags = parseTags(input.tags, input.tag);
  if (tags.length === 0) throw new AnnotationError('an annotation needs a tag');
  const writer = authorOf(input.author, author);
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
    await store.exec(sql`INSERT INTO annotations (annotation_id, event_id, ts_from, ts_to, tag, tags, note, author, created_at, updated_at)
      VALUES (${id}, ${eventId}, ${usToSqlTimestamp(from)}::TIMESTAMP, ${usToSqlTimestamp(to)}::TIMESTAMP, ${joinTags(tags)}, ${tagList(tags)},
      ${input.note}, ${writer}, now()::TIMESTAMP, now()::TIMESTAMP)`);
    await store.audit('annotate', { annotation_id: id, event_id: eventId, tag: joinTags(tags), tags, author: writer });
    const created = await getAnnotation(store, id);
    if (!created) throw new AnnotationError('annotation vanished after insert');
    return created;
  });
}

export async function updateAnnotation(store: CaseStore, update: AnnotationUpdate): Promise<Annotation> {
  const existing = await getAnnotation(store, update.annotation_id);
  if (!existing) throw new AnnotationError(`no annotation ${update.annotation_id}`);
  const given = update.tags !== undefined ? parseTags(update.tags) : update.tag !== undefined ? parseTags(update.tag) : null;
  if (given !== null && given.length === 0) throw new AnnotationError('an annotation needs a tag');
  const tags = given ?? existing.tags;
  const note = update.note ?? existing.note;
  const author = authorOf(update.author, existing.author);
  await store.transaction(async () => {
    await store.exec(sql`UPDATE annotations SET tag = ${joinTags(tags)}, tags = ${tagList(tags)}, note = ${note}, author = ${author}, updated_at = now()::TIMESTAMP
      WHERE annotation_id = ${update.annotation_id}`);
    await store.audit('annotation-update', { annotation_id: update.annotation_id, tag: joinTags(tags), tags, author });
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
