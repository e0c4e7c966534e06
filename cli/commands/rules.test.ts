// `tracebench rules check DIR... [--json]`: per rule {file, id, title, status, reason} and totals by
// folder; a broken rule is reported, not fatal.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../core/testing/temp.ts';
import type { RulesCheckOutput } from './rules.ts';
import { runCli } from '../../core/testing/cli-run.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const tb = (...args: string[]) => runCli(args);

describe('tracebench rules check', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());
  const folder = join(dir.path, 'pack');
  mkdirSync(join(folder, 'linux'), { recursive: true });
  cpSync(join(ROOT, 'core', 'triage', 'sigma', 'fixtures', 'lnx_susp_jexboss.yml'), join(folder, 'linux', 'jexboss.yml'));
  writeFileSync(join(folder, 'linux', 'broken.yml'), 'title: Broken\nid: broken-1\ndetection:\n  sel:\n    op|nosuch: x\n  condition: sel\n');

  it('--json lists every rule with its status and reason, and totals by folder', () => {
    const r = tb('rules', 'check', folder, '--json');
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as RulesCheckOutput;
    expect(out.rules).toEqual([
      { file: 'pack/linux/broken.yml', id: 'broken-1', title: 'Broken', status: 'skipped', reason: expect.stringMatching(/^pack\/linux\/broken\.yml:5: "op": unsupported modifier "\|nosuch"/) as unknown },
      { file: 'pack/linux/jexboss.yml', id: '8ec2c8b4-557a-4121-b87c-5dfb3a602fae', title: 'JexBoss Command Sequence', status: 'loaded', reason: null },
    ]);
    expect(out.totals).toEqual([{ folder: 'pack/linux', rules: 2, loaded: 1, skipped: 1 }]);
    expect(out.total).toEqual({ rules: 2, loaded: 1, skipped: 1 });
  });

  it('prints a table and totals as text, and fails only for a missing folder', () => {
    const r = tb('rules', 'check', folder);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^skipped pack\/linux\/broken\.yml .*line 5: "op": unsupported modifier/m);
    expect(r.stdout).toMatch(/^total\s+2\s+1\s+1\s+50\.0 %$/m);
    const missing = tb('rules', 'check', join(dir.path, 'nope'));
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/rules folder not found/);
  });
});
