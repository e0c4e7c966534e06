// One connection to a case's DuckDB instance with the typed query helpers. The store has a main
// session for reads and small writes; a long write (an import) takes a session of its own so
// its open transaction never mixes with queries served meanwhile.
import type { DuckDBConnection } from '@duckdb/node-api';
import { convertRow, type ColumnSpec, type RowOf } from './rows.ts';
import { sql, type Sql } from './sql.ts';

/** What a query needs: a session or the store itself. */
export type RowReader = Pick<CaseSession, 'rows' | 'one'>;

export class CaseSession {
  private running = 0;

  constructor(readonly conn: DuckDBConnection) {}

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

  async one<T extends Record<string, ColumnSpec>>(q: Sql, spec: T): Promise<RowOf<T> | undefined> {
    const rows = await this.rows(q, spec);
    return rows[0];
  }

  /** Runs `fn` inside one transaction; any throw rolls everything back. Not re-entrant. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const result = await fn();
      await this.conn.run('COMMIT');
      return result;
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  async audit(action: string, detail: unknown): Promise<void> {
    await this.exec(sql`INSERT INTO audit_log VALUES (now()::TIMESTAMP, ${action}, ${JSON.stringify(detail)})`);
  }

  close(): void {
    this.conn.closeSync();
  }
}
