// Messages between the import (which owns the case's DuckDB connection) and the parse worker.
import type { ImportContext } from '../importers/types.ts';
import type { CanonicalEvent } from '../model/event.ts';

export interface ParseRequest {
  path: string;
  size: number;
  format: string;
  ctx: ImportContext;
}

/** Everything the importer reported since the previous batch. */
export interface ParseBatch {
  t: 'batch';
  events: CanonicalEvent[];
  rejects: [line: number, reason: string, raw: string][];
  continuations: number;
  skips: number;
  warnings: string[];
  usedDate: boolean;
  bytesDone: number;
}

export type WorkerMessage = ParseBatch | { t: 'done'; sha256: string } | { t: 'error'; name: string; message: string };

export type ControlMessage = { t: 'ack' } | { t: 'abort' };

/** Events per batch message, and batches in flight before the worker waits for an ack. */
export const BATCH_EVENTS = 4096;
export const MAX_BATCHES_IN_FLIGHT = 4;
