// The native PDF written on a worker thread. Loading pdfkit and its font engine alone takes
// ~0.4 s (their Unicode tables are inflated at load) and writing the 1,000-annotation report
// ~0.5 s (docs/benchmarks.md); started when a PDF report is asked for, the worker loads them on
// the second core while the case is gathered, and writes the PDF while this thread renders the
// full HTML report that goes beside it. Should the worker fail to start or die, the PDF is
// written on this thread instead (same code, same bytes); TRACEBENCH_PDF_INLINE=1 always does.
import { Worker } from 'node:worker_threads';
import type { ReportData } from '../model.ts';
import type { NativePdfOptions } from './render.ts';

export interface WriterRequest {
  data: ReportData;
  options: NativePdfOptions;
}

export type WriterReply = { ok: true; pdf: ArrayBuffer } | { ok: false; error: string };

export interface PdfWriter {
  write(data: ReportData, options: NativePdfOptions): Promise<Buffer>;
  close(): Promise<void>;
}

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

async function writeHere(data: ReportData, options: NativePdfOptions): Promise<Buffer> {
  const { renderNativePdf } = await import('./render.ts');
  return renderNativePdf(data, options);
}

/** A writer on this thread: nothing is loaded before the first write. */
export function inlinePdfWriter(): PdfWriter {
  return { write: writeHere, close: async () => undefined };
}

/** Starts the worker now (it loads pdfkit and the fonts at once); `warn` hears of a fall-back. */
export function startPdfWriter(warn: (message: string) => void = () => {}): PdfWriter {
  if (process.env['TRACEBENCH_PDF_INLINE'] === '1') return inlinePdfWriter();
  let failed: string | null = null;
  let pending: { resolve: (pdf: Buffer) => void; reject: (err: Error) => void } | null = null;
  // No inherited flags: the parent may run with --eval/--input-type, which a worker refuses.
  const worker = new Worker(ENTRY, { execArgv: [] });
  worker.unref();
  worker.on('message', (reply: WriterReply) => {
    const p = pending;
    pending = null;
    if (!p) return;
    if (reply.ok) p.resolve(Buffer.from(reply.pdf));
    else p.reject(new Error(`the PDF could not be written: ${reply.error}`));
  });
  const fail = (why: string) => {
    failed ??= why;
    pending?.reject(new WorkerGone(why));
    pending = null;
  };
  worker.on('error', (err) => fail(err.message));
  worker.on('exit', (code) => fail(`exit ${code}`));
  const inWorker = (data: ReportData, options: NativePdfOptions) =>
    new Promise<Buffer>((resolve, reject) => {
      if (failed !== null) return reject(new WorkerGone(failed));
      pending = { resolve, reject };
      worker.postMessage({ data, options } satisfies WriterRequest);
    });
  return {
    async write(data, options) {
      try {
        return await inWorker(data, options);
      } catch (err) {
        if (!(err instanceof WorkerGone)) throw err;
        warn(`the PDF writer's worker stopped (${err.message}); writing the PDF on the main thread`);
        return writeHere(data, options);
      }
    },
    async close() {
      failed ??= 'closed';
      await worker.terminate();
    },
  };
}

class WorkerGone extends Error {}
