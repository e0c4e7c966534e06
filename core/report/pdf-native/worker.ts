// The PDF writer's worker thread: loads pdfkit, its font engine and the fonts as soon as it starts
// (while the report's data is still being gathered on the main thread), then writes each PDF it is
// sent and hands the bytes back (transferred, not copied).
import { parentPort } from 'node:worker_threads';
import { warmFonts } from './fonts.ts';
import { PdfLayout } from './layout.ts';
import { renderNativePdf } from './render.ts';
import type { WriterReply, WriterRequest } from './in-worker.ts';

const port = parentPort;
if (!port) throw new Error('pdf-native/worker.ts runs as a worker thread');
warmFonts();
// One small document first: pdfkit parses each font per document, and its code paths get compiled.
void new PdfLayout({ title: 'warm-up', createdAt: new Date(0), compress: true }).finish({ left: '', right: '' });
port.on('message', (request: WriterRequest) => {
  renderNativePdf(request.data, request.options).then(
    (pdf) => {
      const bytes = pdf.buffer.slice(pdf.byteOffset, pdf.byteOffset + pdf.byteLength) as ArrayBuffer;
      port.postMessage({ ok: true, pdf: bytes } satisfies WriterReply, [bytes]);
    },
    (err: unknown) => port.postMessage({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies WriterReply),
  );
});
