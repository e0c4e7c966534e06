// Reads one capture file for its importer: streams text through the line splitter, or gives a
// binary importer random access, and hashes the bytes. Runs in the parse worker (see
// parse-worker.ts); `pause` lets the consumer of the events hold the reader back.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { ByteSource, ImportContext, ImportSink, Importer } from '../importers/types.ts';
import { sniffEncoding } from '../util/encoding.ts';
import { ChunkDecoder } from './chunk-decoder.ts';
import { LineSplitter } from './line-splitter.ts';
import { readHead } from './read-head.ts';

// Text is decoded 64 KB at a time: a decoded piece must stay below V8's large-object size
// (128 KB), or every piece allocates a fresh large string and decoding runs ~5× slower (page
// faults). The file is read 1 MB at a time into one reused buffer: 64 KB reads through a stream
// cost ~0.3 CPU s per 160 MB in stream machinery and fresh buffers, 1 MB reads ~0.1 s.
const CHUNK_BYTES = 64 * 1024;
const READ_BYTES = 16 * CHUNK_BYTES;
const HEAD_BYTES = 8;

export interface SourceHooks {
  progress(bytesDone: number): void;
  /** Awaited after every chunk read: resolves when the reader may go on. */
  pause(): Promise<void>;
  aborted(): boolean;
}

export function abortError(): Error {
  const e = new Error('import cancelled');
  e.name = 'AbortError';
  return e;
}

/** Parses the file at `path` with `importer`, reporting to `sink`; returns the SHA-256 hex. */
export async function parseSource(path: string, size: number, importer: Importer, ctx: ImportContext, sink: ImportSink, hooks: SourceHooks): Promise<string> {
  return importer.mode === 'text'
    ? streamText(path, importer.open(ctx, sink), sink, hooks)
    : parseBinary(path, size, importer, ctx, sink, hooks);
}

async function streamText(
  path: string,
  parser: { line(text: string, n: number): void; end(): void },
  sink: ImportSink,
  hooks: SourceHooks,
): Promise<string> {
  const hash = createHash('sha256');
  const { encoding, bomLength } = sniffEncoding(await readHead(path, HEAD_BYTES));
  const decoder = new ChunkDecoder(encoding);
  const splitter = new LineSplitter({
    line: (text, n) => parser.line(text, n),
    overlong: (n, headText, length) => sink.reject(n, `line too long (${length} characters)`, headText),
  });
  let done = 0;
  const fh = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    for (;;) {
      const { bytesRead } = await fh.read(buffer, 0, READ_BYTES, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      // Decoded in 64 KB pieces, as 64 KB reads would give them.
      for (let at = 0; at < bytesRead; at += CHUNK_BYTES) {
        if (hooks.aborted()) throw abortError();
        const piece = buffer.subarray(at, Math.min(bytesRead, at + CHUNK_BYTES));
        splitter.push(decoder.decode(done === 0 ? piece.subarray(bomLength) : piece));
        done += piece.length;
        hooks.progress(done);
        await hooks.pause();
      }
    }
  } finally {
    await fh.close();
  }
  splitter.push(decoder.end());
  splitter.end();
  parser.end();
  return hash.digest('hex');
}

async function parseBinary(
  path: string,
  size: number,
  importer: Extract<Importer, { mode: 'binary' }>,
  ctx: ImportContext,
  sink: ImportSink,
  hooks: SourceHooks,
): Promise<string> {
  const fh = await open(path, 'r');
  try {
    let furthest = 0;
    const source: ByteSource = {
      size,
      async read(offset, length) {
        if (hooks.aborted()) throw abortError();
        await hooks.pause();
        const len = Math.max(0, Math.min(length, size - offset));
        const buf = Buffer.alloc(len);
        const { bytesRead } = await fh.read(buf, 0, len, offset);
        if (offset + bytesRead > furthest) {
          furthest = offset + bytesRead;
          hooks.progress(furthest);
        }
        return buf.subarray(0, bytesRead);
      },
    };
    await importer.parse(source, ctx, sink);
    // Binary parsers read out of order, so the hash is a separate sequential pass.
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path, { flags: 'r', highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
    }
    hooks.progress(size);
    return hash.digest('hex');
  } finally {
    await fh.close();
  }
}
