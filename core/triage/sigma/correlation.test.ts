// Sigma correlation rules (event_count, value_count, temporal, temporal_ordered) loaded from a
// folder with the rules they refer to, run over a small case of logins by three users.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../store/case-store.ts';
import { tempDir } from '../../testing/temp.ts';
import { runRule } from '../engine.ts';
import { buildProcessTree } from '../process-tree.ts';
import { loadRuleFolders } from '../rules-load.ts';
import { addCapture, call } from '../testing/build-case.ts';
import type { Rule } from './types.ts';

const BASE = `title: Failed login
id: 1d0c0d4e-0000-4000-8000-000000000001
name: failed_login
detection:
  sel:
    op: auth_fail
  condition: sel
---
title: Successful login
id: 1d0c0d4e-0000-4000-8000-000000000002
name: successful_login
detection:
  sel:
    op: auth_ok
  condition: sel
`;

const correlation = (id: string, body: string): string => `title: ${id}\nid: ${id}\nlevel: high\ncorrelation:\n${body}`;

describe('Sigma correlation rules', () => {
  const dir = tempDir();
  let store: CaseStore;
  let rules: Rule[];
  beforeAll(async () => {
    store = await CaseStore.open(dir.file('c.duckdb'));
    const login = (sec: number, op: string, user: string, ip: string) => call(sec, 500, op, user, '', { fields: { User: user, SrcIp: ip } });
    await addCapture(store, [
      login(0, 'auth_fail', 'alice', '10.0.0.1'),
      login(0.5, 'auth_fail', 'bob', '10.0.0.1'),
      login(1, 'auth_fail', 'alice', '10.0.0.2'),
      login(1.5, 'auth_fail', 'bob', '10.0.0.1'),
      login(2, 'auth_fail', 'alice', '10.0.0.3'),
      login(3, 'auth_ok', 'alice', '10.0.0.3'),
      login(5, 'auth_ok', 'carol', '10.0.0.9'),
      login(6, 'auth_fail', 'carol', '10.0.0.9'),
      login(100, 'auth_ok', 'bob', '10.0.0.1'),
    ]);
    await buildProcessTree(store);
    const folder = join(dir.path, 'rules');
    mkdirSync(folder);
    writeFileSync(join(folder, 'base.yml'), BASE);
    writeFileSync(join(folder, 'count.yml'), correlation('c-count', '  type: event_count\n  rules: [failed_login]\n  group-by: [fields.User]\n  timespan: 1m\n  condition:\n    gte: 3\n'));
    writeFileSync(join(folder, 'values.yml'), correlation('c-values', '  type: value_count\n  rules: [1d0c0d4e-0000-4000-8000-000000000001]\n  group-by: [fields.User]\n  timespan: 1m\n  condition:\n    field: fields.SrcIp\n    gte: 3\n'));
    writeFileSync(join(folder, 'temporal.yml'), correlation('c-temporal', '  type: temporal\n  rules: [failed_login, successful_login]\n  group-by: [fields.User]\n  timespan: 1m\n'));
    writeFileSync(join(folder, 'ordered.yml'), correlation('c-ordered', '  type: temporal_ordered\n  rules: [failed_login, successful_login]\n  group-by: [fields.User]\n  timespan: 1m\n'));
    const loaded = loadRuleFolders([folder]);
    expect(loaded.skipped).toEqual([]);
    rules = loaded.rules;
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });
  const usersOf = async (id: string): Promise<string[]> => {
    const rule = rules.find((r) => r.id === id);
    if (!rule) throw new Error(`rule ${id} not loaded`);
    const hits = await runRule(store, rule);
    return hits.map((h) => String(h.events[0]?.fields?.User)).sort();
  };

  it('referenced rules do not run on their own unless the correlation says generate: true', () => {
    expect(rules.map((r) => r.id).sort()).toEqual(['c-count', 'c-ordered', 'c-temporal', 'c-values']);
  });
  it('event_count: three failures of one user within a minute', async () => {
    expect(await usersOf('c-count')).toEqual(['alice']);
  });
  it('value_count: three distinct source addresses for one user', async () => {
    expect(await usersOf('c-values')).toEqual(['alice']);
  });
  it('temporal: both rules within the timespan, in any order', async () => {
    expect(await usersOf('c-temporal')).toEqual(['alice', 'carol']);
  });
  it('temporal_ordered: a failure followed by a success', async () => {
    expect(await usersOf('c-ordered')).toEqual(['alice']);
  });
});
