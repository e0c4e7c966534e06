// Timeline events ⇄ the compact column form of the API (TimelineEventColumns), written by the
// backend and read by the renderer: a zoomed-in answer of 5,000 events was ~1 MB of JSON
// objects, each repeating 13 field names and 16-digit times; as columns with every text once it
// is about a quarter, and cheaper to write and to parse.
import type { TimelineEvent, TimelineEventColumns } from './timeline-types.ts';

/** `events` as columns; `base_us` is the smallest time (any value works: offsets may be negative). */
export function encodeEventColumns(events: readonly TimelineEvent[], base_us = events[0]?.ts_us ?? 0): TimelineEventColumns {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const code = (value: string | null): number => {
    if (value === null) return -1;
    let i = index.get(value);
    if (i === undefined) {
      i = strings.length;
      strings.push(value);
      index.set(value, i);
    }
    return i;
  };
  const out: TimelineEventColumns = {
    base_us,
    ts_offset_us: [],
    event_id: [],
    capture_id: [],
    dur_us: [],
    pid: [],
    tid: [],
    strings,
    host: [],
    process: [],
    kind: [],
    op: [],
    category: [],
    target: [],
    error: [],
  };
  for (const e of events) {
    out.ts_offset_us.push(e.ts_us - base_us);
    out.event_id.push(e.event_id);
    out.capture_id.push(e.capture_id);
    out.dur_us.push(e.dur_us);
    out.pid.push(e.pid);
    out.tid.push(e.tid);
    out.host.push(code(e.host));
    out.process.push(code(e.process));
    out.kind.push(code(e.kind));
    out.op.push(code(e.op));
    out.category.push(code(e.category));
    out.target.push(code(e.target));
    out.error.push(code(e.error));
  }
  return out;
}

/** The events back from their columns, in the same order. */
export function decodeEventColumns(c: TimelineEventColumns): TimelineEvent[] {
  const text = (i: number | undefined): string | null => (i === undefined || i < 0 ? null : (c.strings[i] ?? null));
  const events: TimelineEvent[] = new Array<TimelineEvent>(c.event_id.length);
  for (let i = 0; i < c.event_id.length; i++) {
    events[i] = {
      event_id: c.event_id[i] ?? 0,
      capture_id: c.capture_id[i] ?? 0,
      ts_us: c.base_us + (c.ts_offset_us[i] ?? 0),
      dur_us: c.dur_us[i] ?? null,
      host: text(c.host[i]),
      pid: c.pid[i] ?? null,
      tid: c.tid[i] ?? null,
      process: text(c.process[i]),
      kind: (text(c.kind[i]) ?? '') as TimelineEvent['kind'],
      op: text(c.op[i]) ?? '',
      category: (text(c.category[i]) ?? '') as TimelineEvent['category'],
      target: text(c.target[i]),
      error: text(c.error[i]),
    };
  }
  return events;
}
