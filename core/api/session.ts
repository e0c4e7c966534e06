// Which case a backend has open, where new cases go, and the recently opened list. One case at
// a time: opening another closes the previous store (after its imports are finished or
// cancelled). The workspace defaults to $TRACEBENCH_HOME/cases, else ~/.tracebench/cases.
import { runTriage, type TriageProgress } from '../triage/run.ts';
import { rebuildDerived } from '../case/derived.ts';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { CaseEntry, CaseInfo, SessionInfo } from '../api.ts';
import { defaultAuthor } from '../annotations/annotations.ts';
import { readCaseInfo } from '../case/case-info.ts';
import { ImportJobs } from '../ingest/jobs.ts';
import { importFile } from '../ingest/import-file.ts';
import { EventCountCache } from '../query/event-page.ts';
import { SortKeyBuilder } from '../query/sort-keys.ts';
import { CaseStore } from '../store/case-store.ts';
import { isParquetDataset, openParquetDataset } from '../store/parquet-case.ts';
import { ApiError, ImportRunningError, NoCaseOpenError } from './errors.ts';
import { FileGrants } from './file-grants.ts';

/**
 * After imports: the process tree and the links, then the findings (rules read the tree's
 * parents) of the new captures only — earlier captures' findings stay (core/triage/run.ts).
 */
async function afterImport(store: CaseStore, captureIds: number[], onProgress: (p: TriageProgress) => void): Promise<void> {
  await rebuildDerived(store);
  await runTriage(store, { captureIds, onProgress });
}

export interface SessionOptions {
  shell: SessionInfo['shell'];
  /** Folder for new cases (default: <home>/cases). */
  workspace?: string;
  /** Settings folder holding the recent list (default: $TRACEBENCH_HOME or ~/.tracebench). */
  home?: string;
  /** Folder with the sample captures and their manifest (default: samples/demo in this repository). */
  samplesDir?: string;
}

/** The open case: its store, its import jobs and the caches that must drop when events change. */
export interface OpenCase {
  store: CaseStore;
  jobs: ImportJobs;
  counts: EventCountCache;
  /** What the user opened: the case file, or a Parquet dataset's folder (store.path is then a scratch copy). */
  path: string;
  /** Builds the sort keys the case lacks in the background (sort-keys.ts); absent for a dataset. */
  sortKeys?: SortKeyBuilder;
  /** Frees what opening took beyond the store (a dataset's scratch case). */
  dispose?: () => void;
}

/** One sample capture to import, as listed in samples/demo/manifest.json. */
interface SampleEntry {
  file: string;
  format?: string;
  host?: string;
  date?: string;
}

const RECENT_KEPT = 10;
const SAMPLE_CASE_FILE = 'sample.duckdb';
const CASE_EXTENSION = '.duckdb';

export function defaultHome(): string {
  return process.env['TRACEBENCH_HOME'] ?? join(homedir(), '.tracebench');
}

export function defaultSamplesDir(): string {
  return join(import.meta.dirname, '..', '..', 'samples', 'demo');
}

export class Session {
  private current: OpenCase | null = null;
  readonly workspace: string;
  private readonly home: string;
  private readonly samplesDir: string;
  /** Ids for the files the user handed over this session (file-grants.ts). */
  readonly grants = new FileGrants();

  constructor(private readonly options: SessionOptions) {
    this.home = resolve(options.home ?? defaultHome());
    this.workspace = resolve(options.workspace ?? join(this.home, 'cases'));
    this.samplesDir = resolve(options.samplesDir ?? defaultSamplesDir());
  }

  info(): SessionInfo {
    return {
      case_path: this.current?.path ?? null,
      workspace: this.workspace,
      recent: this.openableRecent(),
      sample_available: existsSync(join(this.samplesDir, 'manifest.json')),
      shell: this.options.shell,
      user: defaultAuthor(),
    };
  }

  /** The open case, or a clear error when there is none. */
  requireCase(): OpenCase {
    if (!this.current) throw new NoCaseOpenError();
    return this.current;
  }

  /**
   * Opens a case file named by a path; only for the host's own use (the command line, a path the
   * user chose in a native dialog): the renderer opens cases by id (openCaseById).
   * `create` (the CLI's "created when missing") makes an empty one.
   */
  async openCase(path: string, create = false): Promise<CaseInfo> {
    const full = resolve(path);
    if (!create && !existsSync(full)) throw new ApiError(`no case file at ${full}`, 404);
    if (isParquetDataset(full)) return this.switchToDataset(full);
    if (create) mkdirSync(dirname(full), { recursive: true });
    return this.switchTo(full, create);
  }

  /** Opens a case the host issued `caseId` for; an id it did not issue is refused. */
  async openCaseById(caseId: string): Promise<CaseInfo> {
    return this.openCase(this.grants.resolve('case', caseId).path);
  }

  /** The case files in the workspace folder, newest first, each granted an id to open it by. */
  listCases(): CaseEntry[] {
    let names: string[];
    try {
      names = readdirSync(this.workspace);
    } catch {
      return []; // no workspace yet: no cases
    }
    const entries = names
      .filter((n) => n.toLowerCase().endsWith(CASE_EXTENSION) && !n.startsWith('.'))
      .map((n) => this.caseEntry(join(this.workspace, n)))
      .filter((e): e is CaseEntry => e !== null);
    return entries.sort((a, b) => b.modified.localeCompare(a.modified) || a.name.localeCompare(b.name));
  }

  async newCase(name: string): Promise<CaseInfo> {
    const trimmed = name.trim();
    if (trimmed === '' || trimmed.startsWith('.') || /[\\/]/.test(trimmed)) throw new ApiError(`not a usable case name: "${name}"`);
    const file = join(this.workspace, trimmed.toLowerCase().endsWith('.duckdb') ? trimmed : `${trimmed}.duckdb`);
    if (existsSync(file)) throw new ApiError(`a case named "${trimmed}" already exists in ${this.workspace}: open it instead`, 409);
    mkdirSync(this.workspace, { recursive: true });
    return this.switchTo(file, true);
  }

  /** Opens <workspace>/sample.duckdb, building it from the sample captures the first time. */
  async openSampleCase(): Promise<CaseInfo> {
    const file = join(this.workspace, SAMPLE_CASE_FILE);
    if (!existsSync(file)) {
      this.ensureNoImportRunning('open the sample case');
      mkdirSync(this.workspace, { recursive: true });
      await buildSampleCase(this.samplesDir, file);
    }
    return this.switchTo(file, false);
  }

  /** Closes the open case (cancelling its imports). */
  async close(): Promise<void> {
    const open = this.current;
    if (!open) return;
    this.current = null;
    await open.jobs.cancelAll();
    await open.sortKeys?.stop();
    if (open.dispose) open.dispose();
    else open.store.close();
  }

  /** The open case's summary, named after what the user opened. */
  async caseInfo(): Promise<CaseInfo> {
    return describe(this.requireCase());
  }

  private ensureNoImportRunning(what: string): void {
    if (this.current?.jobs.busy) throw new ImportRunningError(what);
  }

  private async switchTo(path: string, create: boolean): Promise<CaseInfo> {
    this.ensureNoImportRunning('open another case');
    if (this.current?.path === path) return describe(this.current);
    const store = await CaseStore.open(path, { create });
    await this.close();
    const counts = new EventCountCache();
    const sortKeys = new SortKeyBuilder(store, () => counts.keysChanged(), undefined, () => counts.warmKeyed(store));
    const jobs = new ImportJobs(store, () => counts.clear(), async (ids, onProgress) => {
      await afterImport(store, ids, onProgress);
      sortKeys.start();
    });
    this.current = { store, counts, path, jobs, sortKeys };
    sortKeys.start();
    this.remember(path);
    this.grants.grant('case', path); // it is open: the recent list may offer it again by id
    return describe(this.current);
  }

  /** A Parquet dataset folder, opened read-only through a scratch case (parquet-case.ts). */
  private async switchToDataset(dir: string): Promise<CaseInfo> {
    this.ensureNoImportRunning('open another case');
    if (this.current?.path === dir) return describe(this.current);
    const opened = await openParquetDataset(dir);
    await this.close();
    const store = opened.store;
    const counts = new EventCountCache();
    this.current = { store, counts, path: dir, dispose: opened.dispose, jobs: new ImportJobs(store, () => counts.clear(), async () => undefined) };
    this.grants.grant('case', dir);
    return describe(this.current);
  }

  private inWorkspace(path: string): boolean {
    return dirname(resolve(path)) === this.workspace;
  }

  /** A case file as the start screen lists it, or null when it is not a regular file. */
  private caseEntry(path: string): CaseEntry | null {
    let info;
    try {
      info = statSync(path);
    } catch {
      return null;
    }
    if (!info.isFile()) return null;
    const file = basename(path);
    return {
      case_id: this.grants.grant('case', path),
      name: file.toLowerCase().endsWith(CASE_EXTENSION) ? file.slice(0, -CASE_EXTENSION.length) : file,
      location: dirname(path),
      modified: info.mtime.toISOString(),
      size: info.size,
    };
  }

  /**
   * The recent list as ids: cases in the workspace, and cases granted this session (named on the
   * command line, chosen in Electron's dialog). A path in recent.json outside both is not offered:
   * the renderer cannot be the one to say "open this path".
   */
  private openableRecent(): CaseEntry[] {
    return this.readRecent()
      .filter((p) => this.inWorkspace(p) || this.grants.idOf('case', p) !== null)
      .map((p) => this.caseEntry(p))
      .filter((e): e is CaseEntry => e !== null);
  }

  private recentFile(): string {
    return join(this.home, 'recent.json');
  }

  private readRecent(): string[] {
    try {
      const v: unknown = JSON.parse(readFileSync(this.recentFile(), 'utf8'));
      return Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string' && existsSync(p)) : [];
    } catch {
      return []; // no list yet, or an unreadable one: start afresh
    }
  }

  private remember(path: string): void {
    const list = [path, ...this.readRecent().filter((p) => p !== path)].slice(0, RECENT_KEPT);
    try {
      mkdirSync(this.home, { recursive: true });
      writeFileSync(this.recentFile(), `${JSON.stringify(list, null, 2)}\n`);
    } catch {
      // the recent list is a convenience: a read-only home must not stop a case from opening
    }
  }
}

async function describe(open: OpenCase): Promise<CaseInfo> {
  const info = await readCaseInfo(open.store);
  if (open.path === open.store.path) return open.store.readOnly ? { ...info, read_only: true } : info;
  return { ...info, path: open.path, name: basename(open.path), read_only: open.store.readOnly };
}

function readManifest(samplesDir: string): SampleEntry[] {
  const path = join(samplesDir, 'manifest.json');
  if (!existsSync(path)) throw new ApiError(`no sample captures at ${samplesDir} (manifest.json missing)`, 404);
  const v: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const captures = (v as { captures?: unknown }).captures;
  if (!Array.isArray(captures)) throw new ApiError(`${path} has no "captures" list`, 500);
  return captures.map((c: unknown) => {
    const entry = c as SampleEntry;
    if (typeof entry.file !== 'string' || /(^|[\\/])\.\.([\\/]|$)/.test(entry.file)) {
      throw new ApiError(`${path}: bad capture entry ${JSON.stringify(c)}`, 500);
    }
    return entry;
  });
}

/**
 * Imports every sample capture into a fresh case at `target`. Built under a temporary name and
 * renamed at the end, so a failure never leaves a half-built sample case to be reused later.
 */
export async function buildSampleCase(samplesDir: string, target: string): Promise<void> {
  const entries = readManifest(samplesDir);
  const building = `${target}.building`;
  rmSync(building, { force: true });
  rmSync(`${building}.wal`, { force: true });
  mkdirSync(dirname(target), { recursive: true });
  const store = await CaseStore.open(building, { create: true });
  try {
    for (const e of entries) {
      await importFile(store, join(samplesDir, e.file), { format: e.format, host: e.host, date: e.date });
    }
    await runTriage(store); // the sample shows findings like any imported case
  } catch (err) {
    store.close();
    rmSync(building, { force: true });
    rmSync(`${building}.wal`, { force: true });
    throw new ApiError(`the sample case could not be built: ${err instanceof Error ? err.message : String(err)}`, 500);
  }
  store.close();
  renameSync(building, target);
  if (existsSync(`${building}.wal`)) renameSync(`${building}.wal`, `${target}.wal`);
}
