// Messages between the import (which owns the case's DuckDB connection) and the parse worker.
import type { ImportContext } from '../importers/types.ts';
import type { EventChunk } from '../store/event-chunk.ts';

export interface ParseRequest {
  path: string;
  size: number;
  format: string;
  /** The importer's module (Importer.module): the worker loads only that. */
  module: string;
  ctx: ImportContext;
}

/** Everything the importer reported since the previous batch. */
export interface ParseBatch {
  t: 'batch';
  /** Packed events (their buffers are transferred, not copied). */
  chunks: EventChunk[];
  rejects: [line: number, reason: string, raw: string][];
  continuations: number;
  skips: number;
  warnings: string[];
  usedDate: boolean;
  usedStart: boolean;
  bytesDone: number;
}

export type WorkerMessage = ParseBatch | { t: 'done'; sha256: string } | { t: 'error'; name: string; message: string };

/** `recycled`: the acknowledged chunks' buffers, handed back for the worker to refill. */
export type ControlMessage = { t: 'ack'; recycled: ArrayBuffer[] } | { t: 'abort' };

/** Chunks per batch message, and batches in flight before the worker waits for an ack. */
export const BATCH_CHUNKS = 2;
export const MAX_BATCHES_IN_FLIGHT = 64;
