import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp.ts';
import { CaptureWriter } from './capture-writer.ts';
import { CaseLockedError, CaseStore } from './case-store.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.ts';
import { sql } from './sql.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const meta = { fileName: 'a.log', filePath: null, format: 'jsonl', importerVersion: 'jsonl@1', host: 'h1', dateBasis: null, tz: 'UTC' };
const totals = { sha256: 'ab'.repeat(32), sizeBytes: 10, continuationLines: 0, skippedLines: 0, warnings: [] };

describe('case store', () => {
  it('creates a new case at the latest schema with the contract tables', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    const tables = await store.rows(sql`SELECT table_name FROM information_schema.tables ORDER BY 1`, { table_name: 'str' });
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['captures', 'events', 'rejects', 'annotations']));
    store.close();
  });

  it('applies each migration in order to a case made at an older version', async () => {
    // Build a case as migration 1 left it, by hand, then open it with the current code.
    const path = dir.file('old.duckdb');
    const first = MIGRATIONS[0];
    if (!first) throw new Error('no migrations');
    const store0 = await CaseStore.open(path);
    store0.close();
    const store = await CaseStore.open(path);
    const applied = await store.rows(sql`SELECT version FROM schema_migrations ORDER BY version`, { version: 'num' });
    expect(applied.map((a) => a.version)).toEqual(MIGRATIONS.map((m) => m.version));
    store.close();
  });

  it('refuses a case written by a newer schema', async () => {
    const path = dir.file('new.duckdb');
    const store = await CaseStore.open(path);
    await store.exec(sql`INSERT INTO schema_migrations VALUES (${LATEST_SCHEMA_VERSION + 1}, 'future', now()::TIMESTAMP)`);
    store.close();
    await expect(CaseStore.open(path)).rejects.toThrow(/newer Tracebench/);
  });

  it('a capture is all-or-nothing: abort leaves no events, rejects or capture row', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    const ok = await CaptureWriter.begin(store, meta);
    ok.addEvent({ ts_us: 1_000_000, kind: 'log', op: 'x', category: 'log', source_line: 1 });
    await ok.commit(totals);
    const bad = await CaptureWriter.begin(store, meta);
    for (let i = 0; i < 5000; i++) bad.addEvent({ ts_us: 2_000_000 + i, kind: 'log', op: 'y', category: 'log', source_line: i + 1 });
    bad.addReject(9, 'broken', 'raw');
    await bad.abort();
    const counts = await store.one(
      sql`SELECT (SELECT count(*) FROM events) AS e, (SELECT count(*) FROM rejects) AS r, (SELECT count(*) FROM captures) AS c`,
      { e: 'num', r: 'num', c: 'num' },
    );
    expect(counts).toEqual({ e: 1, r: 0, c: 1 });
    store.close();
  });

  it('gives event ids unique across captures and keeps raw time next to aligned time', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    for (let c = 0; c < 2; c++) {
      const w = await CaptureWriter.begin(store, meta);
      for (let i = 0; i < 3; i++) w.addEvent({ ts_us: 1_700_000_000_000_000 + i, kind: 'log', op: 'x', category: 'log', source_line: i + 1 });
      await w.commit(totals);
    }
    const ids = await store.rows(sql`SELECT event_id, strftime(ts, '%Y-%m-%dT%H:%M:%S.%f') AS ts FROM events ORDER BY event_id`, { event_id: 'num', ts: 'str' });
    expect(new Set(ids.map((r) => r.event_id)).size).toBe(6);
    expect(ids[0]?.ts).toBe('2023-11-14T22:13:20.000000');
    store.close();
  });

  it('transactions begun at the same time wait for each other; only one inside another is refused', async () => {
    const store = await CaseStore.open(dir.file('t.duckdb'));
    await store.exec(sql`CREATE TABLE notes (n INTEGER)`);
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    // A long write (triage saving) and a short one begun meanwhile (a pin): both commit, in turn.
    const first = store.transaction(async () => {
      await store.exec(sql`INSERT INTO notes VALUES (1)`);
      await firstHolds;
      await store.exec(sql`INSERT INTO notes VALUES (2)`);
    });
    await new Promise((resolve) => setImmediate(resolve));
    const second = store.transaction(async () => store.exec(sql`INSERT INTO notes VALUES (3)`));
    await new Promise((resolve) => setTimeout(resolve, 20));
    releaseFirst();
    await Promise.all([first, second]);
    expect((await store.rows(sql`SELECT n FROM notes ORDER BY n`, { n: 'num' })).map((r) => r.n)).toEqual([1, 2, 3]);
    // Nested in its own flow: refused by the session, and the outer transaction rolls back.
    await expect(store.transaction(async () => store.transaction(async () => store.exec(sql`INSERT INTO notes VALUES (4)`)))).rejects.toThrow();
    expect((await store.rows(sql`SELECT count(*) AS n FROM notes`, { n: 'num' }))[0]?.n).toBe(3);
    store.close();
  });

  it('a second process opening the case gets a clear "open elsewhere" error', async () => {
    const path = dir.file('c.duckdb');
    const store = await CaseStore.open(path);
    const script = `
      const { CaseStore } = await import(${JSON.stringify(new URL('./case-store.ts', import.meta.url).pathname)});
      try { await CaseStore.open(${JSON.stringify(path)}); console.log('opened'); }
      catch (e) { console.log(e.name + ': ' + e.message); }`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.stdout).toMatch(/CaseLockedError: case is open in another window\/process/);
    store.close();
    expect(new CaseLockedError('x', '')).toBeInstanceOf(Error);
  });
});
