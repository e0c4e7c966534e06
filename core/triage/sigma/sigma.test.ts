import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../store/case-store.ts';
import { sql } from '../../store/sql.ts';
import { tempDir } from '../../testing/temp.ts';
import { addCapture, call } from '../testing/build-case.ts';
import { buildProcessTree } from '../process-tree.ts';
import { compileCondition } from './compile.ts';
import { parseCondition } from './condition.ts';
import { parseRuleFile } from './parse.ts';
import { RuleError, type ConditionNode, type Rule } from './types.ts';

describe('Sigma condition parser', () => {
  it('gives not > and > or precedence and reads "1 of" / "all of"', () => {
    expect(parseCondition('a or b and not c')).toEqual({
      type: 'or',
      items: [{ type: 'ref', name: 'a' }, { type: 'and', items: [{ type: 'ref', name: 'b' }, { type: 'not', item: { type: 'ref', name: 'c' } }] }],
    });
    expect(parseCondition('(a or b) and all of sel_*')).toEqual({
      type: 'and',
      items: [{ type: 'or', items: [{ type: 'ref', name: 'a' }, { type: 'ref', name: 'b' }] }, { type: 'of', quantifier: 'all', pattern: 'sel_*' }],
    });
    expect(parseCondition('1 of them')).toEqual({ type: 'of', quantifier: 'one', pattern: 'them' });
  });
  it('rejects unbalanced or dangling expressions', () => {
    expect(() => parseCondition('(a or b')).toThrow(/missing "\)"/);
    expect(() => parseCondition('a and')).toThrow(/ends/);
    expect(() => parseCondition('a b')).toThrow(/unexpected "b"/);
  });
});

const RULE = (detection: string, extra = ''): string => `title: t\nid: r1\nlevel: high\ntags: [attack.t1055, attack.ics.t0855]\n${extra}detection:\n${detection}`;

describe('rule files', () => {
  it('reads ATT&CK ids from tags and keeps selections', () => {
    const [rule] = parseRuleFile(RULE('  sel:\n    op: ptrace\n  condition: sel\n'), 'x.yml');
    expect(rule?.attack).toEqual(['T1055', 'T0855']);
    expect([...(rule?.selections.keys() ?? [])]).toEqual(['sel']);
  });
  it('names the file and line of an error', () => {
    // An unknown field parses (the taxonomy decides) and fails when compiled, at its line.
    const [bad] = parseRuleFile(RULE('  sel:\n    op: ptrace\n    nosuchfield: 1\n  condition: sel\n'), 'bad.yml');
    expect(() => compileCondition(bad as Rule, bad?.condition as ConditionNode)).toThrow(RuleError);
    expect(() => compileCondition(bad as Rule, bad?.condition as ConditionNode)).toThrow(/^bad\.yml:8: field nosuchfield not mapped for logsource \{\}/);
    expect(() => parseRuleFile(RULE('  sel:\n    op: x\n  condition: sel and other\n'), 'c.yml')).toThrow(/^c\.yml:8: condition names "other"/);
    expect(() => parseRuleFile('title: [unclosed\n', 'y.yml')).toThrow(/^y\.yml:\d+: YAML/);
    expect(() => parseRuleFile(RULE('  sel:\n    op|base65: x\n  condition: sel\n'), 'm.yml')).toThrow(/^m\.yml:7: "op": unsupported modifier "\|base65"/);
  });
});

describe('compiled detection semantics (DuckDB)', () => {
  const dir = tempDir();
  let store: CaseStore;
  beforeAll(async () => {
    store = await CaseStore.open(dir.file('c.duckdb'));
    await addCapture(store, [
      call(0, 10, 'openat', '/etc/shadow', 'AT_FDCWD, "/etc/shadow", O_RDONLY'),
      call(1, 10, 'openat', '/ETC/Passwd', 'AT_FDCWD, "/ETC/Passwd", O_RDONLY'),
      call(2, 11, 'unlinkat', '/var/log/app.log', 'AT_FDCWD, "/var/log/app.log", 0'),
      call(3, 12, 'connect', '10.0.0.1:502', 'x 100% y_z', { fields: { GrantedAccess: '0x1410' } }),
    ]);
    await buildProcessTree(store);
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });
  const lines = async (detection: string): Promise<number[]> => {
    const [rule] = parseRuleFile(RULE(detection), 't.yml');
    if (!rule?.condition) throw new Error('no rule');
    const rows = await store.rows(
      sql`SELECT e.source_line FROM event_rows e LEFT JOIN triage_proc p ON p.capture_id = e.capture_id AND p.pid = e.pid WHERE ${compileCondition(rule, rule.condition)} ORDER BY 1`,
      { source_line: 'num' },
    );
    return rows.map((r) => r.source_line);
  };
  it('matches case-insensitively, with lists as OR and |all as AND', async () => {
    const base = (await lines('  sel:\n    op: openat\n  condition: sel\n'))[0] ?? 0;
    expect(await lines('  sel:\n    target: /etc/passwd\n  condition: sel\n')).toEqual([base + 1]);
    expect(await lines('  sel:\n    target|endswith: [shadow, app.log]\n  condition: sel\n')).toEqual([base, base + 2]);
    expect(await lines('  sel:\n    args|contains|all: [AT_FDCWD, O_RDONLY]\n  condition: sel\n')).toEqual([base, base + 1]);
  });
  it('treats % and _ literally and * as a wildcard; supports |re, not, fields.X and numbers', async () => {
    const base = (await lines('  sel:\n    op: openat\n  condition: sel\n'))[0] ?? 0;
    expect(await lines('  sel:\n    args|contains: 100%\n  condition: sel\n')).toEqual([base + 3]);
    expect(await lines('  sel:\n    args|contains: "0% y"\n  condition: sel\n')).toEqual([base + 3]);
    expect(await lines('  sel:\n    target: /etc/*adow\n  condition: sel\n')).toEqual([base]);
    expect(await lines("  sel:\n    target|re: ':50[0-9]$'\n  condition: sel\n")).toEqual([base + 3]);
    expect(await lines('  sel:\n    pid: 10\n  f:\n    target|contains: shadow\n  condition: sel and not f\n')).toEqual([base + 1]);
    expect(await lines("  sel:\n    fields.GrantedAccess: ['0x1010', '0x1410']\n  condition: sel\n")).toEqual([base + 3]);
    expect(await lines('  sel:\n    pid|gte: 11\n  condition: sel\n')).toEqual([base + 2, base + 3]);
  });
});
