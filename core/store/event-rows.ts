// Reading stored events back: the one column list and row spec every query of whole events uses.
import type { StoredEvent } from '../model/event.ts';
import type { RowReader } from './case-session.ts';
import type { CaseStore } from './case-store.ts';
import { rawSql, sql, type Sql } from './sql.ts';

/** SELECT list over `event_rows` (alias e) producing StoredEvent fields. */
export const EVENT_SELECT = rawSql(
  `e.event_id, e.capture_id, e.ts_us, e.ts_raw_us, e.dur_us, e.host, e.pid, e.tid, e.ppid, e.process,
   e.kind, e.op, e.category, e.target, e.args, e.ret, e.error, e.source_line, e.fields, e.level`,
);

export const EVENT_SPEC = {
  event_id: 'num',
  capture_id: 'num',
  ts_us: 'num',
  ts_raw_us: 'num',
  dur_us: 'num?',
  host: 'str?',
  pid: 'num?',
  tid: 'num?',
  ppid: 'num?',
  process: 'str?',
  kind: 'str',
  op: 'str',
  category: 'str',
  target: 'str?',
  args: 'str?',
  ret: 'str?',
  error: 'str?',
  source_line: 'num',
  fields: 'json?',
  level: 'str?',
} as const;

/** Runs a query whose SELECT list is EVENT_SELECT (plus nothing else) and returns events. */
export async function readEvents(store: RowReader, q: Sql): Promise<StoredEvent[]> {
  return (await store.rows(q, EVENT_SPEC)) as StoredEvent[];
}

export async function getEvent(store: CaseStore, eventId: number): Promise<StoredEvent | undefined> {
  const [e] = await readEvents(store, sql`SELECT ${EVENT_SELECT} FROM event_rows e WHERE e.event_id = ${eventId}`);
  return e;
}
