// One DuckDB instance per case file. Opens (creating when asked), applies migrations, and offers
// typed queries built with the `sql` tag. Everything that reads or writes a case goes through here.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync } from 'node:fs';
import { AuditGate, readChainHead } from './audit-chain.ts';
import { MIGRATIONS, LATEST_SCHEMA_VERSION } from './migrations.ts';
import { CaseSession } from './case-session.ts';
import type { ColumnSpec, RowOf } from './rows.ts';
import { sql, type Sql } from './sql.ts';
import { WriteGate } from './write-gate.ts';
import { EVENT_ID_INDEX } from './event-id-index.ts';
import { vouchForViews } from './program-views.ts';
import { testPhase } from './test-hooks.ts';
import { deleteOrphans, findOrphans, hideOrphansSql, type OrphanRows } from './orphans.ts';

export interface OpenOptions {
  /** Create the file when missing (default true for writable opens). */
  create?: boolean;
  readOnly?: boolean;
  /** DuckDB memory_limit, e.g. "2GB". Set explicitly so a big import cannot take the machine. */
  memoryLimit?: string;
  threads?: number;
  /**
   * Folders SQL may read although external access is off (a Parquet dataset opened as a case:
   * parquet-case.ts). Everything else stays refused.
   */
  allowedDirectories?: string[];
}

/** A write asked of a case opened read-only (a snapshot, a Parquet dataset). */
export class ReadOnlyCaseError extends Error {
  constructor(path: string) {
    super(`the case ${path} is open read-only (a Parquet dataset or a snapshot): it cannot be changed here`);
    this.name = 'ReadOnlyCaseError';
  }
}

export class CaseLockedError extends Error {
  constructor(path: string, detail: string) {
    super(`case is open in another window/process: ${path}${detail ? ` (${detail})` : ''}`);
    this.name = 'CaseLockedError';
  }
}

export class CaseNotFoundError extends Error {
  constructor(path: string) {
    super(`no case file at ${path}`);
    this.name = 'CaseNotFoundError';
  }
}

export class CaseVersionError extends Error {}

/** A DuckDB file that some other program made: opening it as a case would add our tables to it. */
export class ForeignDatabaseError extends Error {
  constructor(path: string, relations: string[]) {
    const shown = relations.slice(0, 5).join(', ') + (relations.length > 5 ? `, … (${relations.length} in all)` : '');
    super(`${path} is a DuckDB database but not a Tracebench case (it has ${shown} and no schema_migrations); it was left unchanged`);
    this.name = 'ForeignDatabaseError';
  }
}

const DEFAULT_MEMORY_LIMIT = '4GB';

/**
 * DuckDB's WAL size past which a commit checkpoints instead of writing the WAL (its default).
 * An import's commit lowers it to zero for that one commit: see commitThroughCheckpoint.
 */
const CHECKPOINT_THRESHOLD = '16MiB';

/**
 * Extra connections for the UI's reads, so start-up queries run side by side and a timeline
 * request is not queued behind a table page (whose count and rows take two at once).
 */
const READ_CONNECTIONS = 2;

export class CaseStore {
  private readonly main: CaseSession;
  private readonly readers: CaseSession[] = [];
  private nextReader = 0;
  private readonly writeGate = new WriteGate();
  /**
   * Set inside a transaction's own async flow only. A flag on the store made a concurrent caller
   * (a pin while triage saved) take the nested path: its BEGIN failed inside the open transaction
   * and its ROLLBACK ended that transaction.
   */
  private readonly transactionFlow = new AsyncLocalStorage<true>();
  /** Statements run on every connection of this store (temporary views hiding orphan rows). */
  private connectionSetup: string[] = [];
  /**
   * Rows of writes that never committed, found when the case was opened: removed (writable
   * open, recorded in audit_log as `recover-orphans`) or hidden from every query (read-only).
   */
  orphansAtOpen: (OrphanRows & { removed: boolean }) | null = null;
  /** Shared by every session of this case, so audit entries of all connections form one chain. */
  private readonly auditGate = new AuditGate();

  private constructor(
    readonly path: string,
    readonly readOnly: boolean,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {
    this.main = new CaseSession(conn, this.auditGate);
  }

  /**
   * A connection for a read that needs no transaction or temporary table of the main
   * connection (timeline, table pages, surrounding events): they see committed data only, and
   * several run at once instead of queueing on one connection.
   */
  get read(): CaseSession {
    if (this.readers.length === 0) return this.main;
    // The least busy connection, starting the search after the last one chosen.
    let best: CaseSession | undefined;
    for (let k = 1; k <= this.readers.length; k++) {
      const i = (this.nextReader + k) % this.readers.length;
      const candidate = this.readers[i];
      if (candidate && (!best || candidate.busy < best.busy)) {
        best = candidate;
        this.nextReader = i;
      }
    }
    return best ?? this.main;
  }

  /** Views the program made that the query console may read although their SQL names a file reader (program-views.ts). */
  readonly vouchedViews = new Set<string>();
  /** Imports whose transaction is open (event-id-index.ts: the index is not made meanwhile). */
  importsOpen = 0;

  /** A separate connection on the same instance, for a long write such as an import. */
  async openSession(): Promise<CaseSession> {
    const conn = await this.instance.connect();
    vouchForViews(conn, this.vouchedViews);
    for (const statement of this.connectionSetup) await conn.run(statement);
    return new CaseSession(conn, this.auditGate);
  }

  static async open(path: string, options: OpenOptions = {}): Promise<CaseStore> {
    const readOnly = options.readOnly ?? false;
    const create = options.create ?? !readOnly;
    if (!existsSync(path) && !create) throw new CaseNotFoundError(path);
    const config: Record<string, string> = {
      // DuckDB lets SQL read its temp folder even with external access off, and by default that
      // folder is <case>.tmp beside the case: a symlink of that name to /etc let a read-only
      // query read /etc/passwd. Read-only opens only run queries, so they spill nowhere instead
      // (a query bigger than the memory limit fails with DuckDB's out-of-memory message). Set
      // before enable_external_access, which forbids changing it afterwards.
      ...(readOnly ? { temp_directory: '' } : {}),
      memory_limit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
      threads: String(options.threads ?? 2),
      // Write each full row group (122,880 rows) during an import instead of buffering five:
      // DuckDB then compresses while the parser still runs, not all at COMMIT (measured: the
      // commit of a 317k-row Procmon import 0.8 s → 0.3 s, a 1.5M-call strace import 11 % faster).
      write_buffer_row_group_count: '1',
      checkpoint_threshold: CHECKPOINT_THRESHOLD,
      access_mode: readOnly ? 'READ_ONLY' : 'READ_WRITE',
      // A case never needs to read other files through SQL; analysts' queries must not either.
      // With allowed folders, it is switched off right after they are set (below).
      ...(options.allowedDirectories ? {} : { enable_external_access: 'false' }),
    };
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (err) {
      throw translateOpenError(path, err);
    }
    const conn = await instance.connect();
    if (options.allowedDirectories) {
      // Global settings: set on the first connection, before any other exists or any query runs.
      const list = options.allowedDirectories.map((d) => `'${d.replace(/'/g, "''")}'`).join(', ');
      await conn.run(`SET allowed_directories = [${list}]`);
      await conn.run('SET enable_external_access = false');
    }
    const store = new CaseStore(path, readOnly, instance, conn);
    for (let i = 0; i < READ_CONNECTIONS; i++) store.readers.push(new CaseSession(await instance.connect()));
    try {
      await store.migrate();
      // The chain's head, read once while nothing else runs; writers keep it current from here on.
      if (!readOnly) store.auditGate.head = await readChainHead(store.main);
      await store.dealWithOrphans();
    } catch (err) {
      store.close();
      throw err;
    }
    return store;
  }

  /** Applies the migrations this file has not seen yet. Read-only opens only check. */
  private async migrate(): Promise<void> {
    await this.refuseForeignDatabase();
    await this.conn.run(
      this.readOnly
        ? 'SELECT 1'
        : 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)',
    );
    const applied = new Set(
      (await this.rowsOrEmpty(sql`SELECT version FROM schema_migrations`, { version: 'num' })).map((r) => r.version),
    );
    const newest = Math.max(0, ...applied);
    if (newest > LATEST_SCHEMA_VERSION) {
      throw new CaseVersionError(
        `case file ${this.path} was written by a newer Tracebench (schema ${newest}, this one knows ${LATEST_SCHEMA_VERSION})`,
      );
    }
    const missing = MIGRATIONS.filter((m) => !applied.has(m.version));
    if (missing.length === 0) return;
    if (this.readOnly) {
      throw new CaseVersionError(
        `case file ${this.path} needs upgrading (schema ${newest} → ${LATEST_SCHEMA_VERSION}); open it once without read-only`,
      );
    }
    // DuckDB refuses to alter a table that has an index: the background builder makes it again.
    await this.conn.run(`DROP INDEX IF EXISTS ${EVENT_ID_INDEX}`);
    for (const m of missing) {
      await this.transaction(async () => {
        for (const stmt of m.statements) await this.conn.run(stmt);
        await m.after?.(this.main);
        await this.exec(sql`INSERT INTO schema_migrations VALUES (${m.version}, ${m.name}, now()::TIMESTAMP)`);
      });
    }
  }

  /**
   * A case always has schema_migrations (migration 1 and the table are written together); a file
   * with tables or views but without it belongs to another program and must not be changed. An
   * empty file (or a brand-new one) becomes a case.
   */
  private async refuseForeignDatabase(): Promise<void> {
    const relations = await this.rows(
      sql`SELECT table_name AS name FROM duckdb_tables() WHERE database_name = current_database()
          UNION ALL
          SELECT view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal
          ORDER BY name`,
      { name: 'str' },
    );
    const names = relations.map((r) => r.name);
    if (names.length > 0 && !names.includes('schema_migrations')) throw new ForeignDatabaseError(this.path, names);
  }

  /**
   * Rows of a write that never committed (DuckDB's WAL replay can bring back an import's row
   * groups without its capture: orphans.ts). A writable open deletes them and says so in the
   * case history; a read-only open hides them from every connection and reports them.
   */
  private async dealWithOrphans(): Promise<void> {
    const orphans = await findOrphans(this.main);
    if (orphans.total === 0) return;
    if (this.readOnly) {
      const db = await this.main.one(sql`SELECT current_database() AS name`, { name: 'str' });
      this.connectionSetup = hideOrphansSql(db?.name ?? 'main');
      for (const session of [this.main, ...this.readers]) {
        for (const statement of this.connectionSetup) await session.conn.run(statement);
      }
      this.orphansAtOpen = { ...orphans, removed: false };
      return;
    }
    await this.transaction(async () => {
      await deleteOrphans(this.main);
      await this.main.audit('recover-orphans', {
        reason: 'rows of an import that never committed (restored by WAL replay after a crash)',
        capture_ids: orphans.captureIds,
        rows: orphans.rows,
      });
    });
    this.orphansAtOpen = { ...orphans, removed: true };
  }

  /**
   * Commits an import's transaction through a checkpoint instead of the WAL. DuckDB writes the
   * row groups of a large append to the case file before COMMIT and, when it commits through the
   * WAL, logs pointers to them (ROW_GROUP_DATA) ahead of the commit marker; a crash before the
   * marker leaves a WAL whose replay merges those row groups into the table outside any
   * transaction (DuckDB 1.5.6), so the events come back without their capture. A commit that
   * checkpoints writes no WAL entries: the new state exists only once the checkpoint swaps the
   * file header, so a crash at any moment leaves the case as it was or with the whole capture.
   * DuckDB checkpoints at commit when the WAL would pass checkpoint_threshold (lowered to zero
   * here) and no other write transaction is open (the write gate keeps ours out).
   */
  async commitThroughCheckpoint(session: CaseSession): Promise<void> {
    await this.writeGate.hold(async () => {
      await session.conn.run("SET checkpoint_threshold = '0b'");
      try {
        await session.commit();
      } finally {
        await session.conn.run(`SET checkpoint_threshold = '${CHECKPOINT_THRESHOLD}'`);
      }
    });
  }

  private async rowsOrEmpty<T extends Record<string, ColumnSpec>>(q: Sql, spec: T): Promise<RowOf<T>[]> {
    try {
      return await this.rows(q, spec);
    } catch {
      return []; // a brand-new read-only file has no migrations table yet
    }
  }

  async schemaVersion(): Promise<number> {
    const [row] = await this.rows(sql`SELECT coalesce(max(version), 0) AS v FROM schema_migrations`, { v: 'num' });
    return row?.v ?? 0;
  }

  /** Runs a statement for its effect. */
  exec(q: Sql): Promise<void> {
    return this.main.exec(q);
  }

  /** Runs a query and converts each row by `spec`. */
  rows<T extends Record<string, ColumnSpec>>(q: Sql, spec: T): Promise<RowOf<T>[]> {
    return this.main.rows(q, spec);
  }

  one<T extends Record<string, ColumnSpec>>(q: Sql, spec: T): Promise<RowOf<T> | undefined> {
    return this.main.one(q, spec);
  }

  /** Runs `fn` inside one transaction on the main connection; any throw rolls it back. */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.readOnly) return Promise.reject(new ReadOnlyCaseError(this.path));
    // A nested call goes straight to the session, which refuses it as before, instead of
    // waiting on the gate its own caller holds.
    if (this.transactionFlow.getStore()) return this.main.transaction(fn);
    return this.writeGate.hold(() =>
      this.transactionFlow.run(true, () =>
        this.main.transaction(async () => {
          testPhase('txn:begin');
          const result = await fn();
          testPhase('txn:before-commit');
          return result;
        }),
      ),
    );
  }

  /**
   * Runs `fn` holding the write gate: no other write of this store's (transaction, import commit)
   * runs meanwhile. For a background write on a session of its own (openSession), which must not
   * share the main connection: a transaction open there would take in the single statements other
   * code runs on it (a pin), and one failure would abort them all.
   */
  async exclusively<T>(fn: () => Promise<T>): Promise<T> {
    return this.writeGate.hold(fn);
  }

  /** The raw connection, for the capture writer's appenders and the read-only query command. */
  connection(): DuckDBConnection {
    return this.conn;
  }

  audit(action: string, detail: unknown): Promise<void> {
    return this.main.audit(action, detail);
  }

  close(): void {
    for (const r of this.readers) r.close();
    this.conn.closeSync();
    this.instance.closeSync();
  }
}

function translateOpenError(path: string, err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  if (/Could not set lock|Conflicting lock/i.test(message)) {
    const pid = /PID (\d+)/.exec(message)?.[1];
    return new CaseLockedError(path, pid ? `held by process ${pid}` : '');
  }
  if (/not a valid DuckDB database|database file .* is not/i.test(message)) {
    return new Error(`${path} is not a Tracebench case file (${message.split('\n')[0]})`);
  }
  return err instanceof Error ? err : new Error(message);
}
