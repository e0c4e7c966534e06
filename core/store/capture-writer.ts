// Writes one capture into a case as a single transaction: either every event, reject and the
// capture row land together, or (on error, cancel or kill) none do and the case is as it was.
import type { DuckDBAppender } from '@duckdb/node-api';
import type { CanonicalEvent } from '../model/event.ts';
import { usToSqlTimestamp } from '../util/time.ts';
import type { CaseSession } from './case-session.ts';
import type { CaseStore } from './case-store.ts';
import { fillSummariesSql } from '../timeline/summary.ts';
import { fillColumnValuesSql } from '../query/column-values.ts';
import { fillTargetCountsSql } from '../query/target-counts.ts';
import { sql } from './sql.ts';
import { EventChunkPacker, type EventChunk } from './event-chunk.ts';
import { EventChunkAppender } from './chunk-appender.ts';
import { testPhase } from './test-hooks.ts';
import { dropEventIdIndexForImport } from './event-id-index.ts';

export const REJECT_RAW_LIMIT = 2000;
/**
 * DuckDB's row group size. An append of at least this many rows to one table is written to the
 * case file before COMMIT, which is what makes a commit through the WAL unsafe (case-store.ts,
 * commitThroughCheckpoint); smaller ones are logged as rows and replayed inside the transaction.
 */
const ROW_GROUP_ROWS = 122_880;
/** Chunks between appender flushes: flushing as we go moves DuckDB's storage work off the commit. */
const FLUSH_EVERY_CHUNKS = 16;

export interface CaptureMeta {
  fileName: string;
  filePath: string | null;
  format: string;
  importerVersion: string;
  host: string | null;
  dateBasis: string | null;
  tz: string | null;
}

export interface CaptureTotals {
  sha256: string;
  sizeBytes: number;
  continuationLines: number;
  skippedLines: number;
  warnings: string[];
  /** The date used for time-of-day stamps and its basis, when one was used. */
  dateBasis?: string | null;
}

export interface CaptureSummary {
  capture_id: number;
  file_name: string;
  format: string;
  sha256: string;
  size_bytes: number;
  host: string | null;
  events: number;
  rejected: number;
  continuation_lines: number;
  skipped_lines: number;
  first_ts: string | null;
  last_ts: string | null;
  date_basis: string | null;
  warnings: string[];
}

export class CaptureWriter {
  private events = 0;
  private rejected = 0;
  private firstUs = Number.POSITIVE_INFINITY;
  private lastUs = Number.NEGATIVE_INFINITY;
  private readonly hostCounts = new Map<string, number>();
  private done = false;
  private readonly packer: EventChunkPacker;
  private chunksSinceFlush = 0;
  private readonly chunkAppender: EventChunkAppender;

  private constructor(
    private readonly store: CaseStore,
    private readonly session: CaseSession,
    readonly captureId: number,
    private nextEventId: number,
    private readonly meta: CaptureMeta,
    private readonly eventAppender: DuckDBAppender,
    private readonly rejectAppender: DuckDBAppender,
    private readonly importOpen: { ended(): void },
  ) {
    this.packer = new EventChunkPacker(meta.host);
    this.chunkAppender = new EventChunkAppender(eventAppender, captureId);
  }

  /** Starts the capture's transaction on a connection of its own (closed at commit/abort). */
  static async begin(store: CaseStore, meta: CaptureMeta): Promise<CaptureWriter> {
    // Appending to an indexed table costs ~15 % more: the index is made again after the imports.
    const importOpen = await dropEventIdIndexForImport(store);
    let session: CaseSession;
    try {
      session = await store.openSession();
      await session.begin();
    } catch (err) {
      importOpen.ended();
      throw err;
    }
    const conn = session.conn;
    try {
      testPhase('import:begin');
      const ids = await session.one(
        sql`SELECT (SELECT coalesce(max(capture_id), 0) + 1 FROM captures) AS capture_id,
                   (SELECT coalesce(max(event_id), 0) + 1 FROM event_rows) AS event_id`,
        { capture_id: 'num', event_id: 'num' },
      );
      if (!ids) throw new Error('could not allocate capture id');
      const events = await conn.createAppender('event_rows');
      const rejects = await conn.createAppender('rejects');
      return new CaptureWriter(store, session, ids.capture_id, ids.event_id, meta, events, rejects, importOpen);
    } catch (err) {
      await session.rollback();
      session.close();
      importOpen.ended();
      throw err;
    }
  }

  get eventCount(): number {
    return this.events;
  }

  get rejectCount(): number {
    return this.rejected;
  }

  /** One event from an importer running on this thread. */
  addEvent(e: CanonicalEvent): void {
    this.packer.add(e);
    if (this.packer.full) this.addChunk(this.packer.take());
  }

  /** Events already packed (by the parse worker), in source order. */
  addChunk(chunk: EventChunk): void {
    if (this.packer.rows > 0) this.addChunk(this.packer.take());
    if (chunk.rows === 0) return;
    this.chunkAppender.append(chunk, this.nextEventId);
    if (++this.chunksSinceFlush >= FLUSH_EVERY_CHUNKS) {
      this.eventAppender.flushSync();
      this.chunksSinceFlush = 0;
    }
    this.nextEventId += chunk.rows;
    this.events += chunk.rows;
    if (chunk.minTsUs < this.firstUs) this.firstUs = chunk.minTsUs;
    if (chunk.maxTsUs > this.lastUs) this.lastUs = chunk.maxTsUs;
    for (const [host, n] of chunk.hosts) this.hostCounts.set(host, (this.hostCounts.get(host) ?? 0) + n);
  }

  addReject(sourceLine: number, reason: string, raw: string): void {
    const a = this.rejectAppender;
    a.appendInteger(this.captureId);
    a.appendDouble(sourceLine);
    a.appendVarchar(reason);
    a.appendVarchar(raw.length > REJECT_RAW_LIMIT ? `${raw.slice(0, REJECT_RAW_LIMIT)}…` : raw);
    a.endRow();
    this.rejected++;
  }

  async commit(totals: CaptureTotals): Promise<CaptureSummary> {
    if (this.done) throw new Error('capture already finished');
    this.done = true;
    try {
      this.addChunk(this.packer.take());
      this.eventAppender.closeSync();
      this.rejectAppender.closeSync();
      testPhase('import:rows-written');
      const host = this.meta.host ?? mostCommon(this.hostCounts);
      const dateBasis = totals.dateBasis ?? this.meta.dateBasis;
      const first = this.events > 0 ? usToSqlTimestamp(this.firstUs) : null;
      const last = this.events > 0 ? usToSqlTimestamp(this.lastUs) : null;
      await this.session.exec(sql`INSERT INTO captures (capture_id, file_name, file_path, format, sha256, size_bytes,
          host, events, rejected, continuation_lines, skipped_lines, first_ts, last_ts, clock_offset_us,
          imported_at, importer_version, date_basis, tz, warnings, is_baseline)
        VALUES (${this.captureId}, ${this.meta.fileName}, ${this.meta.filePath}, ${this.meta.format},
          ${totals.sha256}, ${totals.sizeBytes}, ${host}, ${this.events}, ${this.rejected},
          ${totals.continuationLines}, ${totals.skippedLines}, ${first}::TIMESTAMP, ${last}::TIMESTAMP, 0,
          now()::TIMESTAMP, ${this.meta.importerVersion}, ${dateBasis}, ${this.meta.tz},
          ${JSON.stringify(totals.warnings)}, false)`);
      // The timeline's zoomed-out level and lane list for this capture: GROUP BYs over its rows.
      for (const statement of fillSummariesSql(this.captureId)) await this.session.exec(statement);
      // Its distinct values per column with counts (sorted table pages, free-text filter: column-values.ts).
      for (const statement of fillColumnValuesSql(this.captureId)) await this.session.exec(statement);
      // Its events per target (the stacking panel: target-counts.ts).
      for (const statement of fillTargetCountsSql(this.captureId)) await this.session.exec(statement);
      await this.session.audit('import', {
        capture_id: this.captureId,
        file_name: this.meta.fileName,
        format: this.meta.format,
        sha256: totals.sha256,
        events: this.events,
        rejected: this.rejected,
      });
      testPhase('import:before-commit');
      // Checkpointing costs ~as much as the rows it writes plus the case's metadata: a small
      // capture keeps the cheaper WAL commit, which is atomic for it (counted conservatively).
      if (this.events + this.rejected >= ROW_GROUP_ROWS) await this.store.commitThroughCheckpoint(this.session);
      else await this.session.commit();
      testPhase('import:committed');
      return {
        capture_id: this.captureId,
        file_name: this.meta.fileName,
        format: this.meta.format,
        sha256: totals.sha256,
        size_bytes: totals.sizeBytes,
        host,
        events: this.events,
        rejected: this.rejected,
        continuation_lines: totals.continuationLines,
        skipped_lines: totals.skippedLines,
        first_ts: first ? `${first.replace(' ', 'T')}Z` : null,
        last_ts: last ? `${last.replace(' ', 'T')}Z` : null,
        date_basis: dateBasis,
        warnings: totals.warnings,
      };
    } catch (err) {
      await this.session.rollback();
      throw err;
    } finally {
      this.session.close();
      this.importOpen.ended();
    }
  }

  /** Drops everything written so far; the case is left as it was before `begin`. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      this.eventAppender.closeSync();
      this.rejectAppender.closeSync();
    } catch {
      // closing flushes; a failure here changes nothing since we roll back next
    }
    try {
      await this.session.rollback();
    } finally {
      this.session.close();
      this.importOpen.ended();
    }
  }
}

function mostCommon(counts: Map<string, number>): string | null {
  let best: string | null = null;
  let n = -1;
  for (const [k, v] of counts) if (v > n) [best, n] = [k, v];
  return best;
}
