// Import jobs for a case: startImport returns at once with a job the UI polls; jobs are written
// one at a time per case, in the order started (later ones wait their turn, while their files
// already parse in parallel: import-pipeline.ts); cancel aborts through an AbortSignal. importFile
// writes each capture in one transaction, so a failed or cancelled job leaves the case exactly
// as it was. The import loop awaits every file chunk, so the event loop keeps answering calls.
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImportJob, ImportRequest, ImportTriageProgress } from '../api.ts';

/** An import as the backend runs it: the contract's request with the file id already resolved to a path. */
export type ImportFileRequest = Omit<ImportRequest, 'file_id'> & { path: string };
import type { CaseStore } from '../store/case-store.ts';
import type { CaptureSummary } from '../store/capture-writer.ts';
import { ImportPipeline } from './import-pipeline.ts';

export class NoSuchJobError extends Error {
  constructor(jobId: string) {
    super(`no import job ${jobId}`);
    this.name = 'NoSuchJobError';
  }
}

interface JobEntry {
  job: ImportJob;
  abort: AbortController;
  /** The import in the pipeline: settles once this capture was written (or failed). */
  imported: Promise<CaptureSummary>;
}

/** What runs after a run of imports: given the captures they added, reporting its progress. */
export type AfterImports = (captureIds: number[], onProgress: (p: ImportTriageProgress) => void) => Promise<void>;

/** Finished jobs kept for status queries; older ones are forgotten first. */
const FINISHED_JOBS_KEPT = 100;

export class ImportJobs {
  private readonly jobs = new Map<string, JobEntry>();
  private queue: Promise<void> = Promise.resolve();
  private active = 0;
  /** Captures committed since afterImports last ran (it runs once the queue drains). */
  private untriaged: number[] = [];
  private readonly pipeline: ImportPipeline;

  /**
   * `onCaseChanged` runs after a capture was committed (caches over events must be dropped);
   * `afterImports` runs once the last queued import has committed (triage), before that job is
   * reported done, so the analyst sees findings that include the new capture. It is given the
   * captures imported since it last ran, and its progress shows in the job's `triage`.
   */
  constructor(
    store: CaseStore,
    private readonly onCaseChanged: () => void = () => undefined,
    private readonly afterImports: AfterImports | null = null,
  ) {
    this.pipeline = new ImportPipeline(store);
  }

  /** True while a job runs or waits. */
  get busy(): boolean {
    return this.active > 0;
  }

  async start(request: ImportFileRequest): Promise<ImportJob> {
    const fileName = request.display_name ?? basename(request.path);
    const info = await stat(request.path).catch(() => null);
    if (!info?.isFile()) throw new Error(`cannot import ${fileName}: ${request.path} is not a readable file`);
    const job: ImportJob = {
      job_id: `import-${randomBytes(8).toString('hex')}`,
      file_name: fileName,
      state: 'running',
      bytes_done: 0,
      bytes_total: info.size,
      events: 0,
      rejected: 0,
      error: null,
      capture_id: null,
    };
    const abort = new AbortController();
    const imported = this.pipeline.import(
      request.path,
      { format: request.format, date: request.date, tz: request.tz, host: request.host, start: request.start, displayName: job.file_name },
      {
        signal: abort.signal,
        onProgress: (p) => {
          job.bytes_done = p.bytesDone;
          job.bytes_total = p.bytesTotal;
          job.events = p.events;
          job.rejected = p.rejected;
        },
      },
      // Written once the jobs before it have finished, triage included, as before; only its
      // parse runs ahead.
      this.queue,
    );
    imported.catch(() => undefined); // run() reports it
    const entry: JobEntry = { job, abort, imported };
    this.jobs.set(job.job_id, entry);
    this.forgetOldJobs();
    this.active++;
    this.queue = this.queue.then(() => this.run(entry)).finally(() => void this.active--);
    return { ...job };
  }

  status(jobId: string): ImportJob {
    return { ...this.entry(jobId).job };
  }

  cancel(jobId: string): ImportJob {
    const entry = this.entry(jobId);
    if (entry.job.state === 'running') entry.abort.abort();
    return { ...entry.job };
  }

  /** Cancels every job and waits until none runs (before the case is closed). */
  async cancelAll(): Promise<void> {
    for (const entry of this.jobs.values()) if (entry.job.state === 'running') entry.abort.abort();
    await this.idle();
  }

  /** Resolves when no job runs or waits. */
  async idle(): Promise<void> {
    while (this.active > 0) await this.queue.catch(() => undefined);
  }

  private entry(jobId: string): JobEntry {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new NoSuchJobError(jobId);
    return entry;
  }

  private async run(entry: JobEntry): Promise<void> {
    const { job, abort } = entry;
    if (abort.signal.aborted) {
      job.state = 'cancelled';
      return;
    }
    try {
      const summary = await entry.imported;
      job.bytes_done = job.bytes_total;
      this.onCaseChanged();
      this.untriaged.push(summary.capture_id);
      if (this.afterImports && this.active === 1) {
        const captureIds = this.untriaged;
        this.untriaged = [];
        await this.afterImports(captureIds, (p) => void (job.triage = { ...p }))
          .catch((err: unknown) => {
            job.error = `imported, but triage failed: ${err instanceof Error ? err.message : String(err)}`;
          })
          .finally(() => void (job.triage = null));
      }
      Object.assign(job, { state: 'done', capture_id: summary.capture_id, events: summary.events, rejected: summary.rejected });
    } catch (err) {
      const cancelled = abort.signal.aborted || (err instanceof Error && err.name === 'AbortError');
      job.state = cancelled ? 'cancelled' : 'failed';
      job.error = cancelled ? null : err instanceof Error ? err.message : String(err);
    }
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((e) => e.job.state !== 'running');
    for (const e of finished.slice(0, Math.max(0, finished.length - FINISHED_JOBS_KEPT))) this.jobs.delete(e.job.job_id);
  }
}
