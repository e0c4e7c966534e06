// Worker thread that parses one capture: the file is read, hashed and parsed here, and events
// go to the importing thread in packed batches, so parsing and writing to DuckDB run on two
// cores and the thread serving the UI never parses. Backpressure: at most MAX_BATCHES_IN_FLIGHT
// batches are unacknowledged at once. Started through parse-worker-entry.mjs (TypeScript via
// tsx) or a bundle of this file with the one importer it needs (worker-bundle.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { Importer, ImportSink } from '../importers/types.ts';
import { BATCH_CHUNKS, MAX_BATCHES_IN_FLIGHT, type ControlMessage, type ParseBatch, type ParseRequest, type WorkerMessage } from './parse-protocol.ts';
import { parseSource } from './parse-source.ts';
import { EventChunkPacker } from '../store/event-chunk.ts';

/** Runs the worker: `resolveImporter` supplies the importer the request names. */
export function runParseWorker(resolveImporter: (request: ParseRequest) => Promise<Importer>): void {
  const port = parentPort;
  if (!port) throw new Error('parse-worker must run as a worker thread');
  const request = workerData as ParseRequest;
  const packer = new EventChunkPacker(request.ctx.host);

  let aborted = false;
  let inFlight = 0;
  let wake: (() => void) | null = null;
  port.on('message', (m: ControlMessage) => {
    if (m.t === 'abort') aborted = true;
    if (m.t === 'ack') {
      inFlight--;
      for (const buffer of m.recycled) packer.recycle(buffer);
    }
    if (wake && (inFlight < MAX_BATCHES_IN_FLIGHT || aborted)) {
      const w = wake;
      wake = null;
      w();
    }
  });

  const post = (m: WorkerMessage): void => port.postMessage(m);
  const emptyBatch = (): ParseBatch => ({ t: 'batch', chunks: [], rejects: [], continuations: 0, skips: 0, warnings: [], usedDate: false, usedStart: false, bytesDone: 0 });

  let batch = emptyBatch();
  let bytesDone = 0;
  /** Sends what is ready; a part-filled chunk only at the end (small chunks append slower). */
  const flush = (last = false): void => {
    if (last && packer.rows > 0) batch.chunks.push(packer.take());
    batch.bytesDone = bytesDone;
    inFlight++;
    port.postMessage(batch, batch.chunks.flatMap((c) => [c.buffer, c.outOfLine.cells.buffer, c.outOfLine.utf8.buffer, c.outOfLine.ends.buffer, c.repeats.buffer]));
    batch = emptyBatch();
  };

  const sink: ImportSink = {
    event(e) {
      packer.add(e);
      if (packer.full) {
        batch.chunks.push(packer.take());
        if (batch.chunks.length >= BATCH_CHUNKS) flush();
      }
    },
    reject: (line, reason, raw) => void batch.rejects.push([line, reason, raw]),
    continuation: () => void batch.continuations++,
    skip: () => void batch.skips++,
    warn: (m) => void batch.warnings.push(m),
    usedDate: () => void (batch.usedDate = true),
    usedStart: () => void (batch.usedStart = true),
  };

  const main = async (): Promise<void> => {
    const importer = await resolveImporter(request);
    const sha256 = await parseSource(request.path, request.size, importer, request.ctx, sink, {
      progress: (n) => void (bytesDone = n),
      aborted: () => aborted,
      pause: async () => {
        if (batch.chunks.length > 0 || batch.rejects.length > 0) flush();
        while (inFlight >= MAX_BATCHES_IN_FLIGHT && !aborted) await new Promise<void>((r) => (wake = r));
      },
    });
    flush(true);
    post({ t: 'done', sha256 });
  };

  main().catch((err: unknown) => {
    post({ t: 'error', name: err instanceof Error ? err.name : 'Error', message: err instanceof Error ? err.message : String(err) });
  });
}
