// Runs the parse worker for one capture and feeds what it reports into the capture writer.
// The writer (DuckDB appends) stays on this thread; reading, hashing and parsing happen on the
// worker's, so the two overlap on two cores.
import { Worker } from 'node:worker_threads';
import { importerByFormat } from '../importers/registry.ts';
import type { CaptureWriter } from '../store/capture-writer.ts';
import { abortError, parseSource } from './parse-source.ts';
import type { ControlMessage, ParseBatch, ParseRequest, WorkerMessage } from './parse-protocol.ts';
import { parseWorkerBundle } from './worker-bundle.ts';

export interface ParseTally {
  continuations: number;
  skips: number;
  warnings: string[];
  usedDate: boolean;
  usedStart: boolean;
}

/** The worker from TypeScript sources: its plain-JS entry registers tsx, as the command does.
 * Used when there is no bundle of it (worker-bundle.ts). */
const WORKER_URL = new URL('./parse-worker-entry.mjs', import.meta.url);

/**
 * A parse that has started (its worker reads the file) but may not yet have a writer: what it
 * reports waits, in order, until `into` attaches one. Until then the worker runs ahead only as far
 * as its unacknowledged batches allow (MAX_BATCHES_IN_FLIGHT), so memory stays bounded.
 */
export interface StartedParse {
  /** Feeds everything the parse reports into `writer`; resolves with the SHA-256 of the bytes. */
  into(writer: CaptureWriter, tally: ParseTally, onProgress: (bytesDone: number) => void): Promise<string>;
  /** Stops the worker (a parse that will never be written). */
  cancel(): void;
}

type ParseStarter = (request: ParseRequest, signal: AbortSignal | undefined) => StartedParse;

/**
 * Parses on this thread instead (TRACEBENCH_PARSE_INLINE=1): for debugging, profiling, and
 * comparing against the worker in benchmarks. Nothing runs before `into`.
 */
const startInline: ParseStarter = (request, signal) => ({
  cancel: () => undefined,
  into: async (writer, tally, onProgress) => {
    const importer = importerByFormat(request.format);
    if (!importer) throw new Error(`unknown format "${request.format}"`);
    const sink = {
      event: (e: Parameters<CaptureWriter['addEvent']>[0]) => writer.addEvent(e),
      reject: (line: number, reason: string, raw: string) => writer.addReject(line, reason, raw),
      continuation: () => void tally.continuations++,
      skip: () => void tally.skips++,
      warn: (m: string) => void tally.warnings.push(m),
      usedDate: () => void (tally.usedDate = true),
      usedStart: () => void (tally.usedStart = true),
    };
    return parseSource(request.path, request.size, importer, request.ctx, sink, {
      progress: onProgress,
      pause: async () => undefined,
      aborted: () => signal?.aborted ?? false,
    });
  },
});

/** Starts parsing `request` (in a worker unless TRACEBENCH_PARSE_INLINE=1). */
export const startParse: ParseStarter = (request, signal) =>
  process.env['TRACEBENCH_PARSE_INLINE'] === '1' ? startInline(request, signal) : startInWorker(request, signal);

/** Parses one capture into the writer; resolves with the SHA-256 of its bytes. */
export function parseCapture(
  request: ParseRequest,
  writer: CaptureWriter,
  tally: ParseTally,
  onProgress: (bytesDone: number) => void,
  signal: AbortSignal | undefined,
): Promise<string> {
  return startParse(request, signal).into(writer, tally, onProgress);
}

/** What the worker said, kept until a writer is attached. */
type Outcome = { ok: true; sha256: string } | { ok: false; error: Error };

const startInWorker: ParseStarter = (request, signal) => {
  const workerData = request;
  // No inherited flags: the parent may run with --eval/--input-type, which a worker refuses.
  const worker = parseWorkerBundle(request.module).then((bundle) => new Worker(bundle ?? WORKER_URL, { workerData, execArgv: [] }));
  const send = (m: ControlMessage, transfer: ArrayBuffer[] = []): void => void worker.then((w) => w.postMessage(m, transfer));
  const onAbort = (): void => send({ t: 'abort' });
  signal?.addEventListener('abort', onAbort);
  if (signal?.aborted) onAbort();

  const waiting: ParseBatch[] = [];
  let outcome: Outcome | null = null;
  let consumer: ((m: ParseBatch) => void) | null = null;
  let settle: ((o: Outcome) => void) | null = null;
  const finish = (o: Outcome): void => {
    if (outcome) return;
    outcome = o;
    signal?.removeEventListener('abort', onAbort);
    void worker.then((w) => w.terminate());
    settle?.(o);
  };
  worker.then(
    (w) => {
      w.on('message', (m: WorkerMessage) => {
        if (outcome) return;
        if (m.t === 'batch') {
          if (consumer) consumer(m);
          else waiting.push(m);
        } else if (m.t === 'done') {
          finish({ ok: true, sha256: m.sha256 });
        } else {
          finish({ ok: false, error: m.name === 'AbortError' ? abortError() : new Error(m.message) });
        }
      });
      w.on('error', (err) => finish({ ok: false, error: err }));
      w.on('exit', (code) => finish({ ok: false, error: new Error(`the parser stopped unexpectedly (exit code ${code})`) }));
    },
    (err: unknown) => finish({ ok: false, error: err instanceof Error ? err : new Error(String(err)) }),
  );

  return {
    cancel: () => finish({ ok: false, error: abortError() }),
    into: (writer, tally, onProgress) =>
      new Promise<string>((resolve, reject) => {
        const done = (o: Outcome): void => (o.ok ? resolve(o.sha256) : reject(o.error));
        const take = (m: ParseBatch): void => {
          if (outcome && !outcome.ok) return;
          try {
            for (const chunk of m.chunks) writer.addChunk(chunk);
            for (const [line, reason, raw] of m.rejects) writer.addReject(line, reason, raw);
            tally.continuations += m.continuations;
            tally.skips += m.skips;
            tally.warnings.push(...m.warnings);
            if (m.usedDate) tally.usedDate = true;
            if (m.usedStart) tally.usedStart = true;
            onProgress(m.bytesDone);
            // A worker that finished is gone: nothing to acknowledge to.
            const recycled = m.chunks.map((c) => c.buffer);
            if (!outcome) send({ t: 'ack', recycled }, recycled);
          } catch (err) {
            finish({ ok: false, error: err instanceof Error ? err : new Error(String(err)) });
          }
        };
        // Batches that arrived before the writer, in order; then the rest as they come. A worker
        // that finished meanwhile already sent every batch, so the outcome is known only after.
        for (const m of waiting.splice(0)) take(m);
        if (outcome) return done(outcome);
        consumer = take;
        settle = done;
      }),
  };
};
