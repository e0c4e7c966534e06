// The hash-chained audit log: every write links to the head, concurrent writers (an import's
// session and the main one) keep one chain, an edited, deleted or reordered row is named by
// verifyAuditChain, and migration 11 chains an older case's entries once, saying so in the log.
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp.ts';
import { GENESIS_HASH, verifyAuditChain } from './audit-chain.ts';
import { CaptureWriter } from './capture-writer.ts';
import { CaseStore } from './case-store.ts';
import { MIGRATIONS } from './migrations.ts';
import { sql } from './sql.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const meta = { fileName: 'a.log', filePath: null, format: 'jsonl', importerVersion: 'jsonl@1', host: 'h1', dateBasis: null, tz: 'UTC' };
const totals = { sha256: 'ab'.repeat(32), sizeBytes: 10, continuationLines: 0, skippedLines: 0, warnings: [] };

describe('audit chain', () => {
  it('links each entry to the one before and verifies untouched', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    await store.audit('one', { a: 1 });
    await store.audit('two', { b: 'x"y' });
    await store.transaction(() => store.audit('three', null));
    const rows = await store.rows(sql`SELECT seq, prev_hash, entry_hash FROM audit_log ORDER BY seq`, { seq: 'num', prev_hash: 'str', entry_hash: 'str' });
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows[0]?.prev_hash).toBe(GENESIS_HASH);
    expect(rows[1]?.prev_hash).toBe(rows[0]?.entry_hash);
    const verdict = await verifyAuditChain(store);
    expect(verdict.problems).toEqual([]);
    expect(verdict.head).toEqual({ seq: 3, hash: rows[2]?.entry_hash });
    store.close();
  });

  it('keeps one chain when an import commits after the main connection logged meanwhile', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    const writer = await CaptureWriter.begin(store, meta);
    writer.addEvent({ ts_us: 1_000_000, kind: 'log', op: 'x', category: 'log', source_line: 1 });
    await store.audit('before-import-commits', {});
    const importing = writer.commit(totals);
    const meanwhile = store.audit('while-importing', {});
    await Promise.all([importing, meanwhile]);
    await store.transaction(async () => {
      await store.audit('rolled-back', {});
      throw new Error('undo');
    }).catch(() => undefined);
    await store.audit('after', {});
    const actions = await store.rows(sql`SELECT action FROM audit_log ORDER BY seq`, { action: 'str' });
    // The import and the main connection's entry may land in either order; both are in one chain.
    const logged = actions.map((a) => a.action);
    expect(logged[0]).toBe('before-import-commits');
    expect(logged.slice(1, 3).sort()).toEqual(['import', 'while-importing']);
    expect(logged.slice(3)).toEqual(['after']);
    expect((await verifyAuditChain(store)).problems).toEqual([]);
    store.close();
  });

  it('names the entry that was edited, and notices a deleted one', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    for (const a of ['a', 'b', 'c', 'd']) await store.audit(a, { a });
    await store.exec(sql`UPDATE audit_log SET detail = '{"a":"B"}' WHERE seq = 2`);
    expect((await verifyAuditChain(store)).problems.map((p) => p.seq)).toEqual([2]);
    await store.exec(sql`UPDATE audit_log SET detail = '{"a":"b"}' WHERE seq = 2`);
    expect((await verifyAuditChain(store)).problems).toEqual([]);
    await store.exec(sql`DELETE FROM audit_log WHERE seq = 3`);
    const problems = (await verifyAuditChain(store)).problems;
    expect(problems.some((p) => p.seq === 4 && /missing/.test(p.problem))).toBe(true);
    expect(problems.some((p) => p.seq === 4 && /does not link/.test(p.problem))).toBe(true);
    store.close();
  });

  it('migration 11 chains an older case\'s entries in logged order and says so', async () => {
    const path = dir.file('old.duckdb');
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    await conn.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)');
    for (const m of MIGRATIONS.filter((x) => x.version < 11)) {
      for (const statement of m.statements) await conn.run(statement);
      await conn.run(`INSERT INTO schema_migrations VALUES (${m.version}, 'v${m.version}', now()::TIMESTAMP)`);
    }
    await conn.run(`INSERT INTO audit_log VALUES ('2026-01-02 00:00:00', 'second', '{}'), ('2026-01-01 00:00:00', 'first', '{"x":1}')`);
    conn.closeSync();
    instance.closeSync();

    const store = await CaseStore.open(path);
    const rows = await store.rows(sql`SELECT seq, action, detail FROM audit_log ORDER BY seq`, { seq: 'num', action: 'str', detail: 'str' });
    expect(rows.map((r) => [r.seq, r.action])).toEqual([[1, 'first'], [2, 'second'], [3, 'audit-chain']]);
    expect(rows[2]?.detail).toMatch(/"chained":2/);
    await store.audit('new', {});
    expect((await verifyAuditChain(store)).problems).toEqual([]);
    store.close();
  });
});
