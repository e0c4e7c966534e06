// The events shown around each annotation, chosen for relevance rather than nearness alone:
// other sources first, then other processes, then the annotated process itself; activity that
// repeats (a poll loop's epoll_pwait, say) is folded into one line "N × op by process" instead
// of rows. Two queries serve every annotation of the case at once (a case may hold thousands).
import type { StoredEvent } from '../model/event.ts';
import type { CaseStore } from '../store/case-store.ts';
import { EVENT_SELECT, EVENT_SPEC } from '../store/event-rows.ts';
import { sql } from '../store/sql.ts';
import { usToIso } from '../util/time.ts';
import { citeEvent, REPORT_CONTEXT_LIMIT, type EventCitation, type FoldedActivity } from './model.ts';

/** Events of one process and operation at least this many times near a note are folded. */
export const FOLD_MIN = 5;
/** Folded lines kept per note, the most repeated first. */
export const FOLDED_SHOWN = 8;

/** Where one annotation's context is looked for. */
export interface ContextWindow {
  id: number;
  from_us: number;
  to_us: number;
  anchor_us: number;
  /** The annotated event (left out of its own context) and where it came from. */
  event_id: number | null;
  capture_id: number | null;
  pid: number | null;
}

export interface ChosenContext {
  context: EventCitation[];
  folded: FoldedActivity[];
  truncated: boolean;
}

export async function chooseContexts(store: CaseStore, windows: ContextWindow[], fileOf: (id: number) => string): Promise<Map<number, ChosenContext>> {
  const out = new Map<number, ChosenContext>(windows.map((w) => [w.id, { context: [], folded: [], truncated: false }]));
  if (windows.length === 0) return out;
  const json = JSON.stringify(windows.map((w) => ({ id: w.id, lo: w.from_us, hi: w.to_us, anchor: w.anchor_us, ex: w.event_id ?? -1, cap: w.capture_id ?? -1, pid: w.pid ?? -1 })));
  const near = sql`w AS (SELECT unnest(json_transform(CAST(${json} AS JSON), '[{"id":"BIGINT","lo":"BIGINT","hi":"BIGINT","anchor":"BIGINT","ex":"BIGINT","cap":"BIGINT","pid":"BIGINT"}]'), recursive := true)),
    near AS (SELECT w.id AS window_id, w.anchor, w.cap, w.pid AS anchor_pid, e.*,
               count(*) OVER (PARTITION BY w.id, e.capture_id, e.host, e.pid, e.process, e.op) AS same_kind
             FROM w JOIN event_rows e ON e.ts_us BETWEEN w.lo AND w.hi AND e.event_id <> w.ex)`;

  const folded = await store.rows(
    sql`WITH ${near}
        SELECT window_id, capture_id, host, pid, process, op, count(*) AS n, min(ts_us) AS first_us, max(ts_us) AS last_us, min(event_id) AS example
        FROM near WHERE same_kind >= ${FOLD_MIN} GROUP BY ALL ORDER BY window_id, n DESC, first_us`,
    { window_id: 'num', capture_id: 'num', host: 'str?', pid: 'num?', process: 'str?', op: 'str', n: 'num', first_us: 'num', last_us: 'num', example: 'num' },
  );
  for (const f of folded) {
    const c = out.get(f.window_id);
    if (!c || c.folded.length >= FOLDED_SHOWN) continue;
    c.folded.push({
      count: f.n, op: f.op, process: f.process, pid: f.pid, host: f.host, file_name: fileOf(f.capture_id),
      first_ts: usToIso(f.first_us), last_ts: usToIso(f.last_us), example_event_id: f.example,
    });
  }

  const e = sql`${EVENT_SELECT}`;
  const rows = (await store.rows(
    sql`WITH ${near},
        ranked AS (SELECT *, row_number() OVER (PARTITION BY window_id ORDER BY
                     CASE WHEN capture_id <> cap THEN 0 WHEN pid IS DISTINCT FROM anchor_pid THEN 1 ELSE 2 END,
                     abs(ts_us - anchor), event_id) AS rn
                   FROM near WHERE same_kind < ${FOLD_MIN})
        SELECT window_id, anchor, ${e} FROM ranked e WHERE rn <= ${REPORT_CONTEXT_LIMIT + 1} ORDER BY window_id, ts_us, event_id`,
    { window_id: 'num', anchor: 'num', ...EVENT_SPEC },
  )) as (StoredEvent & { window_id: number; anchor: number })[];
  for (const r of rows) {
    const c = out.get(r.window_id);
    if (!c) continue;
    if (c.context.length >= REPORT_CONTEXT_LIMIT) {
      c.truncated = true;
      continue;
    }
    c.context.push(citeEvent(r, fileOf(r.capture_id), usToIso, r.anchor));
  }
  return out;
}
