// One connection to a case's DuckDB instance with the typed query helpers. The store has a main
// session for reads and small writes; a long write (an import) takes a session of its own so
// its open transaction never mixes with queries served meanwhile.
import type { DuckDBConnection, JS } from '@duckdb/node-api';
import { AuditGate, auditTimestamp, chainHash, insertAuditSql, readChainHead, type AuditEntry, type ChainHead } from './audit-chain.ts';
import { convertRow, type ColumnSpec, type RowOf } from './rows.ts';
import type { Sql } from './sql.ts';

/** What a query needs: a session or the store itself. */
export type RowReader = Pick<CaseSession, 'rows' | 'one'>;

export class CaseSession {
  private running = 0;
  private inTransaction = false;
  /** Held from this session's first audit entry in a transaction until the transaction ends. */
  private auditLease: { open: () => void; headBefore: ChainHead | undefined } | null = null;

  /** `gate` is shared by every session of one open case (see audit-chain.ts). */
  constructor(
    readonly conn: DuckDBConnection,
    private readonly gate: AuditGate = new AuditGate(),
  ) {}

  /** Statements started on this connection and not yet answered (they run one after another). */
  get busy(): number {
    return this.running;
  }

  /** Runs a statement for its effect. */
  async exec(q: Sql): Promise<void> {
    const { text, params } = q.render();
    this.running++;
    try {
      await this.conn.run(text, params);
    } finally {
      this.running--;
    }
  }

  /** Runs a query and converts each row by `spec`. */
  async rows<T extends Record<string, ColumnSpec>>(q: Sql, spec: T): Promise<RowOf<T>[]> {
    const { text, params } = q.render();
    this.running++;
    try {
      const reader = await this.conn.runAndReadAll(text, params);
      return reader.getRowObjectsJS().map((r) => convertRow(r, spec));
    } finally {
      this.running--;
    }
  }

  /**
   * Runs a query and returns its columns (one array of JS values per column, by name). For
   * answers of thousands of rows read column by column: no object per row, no JSON text.
   */
  async columns(q: Sql): Promise<Record<string, JS[]>> {
    const { text, params } = q.render();
    this.running++;
    try {
      const reader = await this.conn.runAndReadAll(text, params);
      return reader.getColumnsObjectJS();
    } finally {
      this.running--;
    }
  }

  async one<T extends Record<string, ColumnSpec>>(q: Sql, spec: T): Promise<RowOf<T> | undefined> {
    const rows = await this.rows(q, spec);
    return rows[0];
  }

  /** Runs `fn` inside one transaction; any throw rolls everything back. Not re-entrant. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.begin();
    try {
      const result = await fn();
      await this.commit();
      return result;
    } catch (err) {
      await this.rollback();
      throw err;
    }
  }

  /** Starts a transaction by hand (a caller that cannot wrap its work in `transaction`). */
  async begin(): Promise<void> {
    await this.conn.run('BEGIN TRANSACTION');
    this.inTransaction = true;
  }

  async commit(): Promise<void> {
    try {
      await this.conn.run('COMMIT');
    } catch (err) {
      this.endTransaction(false);
      throw err;
    }
    this.endTransaction(true);
  }

  /** Rolls back; never throws (the transaction may already be gone). */
  async rollback(): Promise<void> {
    await this.conn.run('ROLLBACK').catch(() => undefined);
    this.endTransaction(false);
  }

  private endTransaction(committed: boolean): void {
    this.inTransaction = false;
    const lease = this.auditLease;
    if (!lease) return;
    this.auditLease = null;
    if (!committed) this.gate.head = lease.headBefore;
    lease.open();
  }

  /** Appends one entry to the case's hash-chained audit log (audit-chain.ts). */
  async audit(action: string, detail: unknown): Promise<void> {
    const held = this.auditLease;
    const open = held ? held.open : await this.gate.acquire();
    const headBefore = this.gate.head;
    try {
      const head = headBefore ?? (await readChainHead(this));
      const entry: AuditEntry = { seq: head.seq + 1, logged_at: auditTimestamp(new Date()), action, detail: JSON.stringify(detail) ?? null };
      const hash = chainHash(head.hash, entry);
      await this.exec(insertAuditSql(entry, head.hash, hash));
      this.gate.head = { seq: entry.seq, hash };
    } catch (err) {
      if (!held) {
        this.gate.head = headBefore;
        open();
      }
      throw err;
    }
    if (held) return;
    if (this.inTransaction) this.auditLease = { open, headBefore };
    else open();
  }

  close(): void {
    this.conn.closeSync();
  }
}
