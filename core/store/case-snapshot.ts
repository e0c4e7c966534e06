// A consistent copy of a case that another process has open. DuckDB's lock keeps every other
// process out of the file, even read-only, so a command that only reads (report, verify) copies
// the case file and its write-ahead log to a private temporary folder and opens the copy
// read-only. A copy taken while the owner was writing could be torn: the file and the WAL are
// stat'ed before and after copying and the copy is retried until neither changed in between; the
// copy must then open (DuckDB checks its headers and replays the WAL) or the next try runs.
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { CaseStore } from './case-store.ts';

const TRIES = 5;
const PAUSE_MS = 200;

function fingerprint(path: string): string {
  if (!existsSync(path)) return 'none';
  const s = statSync(path);
  return `${s.size}:${s.mtimeMs}`;
}

export interface CaseSnapshot {
  store: CaseStore;
  /** When the copy was taken (ISO). */
  taken_at: string;
  /** Closes the copy and deletes it. */
  dispose(): void;
}

/** Opens the copy read-write once, which replays its WAL into it and checkpoints. */
async function replayWal(copy: string): Promise<void> {
  const instance = await DuckDBInstance.create(copy, { access_mode: 'READ_WRITE', threads: '1' });
  try {
    const conn = await instance.connect();
    await conn.run('CHECKPOINT');
    conn.closeSync();
  } finally {
    instance.closeSync();
  }
}

export async function openCaseSnapshot(path: string): Promise<CaseSnapshot> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= TRIES; attempt++) {
    // mkdtemp makes the folder readable by this user only (mode 0700): the copy is evidence.
    const dir = mkdtempSync(join(tmpdir(), 'tracebench-snapshot-'));
    const copy = join(dir, basename(path));
    try {
      const before = `${fingerprint(path)}|${fingerprint(`${path}.wal`)}`;
      copyFileSync(path, copy);
      if (existsSync(`${path}.wal`)) copyFileSync(`${path}.wal`, `${copy}.wal`);
      const after = `${fingerprint(path)}|${fingerprint(`${path}.wal`)}`;
      if (before !== after) throw new Error('the case changed while it was being copied');
      const store = await CaseStore.open(copy, { readOnly: true, create: false }).catch(async (err: unknown) => {
        // A WAL holding an index build cannot be replayed read-only: replay it into the copy
        // (ours alone), then open that read-only.
        if (!existsSync(`${copy}.wal`)) throw err;
        await replayWal(copy);
        return CaseStore.open(copy, { readOnly: true, create: false });
      });
      return {
        store,
        taken_at: new Date().toISOString(),
        dispose: () => {
          store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (err) {
      lastError = err;
      rmSync(dir, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS * attempt));
    }
  }
  throw new Error(`could not take a consistent copy of ${path}: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}
