// Runs one fuzz input through one importer the way the ingest layer does (core/ingest/parse-source.ts:
// encoding sniffed from the first bytes, BOM removed, bytes decoded chunk by chunk with the real
// ChunkDecoder, lines cut by the real LineSplitter, over-long lines rejected) and judges the run:
// a crash (a JavaScript TypeError/RangeError/stack overflow… escaping the importer), too slow for
// its size, too much heap kept, or a line that vanished. An importer may refuse a wholly unreadable
// file with a plain Error that says why; that is not a failure.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ChunkDecoder } from '../../ingest/chunk-decoder.ts';
import { LineSplitter } from '../../ingest/line-splitter.ts';
import { sniffEncoding } from '../../util/encoding.ts';
import { testContext, bytesSource } from '../../testing/collecting-sink.ts';
import type { CanonicalEvent } from '../../model/event.ts';
import type { Importer, ImportSink } from '../types.ts';

export type Verdict = 'ok' | 'refused' | 'crash' | 'slow' | 'memory' | 'unaccounted';

export interface RunResult {
  verdict: Verdict;
  /** Why, for anything but ok. */
  detail: string;
  ms: number;
  lines: number;
  heapGrowthBytes: number;
}

/** The ingest reads 64 KB at a time (parse-source.ts CHUNK_BYTES). */
export const INGEST_CHUNK_BYTES = 64 * 1024;

/** Time allowed: generous, for a 2-core machine shared with other work. */
export function timeBudgetMs(bytes: number): number {
  return 3000 + 6000 * (bytes / (1024 * 1024));
}

/** Heap an importer may still hold at the end of a run: its state, never a copy of the whole input many times over. */
export function heapBudgetBytes(bytes: number): number {
  return 64 * 1024 * 1024 + 8 * bytes;
}

/** JavaScript's own errors: the importer met input it did not expect, instead of judging it. */
const CRASH_TYPES = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError];

export function isCrash(err: unknown): boolean {
  if (!(err instanceof Error)) return true;
  if (CRASH_TYPES.some((t) => err instanceof t)) return true;
  return /call stack|out of memory/i.test(err.message);
}

/**
 * A garbage collection, so heap figures measure what is kept rather than what is waiting to be
 * swept. A full one costs tens of milliseconds in a big test process, so the quick check sweeps
 * only the young generation and makes a full one only to confirm a figure over budget.
 */
const collectGarbage: (options: { type: 'minor' | 'major' }) => void = (() => {
  const g = (globalThis as { gc?: (options: { type: 'minor' | 'major' }) => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as (options: { type: 'minor' | 'major' }) => void;
})();

const MAX_TRACKED_LINE = 1 << 25;

/** Counts what the importer reports, per line, without keeping events (the heap check measures the importer). */
class FateSink implements ImportSink {
  /** Binary importers number records (any u32 a damaged file holds), not lines: not tracked. */
  constructor(private readonly trackLines: boolean) {}

  fates = new Uint8Array(1024);
  /** Line numbers reported outside 1..lines (set at the end). */
  outside: number[] = [];
  events = 0;
  refusal = '';

  private mark(line: number): void {
    if (!this.trackLines) return;
    // Past any line the splitter can number (its count fits a text well over a GB): a made-up number.
    if (!Number.isInteger(line) || line < 1 || line > MAX_TRACKED_LINE) {
      this.outside.push(line);
      return;
    }
    if (line >= this.fates.length) {
      const grown = new Uint8Array(Math.max(line + 1, this.fates.length * 2));
      grown.set(this.fates);
      this.fates = grown;
    }
    this.fates[line] = Math.min(255, this.fates[line]! + 1);
  }
  event(e: CanonicalEvent): void {
    this.events++;
    if (this.eventLines.has(e.source_line)) return; // several events may come from one line
    this.eventLines.add(e.source_line);
    this.mark(e.source_line);
  }
  private readonly eventLines = new Set<number>();
  reject(line: number): void {
    this.mark(line);
  }
  continuation(line: number): void {
    this.mark(line);
  }
  skip(line: number): void {
    this.mark(line);
  }
  warn(): void {}
  usedDate(): void {}
  usedStart(): void {}
}

/** Heap at the start of a run, and what the importer held once every line was in (parser alive, before end()). */
interface Held {
  before: number;
  growth: number | null;
  budget: number;
  exact: boolean;
}

function heapNow(type: 'minor' | 'major'): number {
  collectGarbage({ type });
  return process.memoryUsage().heapUsed;
}

/** Heap growth since `held.before`: a cheap figure, or an exact one when asked or when the cheap one is over budget. */
function heapGrowth(held: Held): number {
  const quick = held.exact ? Infinity : heapNow('minor') - held.before;
  return quick > held.budget ? heapNow('major') - held.before : quick;
}

async function feed(importer: Importer, bytes: Uint8Array, chunkBytes: number, sink: FateSink, held: Held): Promise<number> {
  const ctx = testContext({ fileName: 'fuzz-input' });
  if (importer.mode === 'binary') {
    await importer.parse(bytesSource(bytes), ctx, sink);
    return 0;
  }
  const parser = importer.open(ctx, sink);
  const report: ImportSink = sink; // the same call parse-source.ts makes for an over-long line
  const { encoding, bomLength } = sniffEncoding(bytes.subarray(0, 8));
  const decoder = new ChunkDecoder(encoding);
  const splitter = new LineSplitter({
    line: (text, n) => parser.line(text, n),
    overlong: (n, head, length) => report.reject(n, `line too long (${length} characters)`, head),
  });
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset + at, Math.min(chunkBytes, bytes.length - at));
    splitter.push(decoder.decode(at === 0 ? chunk.subarray(bomLength) : chunk));
  }
  splitter.push(decoder.end());
  splitter.end();
  held.growth = heapGrowth(held);
  parser.end();
  return splitter.linesSeen;
}

/**
 * Every line 1..lines has a fate (event, continuation, skip or reject) and nothing was reported
 * for a line that does not exist. One fate per line is not required: a line can hold the end of
 * one record and the start of the next (several JSON packets or XML events on one line, which
 * damaged line endings produce), and each record reports its own outcome at its line.
 */
function accountingProblem(sink: FateSink, lines: number): string | null {
  const missing: number[] = [];
  for (let n = 1; n <= lines && missing.length < 5; n++) if ((sink.fates[n] ?? 0) === 0) missing.push(n);
  if (missing.length > 0) return `line(s) ${missing.join(', ')} of ${lines} neither event, continuation, skip nor reject`;
  const beyond: number[] = [...sink.outside];
  for (let n = lines + 1; n < sink.fates.length && beyond.length < 5; n++) if (sink.fates[n]! > 0) beyond.push(n);
  if (beyond.length > 0) return `fates reported for line(s) ${beyond.join(', ')}, but the input has ${lines} lines`;
  return null;
}

export interface RunOptions {
  chunkBytes?: number;
  /** Skip the line-accounting check (binary importers number records, not lines). */
  checkLines?: boolean;
  /** A full garbage collection around every run (the long run), not only to confirm an excess. */
  exactHeap?: boolean;
}

export async function runFuzzInput(importer: Importer, bytes: Uint8Array, options: RunOptions = {}): Promise<RunResult> {
  const checkLines = options.checkLines ?? importer.mode === 'text';
  const exact = options.exactHeap ?? false;
  const held: Held = { before: heapNow(exact ? 'major' : 'minor'), growth: null, budget: heapBudgetBytes(bytes.length), exact };
  const sink = new FateSink(checkLines);
  const started = performance.now();
  let lines = 0;
  let error: unknown = null;
  try {
    lines = await feed(importer, bytes, options.chunkBytes ?? INGEST_CHUNK_BYTES, sink, held);
  } catch (err) {
    error = err;
  }
  const ms = performance.now() - started; // includes one garbage collection: small beside the budget
  // A binary importer (or a run that threw) is measured after the run: what it leaked.
  const heapGrowthBytes = held.growth ?? heapGrowth(held);
  const result = (verdict: Verdict, detail: string): RunResult => ({ verdict, detail, ms, lines, heapGrowthBytes });
  if (error !== null) {
    if (isCrash(error)) return result('crash', error instanceof Error ? (error.stack ?? error.message) : String(error));
    return result('refused', (error as Error).message);
  }
  // Memory first: an importer that hoards is usually slow too, and the heap is the cause.
  if (heapGrowthBytes > held.budget) return result('memory', `heap grew ${(heapGrowthBytes / 1048576).toFixed(1)} MB for ${bytes.length} bytes`);
  if (ms > timeBudgetMs(bytes.length)) return result('slow', `${ms.toFixed(0)} ms for ${bytes.length} bytes (budget ${timeBudgetMs(bytes.length).toFixed(0)} ms)`);
  const problem = checkLines ? accountingProblem(sink, lines) : null;
  if (problem) return result('unaccounted', problem);
  return result('ok', '');
}
