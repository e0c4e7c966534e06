import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { MIGRATIONS } from '../store/migrations.ts';
import { sql } from '../store/sql.ts';
import { corpusCapture, describeCorpus } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { listFindings, runTriage } from './findings.ts';
import { loadRules, SHIPPED_RULES_DIR } from './rules-load.ts';
import { parseRuleFile } from './sigma/parse.ts';
import { addCapture, call, serviceShellsOut } from './testing/build-case.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

/** A long-lived service (pid 100) that shells out once benignly and once with an injected chain. */
function serviceScenario() {
  return [
    call(0, 100, 'execve', '/usr/bin/python3', '"/usr/bin/python3", ["python3", "/opt/app/svc.py"]'),
    call(1, 100, 'connect', '10.0.0.5:502', ''),
    call(5, 100, 'clone', null, 'flags=SIGCHLD', { ret: '101' }),
    call(5.1, 101, 'execve', '/bin/sh', '"/bin/sh", ["/bin/sh", "-c", "ping -c 1 10.0.0.9"], 0x7ff /* 7 vars */'),
    ...serviceShellsOut(),
    call(199, 100, 'read', null, ''),
  ];
}

describe('runTriage', () => {
  it('scores a lone benign-looking shell-out low and an injected chain high, one finding per rule per tree', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    await addCapture(store, serviceScenario());
    const result = await runTriage(store);
    const findings = await listFindings(store);
    expect(result.baseline.mode).toBe('self');
    const lone = findings.filter((f) => f.pids.includes(101));
    expect(lone.map((f) => f.rule)).toEqual(['tb-lnx-shell-from-service']);
    expect(lone[0]?.score).toBeLessThan(35);
    const chain = findings.filter((f) => f.pids.some((p) => p >= 200));
    const rules = chain.map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['tb-lnx-shell-metachar-from-service', 'tb-lnx-discovery-burst', 'tb-lnx-shell-connect']));
    expect(new Set(rules).size).toBe(rules.length); // grouped: never two findings of one rule for this tree
    const burst = chain.find((f) => f.rule === 'tb-lnx-discovery-burst');
    expect(burst?.event_ids).toHaveLength(3);
    expect(Math.max(...chain.map((f) => f.score))).toBeGreaterThanOrEqual(70);
    expect(burst?.explanation).toMatch(/Why it matters: .*Check next: /);
    // The programs the baseline never ran in this tree: one finding that names each of them.
    const novel = chain.filter((f) => f.rule === 'tb-base-new-program');
    expect(novel).toHaveLength(1);
    expect(novel[0]?.explanation).toContain('New to the baseline (3): /usr/bin/id, /usr/bin/uname, /usr/bin/hostname.');
    expect(findings.map((f) => f.score)).toEqual([...findings.map((f) => f.score)].sort((a, b) => b - a));
    store.close();
  });

  it('replaces earlier findings of the rules it runs and keeps other rules\' findings', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    await addCapture(store, serviceScenario());
    const rules = parseRuleFile('title: connects\nid: t-connect\nlevel: low\ndetection:\n  sel:\n    op: connect\n  condition: sel\n', 'a.yml');
    const other = parseRuleFile('title: reads\nid: t-read\nlevel: low\ndetection:\n  sel:\n    op: read\n  condition: sel\n', 'b.yml');
    await runTriage(store, { rules: [...rules, ...other], noSequenceDiff: true });
    await runTriage(store, { rules, noSequenceDiff: true });
    const found = await listFindings(store);
    expect(found.filter((f) => f.rule === 't-connect')).toHaveLength(2); // pid 100 tree and pid 200 tree
    expect(found.filter((f) => f.rule === 't-read')).toHaveLength(1);
    store.close();
  });

  it('uses marked baseline captures for novelty rules', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    const base = await addCapture(store, [call(0, 5, 'connect', '10.0.0.5:502', ''), call(1, 5, 'execve', '/usr/bin/df', '')], 'base.txt');
    await addCapture(store, [call(500, 7, 'connect', '10.0.0.5:502', ''), call(501, 7, 'connect', '10.6.6.6:443', ''), call(502, 7, 'execve', '/usr/bin/df', '')], 'late.txt');
    await store.exec(sql`UPDATE captures SET is_baseline = TRUE WHERE capture_id = ${base}`);
    const result = await runTriage(store, { rules: loadRules([SHIPPED_RULES_DIR]).filter((r) => r.id.startsWith('tb-base-')) });
    expect(result.baseline.mode).toBe('marked');
    const found = await listFindings(store);
    expect(found.map((f) => f.rule)).toEqual(['tb-base-new-endpoint']);
    expect(found[0]?.explanation).toContain('10.6.6.6:443');
    store.close();
  });
});

describe('rule pack and schema', () => {
  it('the shipped rule pack parses and every rule carries ATT&CK ids, a reason and next steps', () => {
    const rules = loadRules([SHIPPED_RULES_DIR]);
    expect(rules.length).toBeGreaterThanOrEqual(40);
    for (const r of rules) {
      expect(r.attack.length + (r.tags.length ? 1 : 0), r.id).toBeGreaterThan(0);
      expect(r.why.length, r.id).toBeGreaterThan(20);
      expect(r.check_next.length, r.id).toBeGreaterThan(0);
    }
    // The pack must stay general: no names from the hmi-dev scenario.
    expect(JSON.stringify(rules.map((r) => [...r.selections.values()]))).not.toMatch(/flowview|hmi\.py|upd\.sh|\/\.x\b|20222|4444|libsys/i);
  });

  it('migration 2: a case created at version 1 opens and gains the findings table', async () => {
    const path = dir.file('v1.duckdb');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(path);
    const conn = await db.connect();
    await conn.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)');
    const v1 = MIGRATIONS.find((m) => m.version === 1);
    for (const s of v1?.statements ?? []) await conn.run(s);
    await conn.run("INSERT INTO schema_migrations VALUES (1, 'v1', now()::TIMESTAMP)");
    conn.closeSync();
    db.closeSync();
    const store = await CaseStore.open(path);
    expect(await store.schemaVersion()).toBeGreaterThanOrEqual(2);
    expect(await listFindings(store)).toEqual([]);
    const cols = await store.rows(sql`SELECT column_name FROM information_schema.columns WHERE table_name = 'findings'`, { column_name: 'str' });
    expect(cols.map((c) => c.column_name)).toEqual(expect.arrayContaining(['finding_id', 'rule', 'score', 'severity', 'explanation', 'event_ids', 'attack', 'first_ts', 'last_ts', 'check_next', 'created_at']));
    store.close();
  });
});

describeCorpus('real capture: hmi-dev strace.txt (corpus)', () => {
  it('flags the /etc/shadow read, the failed ptrace attach and the log deletion, and keeps the benign diag ping low', async () => {
    const store = await CaseStore.open(dir.file('hmi.duckdb'));
    await importFile(store, corpusCapture('linux/hmi-dev/strace.txt'), { date: '2026-11-26', host: 'hmi-ws01' });
    await runTriage(store);
    const findings = await listFindings(store);
    const lineOf = async (ids: number[]): Promise<number[]> =>
      (await store.rows(sql`SELECT source_line FROM event_rows WHERE list_contains(CAST(CAST(${JSON.stringify(ids)} AS JSON) AS BIGINT[]), event_id)`, { source_line: 'num' })).map((r) => r.source_line);
    // Line numbers from truth.json's verification block (grep -n confirms each one).
    const shadow = findings.find((f) => f.rule === 'tb-lnx-shadow-read');
    expect(await lineOf(shadow?.event_ids ?? [])).toContain(7534); // openat(…"/etc/shadow", O_RDONLY)
    const ptrace = findings.find((f) => f.rule === 'tb-lnx-ptrace-attach');
    expect(await lineOf(ptrace?.event_ids ?? [])).toContain(16385); // ptrace(PTRACE_ATTACH, 1202) = -1 EPERM
    expect(findings.some((f) => f.rule === 'tb-lnx-log-delete')).toBe(true);
    // B2: the HMI's own `sh -c "ping -c 1 -W 1 127.0.0.1"` (pid 1205) fires only the weak rule.
    const b2 = findings.filter((f) => f.pids.includes(1205));
    expect(b2.map((f) => f.rule)).toEqual(['tb-lnx-shell-from-service']);
    expect(b2[0]?.score).toBeLessThanOrEqual(30);
    store.close();
  }, 60_000);
});
