// Sort keys: each capture's events listed in the order of a wide sort column (target, dur_us:
// tens of thousands of values holding a few events each). A table page sorted by such a column
// otherwise scans the whole column for every page (10 M events: 50–200 ms a page, sorted-by-value.ts);
// with the keys it is a few position ranges of this table (keyed-pages.ts), a few ms at any depth.
// They cost a sort of each capture (about a second per million events on 2 cores), so they are
// not built by the import: a case that is open builds what it lacks in the background, one
// capture and column per write, after it opens and after each import (SortKeyBuilder). Until a
// capture is keyed, its pages are read as before.
import type { SortableColumn } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import { ident, sql } from '../store/sql.ts';
import { buildEventIdIndex } from '../store/event-id-index.ts';

/** The columns given sort keys: the wide ones (the others' pages are cheap value by value). */
export const KEYED_COLUMNS = ['target', 'dur_us'] as const satisfies readonly SortableColumn[];
export type KeyedColumn = (typeof KEYED_COLUMNS)[number];

export function isKeyedColumn(column: string): column is KeyedColumn {
  return (KEYED_COLUMNS as readonly string[]).includes(column);
}

/** A capture whose keys for a column are built and current. */
export interface KeyedCapture {
  capture_id: number;
  events: number;
  /** Events with a value (they come first in the capture's order; the NULLs follow). */
  non_null: number;
  first_event_id: number;
  last_event_id: number;
}

/** (column, capture) pairs whose keys are missing or stale (the capture's event count changed). */
async function unkeyed(store: CaseStore): Promise<{ col: KeyedColumn; capture_id: number }[]> {
  const out: { col: KeyedColumn; capture_id: number }[] = [];
  for (const col of KEYED_COLUMNS) {
    const rows = await store.read.rows(
      sql`SELECT c.capture_id FROM captures c LEFT JOIN sort_keys_captures k ON k.capture_id = c.capture_id AND k.col = ${col}
          WHERE c.events > 0 AND (k.capture_id IS NULL OR k.events <> c.events) ORDER BY c.capture_id`,
      { capture_id: 'num' },
    );
    for (const r of rows) out.push({ col, capture_id: r.capture_id });
  }
  return out;
}

/**
 * Builds one capture's keys for one column, in one write (replacing any left from before), on a
 * connection of its own while holding the write gate (CaseStore.exclusively).
 */
export async function buildSortKeys(store: CaseStore, col: KeyedColumn, captureId: number): Promise<void> {
  const c = sql`${ident(col, KEYED_COLUMNS)}`;
  const session = await store.openSession();
  try {
    await store.exclusively(() =>
      session.transaction(async () => {
        await session.exec(sql`DELETE FROM sort_keys WHERE col = ${col} AND capture_id = ${captureId}`);
        await session.exec(sql`DELETE FROM sort_keys_captures WHERE col = ${col} AND capture_id = ${captureId}`);
        // Inserted in position order, so that each row group holds a narrow band of positions and a
        // page's range reads one or two of them (zone maps on pos).
        await session.exec(
          sql`INSERT INTO sort_keys
              SELECT ${col}, capture_id, row_number() OVER (ORDER BY ${c} ASC NULLS LAST, event_id ASC) - 1 AS pos, event_id
              FROM event_rows WHERE capture_id = ${captureId} ORDER BY pos`,
        );
        await session.exec(
          sql`INSERT INTO sort_keys_captures
              SELECT ${col}, ${captureId}, count(*), count(${c}), min(event_id), max(event_id) FROM event_rows WHERE capture_id = ${captureId}`,
        );
      }),
    );
  } finally {
    session.close();
  }
}

/** Builds every missing key, one write at a time, until done or `stopped()`; returns how many it built. */
export async function buildMissingSortKeys(store: CaseStore, stopped: () => boolean, onBuilt: () => void = () => {}): Promise<number> {
  let built = 0;
  for (const { col, capture_id } of await unkeyed(store)) {
    if (stopped()) break;
    await buildSortKeys(store, col, capture_id);
    built++;
    onBuilt();
  }
  return built;
}

/**
 * The keyed captures of `col` among `captureIds` (all when undefined), ordered by their event ids,
 * or null when one of them is not keyed (or the case predates the keys).
 */
export async function keyedCaptures(store: CaseStore, col: KeyedColumn, captureIds: readonly number[] | undefined): Promise<KeyedCapture[] | null> {
  const rows = await store.read
    .rows(
      sql`SELECT c.capture_id, c.events, k.non_null, k.first_event_id, k.last_event_id, k.events AS keyed_events
          FROM captures c LEFT JOIN sort_keys_captures k ON k.capture_id = c.capture_id AND k.col = ${col}
          WHERE c.events > 0 ORDER BY k.first_event_id NULLS FIRST, c.capture_id`,
      { capture_id: 'num', events: 'num', non_null: 'num?', first_event_id: 'num?', last_event_id: 'num?', keyed_events: 'num?' },
    )
    .catch(() => null); // no such table: a case made before migration 19, opened read-only
  if (!rows) return null;
  const wanted = captureIds && captureIds.length > 0 ? new Set(captureIds) : null;
  const out: KeyedCapture[] = [];
  for (const r of rows) {
    if (wanted && !wanted.has(r.capture_id)) continue;
    if (r.keyed_events !== r.events || r.non_null === null || r.first_event_id === null || r.last_event_id === null) return null;
    out.push({ capture_id: r.capture_id, events: r.events, non_null: r.non_null, first_event_id: r.first_event_id, last_event_id: r.last_event_id });
  }
  // Within one value the listing breaks ties by event_id; a capture's rows come before the next
  // capture's only when their id ranges do not interleave (CaptureWriter gives each capture one block).
  for (let i = 1; i < out.length; i++) if ((out[i]?.first_event_id ?? 0) <= (out[i - 1]?.last_event_id ?? 0)) return null;
  return out;
}

/**
 * Builds a case's missing keys in the background: after it opens and after each import. One
 * capture and column per write, so an import or an annotation waits for one step at most. Then
 * the event id index, when an import dropped it (event-id-index.ts).
 */
export class SortKeyBuilder {
  private running: Promise<void> | null = null;
  private again = false;
  private stopping = false;
  /** Ends the wait before a build early (stop() does not wait out the delay). */
  private wake: (() => void) | null = null;

  constructor(
    private readonly store: CaseStore,
    /** Called after each capture is keyed (the page caches drop what they knew). */
    private readonly onBuilt: () => void,
    /** Delay before a build starts, so the first screens of a newly opened case come first. */
    private readonly delayMs = 2_000,
    /** Run when the keys are complete (the page cache reads what a first sorted page needs). */
    private readonly onComplete: () => Promise<void> = async () => {},
  ) {}

  /** Starts a build (or asks the running one to look again when it ends). Never throws. */
  start(): void {
    if (this.store.readOnly || this.stopping) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run().finally(() => (this.running = null));
  }

  /** Resolves when no build is running (tests, and the bench's "keys built" mark). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops after the current step and waits for it (before the store closes). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.idle();
  }

  private async run(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.delayMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = null;
    try {
      do {
        this.again = false;
        await buildMissingSortKeys(this.store, () => this.stopping, this.onBuilt);
        // The id index an import dropped (event-id-index.ts): pages of far-apart rows read through it.
        if (!this.stopping) await buildEventIdIndex(this.store);
      } while (this.again && !this.stopping);
      if (!this.stopping) await this.onComplete();
    } catch (err) {
      // Keys only speed pages up: a failed build leaves them to the next open.
      if (!this.stopping) process.stderr.write(`sort keys not built: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
}
