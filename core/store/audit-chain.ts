// The audit log as a hash chain. Entry n stores entry_hash = SHA-256(prev_hash + "\n" +
// canonical(n)), where prev_hash is entry n-1's entry_hash (GENESIS for the first) and
// canonical(n) is the JSON array [seq, logged_at, action, detail] with logged_at written as
// YYYY-MM-DDTHH:MM:SS.ffffffZ (what strftime '%Y-%m-%dT%H:%M:%S.%fZ' gives). Editing, deleting
// or reordering any entry breaks every link after it; `verifyAuditChain` names the first one.
//
// Only one process can have a case open (DuckDB's lock), but inside it several connections write:
// the import's own session and the main one. `AuditGate` serialises them: the head of the chain
// lives in memory, a writer holds the gate from its first audit entry until its transaction ends,
// and a rollback puts the head back. So a long import whose snapshot predates a later annotation
// still links to the true head.
import { createHash } from 'node:crypto';
import type { RowReader } from './case-session.ts';
import { sql, type Sql } from './sql.ts';

export const GENESIS_HASH = '0'.repeat(64);
const TS_FORMAT = '%Y-%m-%dT%H:%M:%S.%fZ';

export interface AuditEntry {
  seq: number;
  logged_at: string;
  action: string;
  detail: string | null;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

export function canonicalAuditEntry(e: AuditEntry): string {
  return JSON.stringify([e.seq, e.logged_at, e.action, e.detail]);
}

export function chainHash(prevHash: string, e: AuditEntry): string {
  return createHash('sha256').update(`${prevHash}\n${canonicalAuditEntry(e)}`, 'utf8').digest('hex');
}

/** A JS time as the audit log's canonical text (microseconds, so it matches what DuckDB gives back). */
export function auditTimestamp(d: Date): string {
  return d.toISOString().replace(/Z$/, '000Z');
}

export function insertAuditSql(e: AuditEntry, prevHash: string, hash: string): Sql {
  return sql`INSERT INTO audit_log (logged_at, action, detail, seq, prev_hash, entry_hash)
    VALUES (strptime(${e.logged_at}, ${TS_FORMAT}), ${e.action}, ${e.detail}, ${e.seq}, ${prevHash}, ${hash})`;
}

export async function readChainHead(reader: RowReader): Promise<ChainHead> {
  const row = await reader.one(
    sql`SELECT seq, entry_hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`,
    { seq: 'num', entry_hash: 'str' },
  );
  return row ? { seq: row.seq, hash: row.entry_hash } : { seq: 0, hash: GENESIS_HASH };
}

/** Serialises audit writes of one open case and keeps the chain's head (see the file comment). */
export class AuditGate {
  private tail: Promise<void> = Promise.resolve();
  head: ChainHead | undefined;

  /** Waits for the gate; the returned function opens it again. */
  async acquire(): Promise<() => void> {
    let open!: () => void;
    const before = this.tail;
    this.tail = new Promise<void>((resolve) => (open = resolve));
    await before;
    return open;
  }
}

type Exec = { exec(q: Sql): Promise<void>; rows: RowReader['rows']; one: RowReader['one'] };

/**
 * Migration 11: gives the entries written before the chain existed their place in it, in the
 * order they were logged, and records that it did so (their content before this moment was not
 * protected, and the log says that plainly).
 */
export async function chainExistingAuditEntries(db: Exec): Promise<void> {
  const rows = await db.rows(
    sql`SELECT rowid AS rid, strftime(logged_at, ${TS_FORMAT}) AS logged_at, action, detail FROM audit_log
        ORDER BY logged_at, rowid`,
    { rid: 'num', logged_at: 'str', action: 'str', detail: 'str?' },
  );
  if (rows.length === 0) return;
  let prev = GENESIS_HASH;
  let seq = 0;
  for (const r of rows) {
    seq++;
    const hash = chainHash(prev, { seq, logged_at: r.logged_at, action: r.action, detail: r.detail });
    await db.exec(sql`UPDATE audit_log SET seq = ${seq}, prev_hash = ${prev}, entry_hash = ${hash} WHERE rowid = ${r.rid}`);
    prev = hash;
  }
  const note = {
    chained: rows.length,
    note: `the ${rows.length} entries logged before schema 11 were chained at this upgrade, in the order they were logged; changes made to them before this moment cannot be detected`,
  };
  const entry: AuditEntry = { seq: seq + 1, logged_at: auditTimestamp(new Date()), action: 'audit-chain', detail: JSON.stringify(note) };
  await db.exec(insertAuditSql(entry, prev, chainHash(prev, entry)));
}

export interface ChainProblem {
  seq: number | null;
  problem: string;
}

export interface ChainVerdict {
  entries: number;
  head: ChainHead;
  problems: ChainProblem[];
}

/** Checks every link of the chain: sequence numbers, each prev_hash, each recomputed entry_hash. */
export async function verifyAuditChain(reader: RowReader): Promise<ChainVerdict> {
  const rows = await reader.rows(
    sql`SELECT seq, strftime(logged_at, ${TS_FORMAT}) AS logged_at, action, detail, prev_hash, entry_hash
        FROM audit_log ORDER BY seq NULLS FIRST, logged_at`,
    { seq: 'num?', logged_at: 'str', action: 'str', detail: 'str?', prev_hash: 'str?', entry_hash: 'str?' },
  );
  const problems: ChainProblem[] = [];
  let prev = GENESIS_HASH;
  let expected = 1;
  for (const r of rows) {
    if (r.seq === null) {
      problems.push({ seq: null, problem: `entry "${r.action}" logged at ${r.logged_at} is outside the chain (no sequence number)` });
      continue;
    }
    if (r.seq !== expected) {
      problems.push({ seq: r.seq, problem: r.seq < expected ? `sequence number ${r.seq} appears twice` : `entries ${expected}…${r.seq - 1} are missing` });
    }
    if (r.prev_hash !== prev) problems.push({ seq: r.seq, problem: `entry ${r.seq} does not link to the entry before it` });
    const recomputed = chainHash(r.prev_hash ?? '', { seq: r.seq, logged_at: r.logged_at, action: r.action, detail: r.detail });
    if (r.entry_hash !== recomputed) problems.push({ seq: r.seq, problem: `entry ${r.seq} ("${r.action}", ${r.logged_at}) was changed after it was logged` });
    prev = r.entry_hash ?? '';
    expected = r.seq + 1;
  }
  const chained = rows.filter((r) => r.seq !== null);
  const last = chained[chained.length - 1];
  return { entries: rows.length, head: last ? { seq: last.seq ?? 0, hash: last.entry_hash ?? '' } : { seq: 0, hash: GENESIS_HASH }, problems };
}
