// The browser shell's uploads, from arrival to removal. An upload is a copy of a capture made only
// so it can be imported: the case keeps the events, the SHA-256 and the file name, not the copy.
// So each upload is removed when the import that read it ends (done, failed or cancelled), and
// every one left (never imported, or the session went idle) when the server stops. Two limits
// keep a page from filling the disk: one per file and one for all uploads on disk at once,
// counting uploads still arriving (each reserves its declared size, or the whole allowance).
import { rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { resolve } from 'node:path';
import { displayNameOf, receiveUpload, UploadTooLargeError } from './upload.ts';

const GIB = 1024 ** 3;
export const UPLOAD_FILE_LIMIT_BYTES = 8 * GIB;
export const UPLOAD_TOTAL_LIMIT_BYTES = 16 * GIB;
/** How often a running import of an upload is asked whether it has ended. */
const IMPORT_POLL_MS = 1000;

export interface UploadLimits {
  perFile: number;
  total: number;
}

/** Tells whether an import job still runs (or waits); throws when the job is unknown. */
export type ImportRunning = (jobId: string) => Promise<boolean>;

interface StoredUpload {
  bytes: number;
  /** Imports started from this file that have not ended yet. */
  imports: number;
}

function formatBytes(n: number): string {
  if (n >= GIB) return `${(n / GIB).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${n} bytes`;
}

export class UploadStore {
  private readonly files = new Map<string, StoredUpload>();
  private reserved = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly limits: UploadLimits,
    private readonly importRunning: ImportRunning,
    private readonly pollMs = IMPORT_POLL_MS,
    /** Told each path removed (the server revokes the upload's file id). */
    private readonly onRemoved: (path: string) => void = () => undefined,
  ) {}

  /** Bytes on disk plus bytes reserved by uploads still arriving. */
  get bytesInUse(): number {
    let sum = this.reserved;
    for (const f of this.files.values()) sum += f.bytes;
    return sum;
  }

  /** The paths of the uploads on disk right now. */
  get paths(): string[] {
    return [...this.files.keys()];
  }

  /** `ownReservation`: what the refused upload itself had reserved, not "in use" by others. */
  private refusal(display: string, size: number | null, ownReservation = 0): UploadTooLargeError {
    const what = size === null ? 'it is' : `${formatBytes(size)} is`;
    return new UploadTooLargeError(
      `upload of "${display}" refused: ${what} more than the browser shell accepts ` +
        `(${formatBytes(this.limits.perFile)} per file, ${formatBytes(this.limits.total)} for all uploads not yet imported; ` +
        `${formatBytes(this.bytesInUse - ownReservation)} in use). Import a large capture from disk instead: tracebench import CASE FILE`,
    );
  }

  /** Streams one upload to `dir`, refusing it (413) as soon as it is known to be over a limit. */
  async receive(req: IncomingMessage, dir: string, clientName: string, modifiedMs?: number): Promise<{ path: string; display_name: string }> {
    const allowance = Math.max(0, Math.min(this.limits.perFile, this.limits.total - this.bytesInUse));
    const declaredHeader = req.headers['content-length'];
    const declared = declaredHeader === undefined ? null : Number(declaredHeader);
    if (declared !== null && declared > allowance) throw this.refusal(displayNameOf(clientName), declared);
    const reservation = declared ?? allowance;
    this.reserved += reservation;
    try {
      const stored = await receiveUpload(req, dir, clientName, declared ?? allowance, (display) => this.refusal(display, null, reservation), modifiedMs);
      const path = resolve(stored.path);
      // The reservation is released in finally; from now on the file counts with its real size.
      this.files.set(path, { bytes: stored.bytes, imports: 0 });
      return { path, display_name: stored.display_name };
    } finally {
      this.reserved -= reservation;
    }
  }

  /**
   * Called after an import of `path` started: when the path is one of our uploads, polls the job
   * and removes the file once no import of it runs any more.
   */
  importStarted(path: string, jobId: string): void {
    const upload = this.files.get(resolve(path));
    if (!upload) return;
    upload.imports++;
    const poll = (): void => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.importRunning(jobId)
          .catch(() => false) // an unknown job (the case was closed) has ended too
          .then((running) => {
            if (running) return poll();
            upload.imports--;
            if (upload.imports <= 0) this.remove(path);
          })
          .catch(() => undefined);
      }, this.pollMs);
      timer.unref();
      this.timers.add(timer);
    };
    poll();
  }

  /** Removes every upload no import is reading (the session went idle). */
  removeUnclaimed(): void {
    for (const [path, upload] of this.files) if (upload.imports === 0) this.remove(path);
  }

  /** Stops watching imports and removes every upload (the server stops). */
  removeAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const path of this.files.keys()) this.remove(path);
  }

  private remove(path: string): void {
    const key = resolve(path);
    this.files.delete(key);
    this.onRemoved(key);
    try {
      rmSync(key, { force: true });
    } catch (err) {
      // A file still open elsewhere (Windows) stays; say so rather than fail the caller.
      process.stderr.write(`tracebench serve: could not remove upload ${key}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
}
