// Runs the parse worker for one capture and feeds what it reports into the capture writer.
// The writer (DuckDB appends) stays on this thread; reading, hashing and parsing happen on the
// worker's, so the two overlap on two cores.
import { Worker } from 'node:worker_threads';
import { importerByFormat } from '../importers/registry.ts';
import type { CaptureWriter } from '../store/capture-writer.ts';
import { abortError, parseSource } from './parse-source.ts';
import type { ControlMessage, ParseRequest, WorkerMessage } from './parse-protocol.ts';
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

/** Parses one capture into the writer; resolves with the SHA-256 of its bytes. */
type CaptureParser = (
  request: ParseRequest,
  writer: CaptureWriter,
  tally: ParseTally,
  onProgress: (bytesDone: number) => void,
  signal: AbortSignal | undefined,
) => Promise<string>;

/**
 * Parses on this thread instead (TRACEBENCH_PARSE_INLINE=1): for debugging, profiling, and
 * comparing against the worker in benchmarks.
 */
const parseInline: CaptureParser = async (request, writer, tally, onProgress, signal) => {
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
};

export const parseCapture: CaptureParser = (...args) =>
  process.env['TRACEBENCH_PARSE_INLINE'] === '1' ? parseInline(...args) : parseInWorker(...args);

const parseInWorker: CaptureParser = async (request, writer, tally, onProgress, signal) => {
  const workerData = request;
  const script = (await parseWorkerBundle(request.module)) ?? WORKER_URL;
  // No inherited flags: the parent may run with --eval/--input-type, which a worker refuses.
  const worker = new Worker(script, { workerData, execArgv: [] });
  const send = (m: ControlMessage, transfer: ArrayBuffer[] = []): void => worker.postMessage(m, transfer);
  const onAbort = (): void => send({ t: 'abort' });
  signal?.addEventListener('abort', onAbort);
  if (signal?.aborted) onAbort();

  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (settled) return;
      try {
        if (m.t === 'batch') {
          for (const chunk of m.chunks) writer.addChunk(chunk);
          for (const [line, reason, raw] of m.rejects) writer.addReject(line, reason, raw);
          tally.continuations += m.continuations;
          tally.skips += m.skips;
          tally.warnings.push(...m.warnings);
          if (m.usedDate) tally.usedDate = true;
          if (m.usedStart) tally.usedStart = true;
          onProgress(m.bytesDone);
          const recycled = m.chunks.map((c) => c.buffer);
          send({ t: 'ack', recycled }, recycled);
        } else if (m.t === 'done') {
          finish(() => resolve(m.sha256));
        } else {
          const err = m.name === 'AbortError' ? abortError() : new Error(m.message);
          finish(() => reject(err));
        }
      } catch (err) {
        finish(() => reject(err instanceof Error ? err : new Error(String(err))));
      }
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`the parser stopped unexpectedly (exit code ${code})`))));
  });
};
