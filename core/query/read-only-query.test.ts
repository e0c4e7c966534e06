// The query console as an allow-list: a corpus of escape attempts, each refused with a message
// naming what was refused, and the queries analysts really write, each answered.
import { DuckDBInstance } from '@duckdb/node-api';
import { copyFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCapture } from '../api/testing-case.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { QueryRefusedError, runReadOnlyQuery } from './read-only-query.ts';
import { allowedFunctions, isDeniedFunction } from './sql-allow-list.ts';

const dir = tempDir();
const casePath = dir.file('case.duckdb');
const secret = dir.file('secret.txt');
let writable: CaseStore;
let readOnly: CaseStore;

beforeAll(async () => {
  writeFileSync(secret, 'operator password: hunter2\n');
  writable = await CaseStore.open(casePath);
  await addCapture(writable, 'strace.txt', [
    { ts_us: 1_000_000, pid: 10, op: 'execve', kind: 'api', category: 'process', target: '/usr/bin/hmi' },
    { ts_us: 2_000_000, pid: 10, op: 'openat', target: '/etc/plc/config.ini' },
    { ts_us: 61_000_000, pid: 10, op: 'openat', target: '/var/log/hmi.log', error: 'EACCES' },
    { ts_us: 62_000_000, pid: 20, op: 'openat', target: '/tmp/x.sh' },
    { ts_us: 63_000_000, pid: 20, op: 'execve', kind: 'api', category: 'process', target: '/bin/sh' },
  ]);
  await writable.exec(sql`INSERT INTO annotations (annotation_id, event_id, ts_from, ts_to, tag, note, author, created_at, updated_at) VALUES (1, 4, make_timestamp(62000000), make_timestamp(62000000), 'suspicious', 'dropper', 'ana', now()::TIMESTAMP, now()::TIMESTAMP)`);
  writable.close();
  // The case folder holds a <case>.tmp symlink out of the case, as an attacker could leave it.
  symlinkSync(dir.path, `${casePath}.tmp`);
  readOnly = await CaseStore.open(casePath, { readOnly: true, create: false });
});
afterAll(() => {
  readOnly.close();
  dir.remove();
});

/** Each escape attempt and what the refusal must name. */
const ESCAPES: [sql: string, names: RegExp][] = [
  ['SELECT * FROM checkpoint()', /table function checkpoint\(\)/],
  ['SELECT * FROM force_checkpoint()', /force_checkpoint\(\)/],
  ['CHECKPOINT', /CHECKPOINT refused/],
  ['CALL checkpoint()', /CALL refused/],
  ['SELECT * FROM duckdb_secrets()', /duckdb_secrets\(\)/],
  ['SELECT * FROM duckdb_extensions()', /duckdb_extensions\(\)/],
  ['SELECT * FROM pragma_database_list()', /pragma_database_list\(\)/],
  ['SELECT * FROM system.main.duckdb_tables()', /duckdb_tables\(\)/],
  [`SELECT * FROM read_text('${casePath}')`, /read_text\(\)/],
  [`SELECT * FROM read_blob('${casePath}.wal')`, /read_blob\(\)/],
  [`SELECT * FROM read_text('${casePath}.tmp/secret.txt')`, /read_text\(\)/],
  ["SELECT * FROM read_csv('/etc/passwd')", /read_csv\(\)/],
  ["FROM read_csv_auto('/etc/passwd') SELECT *", /read_csv_auto\(\)/],
  ["SELECT * FROM glob('/etc/*')", /glob\(\)/],
  ["SELECT * FROM parquet_scan('x.parquet')", /parquet_scan\(\)/],
  // Replacement scans: a file name where a table name goes.
  ["SELECT * FROM '/etc/passwd'", /"\/etc\/passwd" is not a table of this case \(reading files is refused\)/],
  ['SELECT * FROM "/etc/passwd"', /"\/etc\/passwd" is not a table/],
  [`FROM '${secret}'`, /is not a table of this case/],
  ["SELECT * FROM events, '/etc/passwd'", /"\/etc\/passwd" is not a table/],
  ["SELECT * FROM events WHERE target IN (FROM '/etc/passwd')", /"\/etc\/passwd" is not a table/],
  ['SELECT * FROM information_schema.tables', /"information_schema.tables" is not a table/],
  ['SELECT * FROM other.main.events', /"other.main.events" is not a table/],
  // CTEs: a CTE's name covers a file name only where the CTE is in scope.
  ["WITH x AS (SELECT * FROM read_text('/etc/passwd')) SELECT * FROM x", /read_text\(\)/],
  ['WITH a AS (SELECT * FROM "/etc/passwd"), "/etc/passwd" AS (SELECT 1) SELECT * FROM a', /"\/etc\/passwd" is not a table/],
  ['SELECT * FROM (WITH p AS (SELECT 1) SELECT * FROM p), p', /"p" is not a table/],
  ["WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n FROM read_text('/etc/passwd')) SELECT * FROM r", /read_text\(\)/],
  // Comments and quoting hide nothing from DuckDB's own parser.
  ["SELECT /* harmless */ * FROM read_text('/etc/passwd') -- comment", /read_text\(\)/],
  ["/* SELECT */ ATTACH '/tmp/other.duckdb' AS o", /ATTACH refused/],
  ["SELECT 1 --\n; SELECT * FROM read_text('/etc/passwd')", /exactly one statement \(got 2\)/],
  ['SELECT * FROM "READ_TEXT"(\'/etc/passwd\')', /read_text\(\)/i],
  ["SELECT \"GetEnv\"('HOME')", /function getenv\(\)/],
  // Unicode escapes: DuckDB does not take them (so nothing can be spelt with them).
  ['SELECT * FROM U&"\\0072ead_text"(\'/etc/passwd\')', /does not parse/],
  ["SELECT U&'\\0041'", /does not parse/],
  // Several statements, however joined.
  ['SELECT 1; SELECT 2', /exactly one statement \(got 2\)/],
  ['SELECT 1; DROP TABLE captures', /exactly one statement/],
  // EXPLAIN ANALYZE runs its statement.
  ["EXPLAIN ANALYZE COPY (SELECT 1) TO '/tmp/x.csv'", /EXPLAIN ANALYZE refused/],
  ['EXPLAIN ANALYZE SELECT * FROM checkpoint()', /EXPLAIN ANALYZE refused/],
  ['EXPLAIN SELECT 1', /EXPLAIN refused/],
  // SQL given as a string would skip every check.
  ["SELECT * FROM query('SELECT * FROM read_text(''/etc/passwd'')')", /table function query\(\)/],
  ["SELECT * FROM query_table('events')", /query_table\(\)/],
  ["SELECT json_serialize_plan('SELECT * FROM read_csv(''/etc/passwd'')')", /function json_serialize_plan\(\)/],
  // Settings, the environment, the catalog.
  ["SELECT getenv('HOME')", /function getenv\(\)/],
  ["SELECT current_setting('temp_directory')", /function current_setting\(\)/],
  ["SELECT getvariable('x')", /function getvariable\(\)/],
  ['SELECT current_database()', /function current_database\(\)/],
  ["SELECT nextval('seq')", /function nextval\(\)/],
  ['SELECT sleep_ms(100000)', /function sleep_ms\(\)/],
  ["SELECT write_log('x')", /function write_log\(\)/],
  ["SELECT pg_get_viewdef('events')", /function pg_get_viewdef\(\)/],
  ["SELECT system.main.upper('a')", /qualified function system.main.upper\(\)/],
  ['SHOW TABLES', /SHOW refused/],
  ['DESCRIBE', /DESCRIBE of the catalog/],
  ["DESCRIBE SELECT * FROM read_text('/etc/passwd')", /read_text\(\)/],
  ["SUMMARIZE SELECT * FROM '/etc/passwd'", /is not a table/],
  ['SELECT $1', /parameter expression/],
  // Expressions that hide a read deeper down.
  ["SELECT (SELECT content FROM read_text('/etc/passwd'))", /read_text\(\)/],
  ["SELECT list_transform([1], x -> (SELECT content FROM read_text('/etc/passwd')))", /read_text\(\)/],
  ["SELECT * FROM events UNION ALL SELECT * FROM read_text('/etc/passwd')", /read_text\(\)/],
  ["VALUES ((SELECT content FROM read_text('/etc/passwd')))", /read_text\(\)/],
  ["SELECT * FROM events JOIN read_csv('/etc/passwd') ON true", /read_csv\(\)/],
  // Statements that are not SELECTs.
  ['SET enable_external_access = true', /SET refused/],
  ["SET VARIABLE x = 'y'", /SET VARIABLE refused/],
  ['RESET temp_directory', /RESET refused/],
  ["ATTACH '/tmp/other.duckdb' AS other", /ATTACH refused/],
  ['DETACH other', /DETACH refused/],
  ["COPY events TO '/tmp/events.csv'", /COPY refused/],
  ["COPY (SELECT * FROM events) TO '/tmp/events.csv'", /COPY refused/],
  ["EXPORT DATABASE '/tmp/case-export'", /EXPORT DATABASE refused/],
  ["IMPORT DATABASE '/tmp/case-export'", /IMPORT DATABASE refused/],
  ['INSTALL httpfs', /INSTALL refused/],
  ['LOAD httpfs', /LOAD refused/],
  ['PRAGMA database_list', /PRAGMA refused/],
  ['CREATE MACRO m() AS 1', /CREATE MACRO refused|CREATE refused/],
  ['DELETE FROM annotations', /DELETE refused/],
  ["UPDATE annotations SET note = 'x'", /UPDATE refused/],
  ['DROP TABLE captures', /DROP TABLE refused/],
  ['WITH x AS (SELECT 1) INSERT INTO audit_log SELECT now(), \'x\', \'y\'', /refused/],
];

describe('the query console refuses escape attempts, naming what it refused', () => {
  it.each(ESCAPES)('%s', async (text, names) => {
    for (const store of [readOnly]) {
      const attempt = runReadOnlyQuery(store, text);
      await expect(attempt).rejects.toBeInstanceOf(QueryRefusedError);
      await expect(attempt).rejects.toThrow(names);
    }
  });

  it('refuses on a case the UI holds open for writing too, and the case is unchanged afterwards', async () => {
    readOnly.close();
    const store = await CaseStore.open(casePath);
    const snapshot = () =>
      store.one(sql`SELECT (SELECT count(*) FROM annotations) AS a, (SELECT count(*) FROM captures) AS c, (SELECT count(*) FROM audit_log) AS l, (SELECT count(*) FROM events) AS e`, {
        a: 'num',
        c: 'num',
        l: 'num',
        e: 'num',
      });
    try {
      const before = await snapshot();
      for (const [text] of ESCAPES) await expect(runReadOnlyQuery(store, text), text).rejects.toBeInstanceOf(QueryRefusedError);
      expect(await snapshot()).toEqual(before);
      expect(before).toMatchObject({ a: 1, c: 1, e: 5 });
    } finally {
      store.close();
      readOnly = await CaseStore.open(casePath, { readOnly: true, create: false });
    }
  });
});

describe('analysts’ queries are answered', () => {
  const rows = async (text: string) => (await runReadOnlyQuery(readOnly, text)).rows;

  it('window functions', async () => {
    expect(await rows('SELECT event_id, row_number() OVER (PARTITION BY pid ORDER BY ts) AS n, lag(op) OVER (PARTITION BY pid ORDER BY ts) AS prev FROM events ORDER BY event_id')).toEqual([
      [1, 1, null],
      [2, 2, 'execve'],
      [3, 3, 'openat'],
      [4, 1, null],
      [5, 2, 'openat'],
    ]);
  });

  it('PIVOT with its values listed', async () => {
    expect(await rows("PIVOT events ON op IN ('openat', 'execve') USING count(*) GROUP BY pid ORDER BY pid")).toEqual([
      [10, 2, 1],
      [20, 1, 1],
    ]);
    expect(await rows("SELECT * FROM (SELECT pid, op FROM events) PIVOT (count(*) FOR op IN ('execve')) ORDER BY pid")).toEqual([
      [10, 1],
      [20, 1],
    ]);
  });

  it('regexp, string and list functions', async () => {
    expect(await rows("SELECT regexp_extract(target, '/([^/]+)$', 1), upper(split_part(target, '/', 2)) FROM events WHERE regexp_matches(target, '^/(etc|tmp)/') ORDER BY event_id")).toEqual([
      ['config.ini', 'ETC'],
      ['x.sh', 'TMP'],
    ]);
    expect(await rows('SELECT list_sort(list(DISTINCT op)), list_contains(list(pid), 20), list_sum([1, 2, 3]), len(list_filter(list(target), t -> t LIKE \'/etc/%\')) FROM events')).toEqual([
      [['execve', 'openat'], true, 6, 1],
    ]);
    expect(await rows('SELECT unnest([event_id, pid]) FROM events WHERE event_id = 4')).toEqual([[4], [20]]);
  });

  it('date_trunc and GROUP BY … HAVING', async () => {
    expect(await rows("SELECT date_trunc('minute', ts) AS m, count(*) FROM events GROUP BY m HAVING count(*) > 1 ORDER BY m")).toEqual([
      ['1970-01-01T00:00:00.000000Z', 2],
      ['1970-01-01T00:01:00.000000Z', 3],
    ]);
  });

  it('CTEs (also recursive), set operations, subqueries, DESCRIBE and comments', async () => {
    expect(await rows("WITH opens AS (SELECT * FROM events WHERE op = 'openat'), failed AS (SELECT * FROM opens WHERE error IS NOT NULL) SELECT count(*), (SELECT target FROM failed) FROM opens")).toEqual([
      [3, '/var/log/hmi.log'],
    ]);
    expect(await rows('WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT list(n ORDER BY n) FROM r')).toEqual([[[1, 2, 3]]]);
    expect(await rows('SELECT pid FROM events WHERE pid = 10 UNION SELECT pid FROM events WHERE pid = 20 EXCEPT SELECT 10 ORDER BY 1')).toEqual([[20]]);
    expect(await rows("SELECT /* the dropper */ e.target FROM events e WHERE e.event_id IN (SELECT event_id FROM annotations WHERE tag = 'suspicious') -- annotated")).toEqual([['/tmp/x.sh']]);
    expect((await rows('DESCRIBE captures')).map((r) => r[0])).toEqual(expect.arrayContaining(['capture_id', 'sha256', 'file_name']));
  });

  it('every table and view of the case', async () => {
    for (const t of ['captures', 'events', 'rejects', 'annotations', 'audit_log', 'findings', 'lane_summary', 'capture_lanes', 'schema_migrations', 'main.events']) {
      await expect(runReadOnlyQuery(readOnly, `SELECT count(*) FROM ${t}`), t).resolves.toBeDefined();
    }
  });

  it('reports a mistake in an allowed query as DuckDB words it, not as a refusal', async () => {
    const attempt = runReadOnlyQuery(readOnly, 'SELECT no_such_column FROM events');
    await expect(attempt).rejects.toThrow(/no_such_column/);
    await expect(attempt).rejects.not.toBeInstanceOf(QueryRefusedError);
  });
});

describe('a crafted case file', () => {
  it('cannot smuggle a refused call in through a view or a macro of its own', async () => {
    const crafted = dir.file('crafted.duckdb');
    readOnly.close();
    copyFileSync(casePath, crafted);
    readOnly = await CaseStore.open(casePath, { readOnly: true, create: false });
    const instance = await DuckDBInstance.create(crafted);
    const conn = await instance.connect();
    await conn.run(`CREATE VIEW leak AS SELECT content FROM read_text('${secret}')`);
    await conn.run('CREATE VIEW opens AS SELECT op, target FROM events WHERE op = \'openat\'');
    await conn.run(`CREATE MACRO leak_macro() AS (SELECT content FROM read_text('${secret}'))`);
    await conn.run("CREATE MACRO setting() AS current_setting('threads')");
    conn.closeSync();
    instance.closeSync();
    const store = await CaseStore.open(crafted, { readOnly: true, create: false });
    try {
      await expect(runReadOnlyQuery(store, 'SELECT * FROM leak')).rejects.toThrow(/"leak" is not a table of this case/);
      await expect(runReadOnlyQuery(store, 'SELECT leak_macro()')).rejects.toThrow(/function leak_macro\(\)/);
      await expect(runReadOnlyQuery(store, 'SELECT setting()')).rejects.toThrow(/function setting\(\)/);
      expect((await runReadOnlyQuery(store, 'SELECT count(*) FROM opens')).rows).toEqual([[3]]);
    } finally {
      store.close();
    }
  });
});

describe('the function allow-list', () => {
  it('is generous for analysts and holds nothing from the deny-list', async () => {
    const allowed = await allowedFunctions(readOnly.connection());
    for (const f of ['regexp_extract', 'regexp_replace', 'date_trunc', 'strftime', 'row_number', 'lag', 'ntile', 'list_contains', 'list_transform', 'string_agg', 'median', 'json_extract', 'levenshtein', 'nullif', 'list_sum']) {
      expect(allowed.has(f), f).toBe(true);
    }
    for (const f of allowed) expect(isDeniedFunction(f), f).toBe(false);
    for (const f of ['read_text', 'read_csv', 'glob', 'checkpoint', 'force_checkpoint', 'duckdb_secrets', 'pragma_version', 'current_setting', 'getenv', 'query', 'query_table', 'range_scan', 'write_log']) {
      expect(allowed.has(f), f).toBe(false);
    }
  });
});
