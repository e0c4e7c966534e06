// Several captures imported into one case: their files are parsed at the same time (one worker
// each, as many as the cores allow) while their captures are written one after another, in the
// order they were given. Why that order: capture and event ids are allocated at write time
// (max + 1), so writing in order gives the same ids, events and findings as importing the files
// one by one; and DuckDB takes one writing transaction per capture anyway (atomic per file: a
// file that fails leaves the case as it was and does not stop the others).
import { availableParallelism } from 'node:os';
import type { CaptureSummary } from '../store/capture-writer.ts';
import type { CaseStore } from '../store/case-store.ts';
import { prepareImport, writePrepared, type ImportHooks, type ImportOptions, type PreparedImport } from './import-file.ts';
import { abortError } from './parse-source.ts';

/**
 * Files parsed ahead of the one being written. The capture being written already keeps two
 * threads busy (its parse worker and the DuckDB appender), so one more per further core; at least
 * one, since the writer waits on its worker part of the time and a commit runs on one thread.
 */
export function defaultParseAhead(): number {
  return Math.max(1, availableParallelism() - 1);
}

interface Queued {
  path: string;
  options: ImportOptions;
  hooks: ImportHooks;
  /** Settles when this file may be written (after what its caller runs between captures). */
  turn: Promise<unknown>;
  prepared: PreparedImport | null;
  resolve: (s: CaptureSummary) => void;
  reject: (e: unknown) => void;
}

export class ImportPipeline {
  /** Imports given and not yet written, in order; the first is being written (or is next). */
  private readonly queue: Queued[] = [];
  private writing = false;

  constructor(
    private readonly store: CaseStore,
    private readonly parseAhead = defaultParseAhead(),
  ) {
    if (!Number.isInteger(parseAhead) || parseAhead < 0) throw new Error(`parseAhead must be a whole number ≥ 0, got ${parseAhead}`);
  }

  /**
   * Queues one file; resolves with its capture once it is committed, after every file queued
   * before it was written or failed. Its parse may start at once (if a slot is free); its writing
   * waits for `turn` too (import jobs: until the previous job, triage included, has finished).
   */
  import(path: string, options: ImportOptions = {}, hooks: ImportHooks = {}, turn: Promise<unknown> = Promise.resolve()): Promise<CaptureSummary> {
    return new Promise<CaptureSummary>((resolve, reject) => {
      this.queue.push({ path, options, hooks, turn: turn.catch(() => undefined), prepared: null, resolve, reject });
      this.startParses();
      void this.writeNext();
    });
  }

  /** Starts the parses of the first 1 + parseAhead queued files that have not started. */
  private startParses(): void {
    for (const q of this.queue.slice(0, 1 + this.parseAhead)) {
      if (!q.prepared && !q.hooks.signal?.aborted) q.prepared = prepareImport(q.path, q.options, q.hooks);
    }
  }

  private async writeNext(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const q = this.queue[0]!;
        await q.turn;
        // Cancelled while it waited its turn: nothing was written, nothing is recorded (as a
        // queued import job that is cancelled before it runs).
        if (q.hooks.signal?.aborted) {
          q.prepared?.cancel();
          this.queue.shift();
          q.reject(abortError());
          continue;
        }
        q.prepared ??= prepareImport(q.path, q.options, q.hooks);
        try {
          q.resolve(await writePrepared(this.store, q.prepared));
        } catch (err) {
          q.reject(err);
        }
        this.queue.shift();
        this.startParses();
      }
    } finally {
      this.writing = false;
    }
  }
}

/**
 * Imports `files` into the case, parsing them in parallel and writing them in the order given;
 * each settles on its own (one failing does not stop the others). `hooksFor` gives a file's
 * progress and cancel hooks.
 */
export function importFiles(
  store: CaseStore,
  files: readonly string[],
  options: ImportOptions = {},
  hooksFor: (path: string, index: number) => ImportHooks = () => ({}),
  parseAhead = defaultParseAhead(),
): Promise<PromiseSettledResult<CaptureSummary>>[] {
  const pipeline = new ImportPipeline(store, parseAhead);
  return files.map((path, i) =>
    pipeline.import(path, options, hooksFor(path, i)).then(
      (value): PromiseSettledResult<CaptureSummary> => ({ status: 'fulfilled', value }),
      (reason: unknown): PromiseSettledResult<CaptureSummary> => ({ status: 'rejected', reason }),
    ),
  );
}
