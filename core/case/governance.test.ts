// Collection governance round-trips through the contract (schema + workbench) and the CLI
// (`tracebench case set|show`), is logged in the audit chain, and is kept by migration 12's tables.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateArgs } from '../api/schemas.ts';
import { Session } from '../api/session.ts';
import { createWorkbench } from '../api/workbench.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import type { GovernanceUpdate } from '../model/governance.ts';
import { readGovernance, writeGovernance } from './governance.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'tracebench.js');
const tb = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, TRACEBENCH_AUTHOR: 'cli-analyst' } });

const dir = tempDir();
afterAll(() => dir.remove());

describe('collection governance', () => {
  it('round-trips through the contract: fields kept unless given, devices replaced, custody notes appended', async () => {
    const session = new Session({ shell: 'browser', home: join(dir.path, 'home'), workspace: join(dir.path, 'cases') });
    const api = createWorkbench(session);
    try {
      await api.newCase({ name: 'plant' });
      expect(await api.governance({})).toMatchObject({ devices: [], trigger: null, custody: [], updated_at: null });
      const args = validateArgs('setGovernance', {
        devices: [{ host: ' hmi-ws01 ', role: 'HMI', zone: 'L2' }, { host: 'plc-1', role: 'PLC', zone: '' }],
        trigger: 'HMI alarm limit changed without an operator',
        tool: 'strace 6.1',
        custody_note: 'image copied to evidence drive E-17',
        author: 'ana',
      }) as GovernanceUpdate;
      const first = await api.setGovernance(args);
      expect(first.devices).toEqual([{ host: 'hmi-ws01', role: 'HMI', zone: 'L2' }, { host: 'plc-1', role: 'PLC', zone: null }]);
      const second = await api.setGovernance(validateArgs('setGovernance', { retention: '7 years', tool: null, custody_note: 'sealed', author: 'bo' }) as GovernanceUpdate);
      expect(second).toMatchObject({ trigger: 'HMI alarm limit changed without an operator', tool: null, retention: '7 years' });
      expect(second.devices.map((d) => d.host)).toEqual(['hmi-ws01', 'plc-1']);
      expect(second.custody.map((c) => [c.seq, c.author, c.note])).toEqual([[1, 'ana', 'image copied to evidence drive E-17'], [2, 'bo', 'sealed']]);
      expect(await api.governance({})).toEqual(second);
      expect(() => validateArgs('setGovernance', { devices: [{ host: '', role: null, zone: null }] })).toThrow();
      expect(() => validateArgs('setGovernance', { owner: 'x' })).toThrow();
    } finally {
      await session.close();
    }
  });

  it('logs every change in the audit chain', async () => {
    const store = await CaseStore.open(dir.file('audit.duckdb'));
    try {
      await writeGovernance(store, { trigger: 't', author: 'ana' });
      const rows = await store.rows(sql`SELECT action, detail FROM audit_log WHERE action = 'governance'`, { action: 'str', detail: 'str' });
      expect(rows).toHaveLength(1);
      expect(JSON.parse(rows[0]?.detail ?? '{}')).toMatchObject({ changed: ['trigger'], author: 'ana' });
      expect((await readGovernance(store)).trigger).toBe('t');
    } finally {
      store.close();
    }
  });

  it('is set and shown by `tracebench case`', () => {
    const casePath = dir.file('cli.duckdb');
    const init = spawnSync(process.execPath, [BIN, 'import', casePath, join(ROOT, 'samples', 'demo', 'app-log.jsonl'), '--no-triage'], { encoding: 'utf8', timeout: 120_000 });
    expect(init.status, init.stderr).toBe(0);
    let r = tb('case', 'set', casePath, '--device', 'host=hmi-ws01,role=HMI,zone=L2 supervisory', '--device', 'host=plc-1,role=PLC', '--trigger', 'alarm', '--custody', 'received');
    expect(r.status, r.stderr).toBe(0);
    r = tb('case', 'set', casePath, '--remove-device', 'plc-1', '--device', 'host=hmi-ws01,role=HMI panel', '--collector', 'J. Doe');
    expect(r.status, r.stderr).toBe(0);
    r = tb('case', 'show', casePath, '--json');
    expect(r.status, r.stderr).toBe(0);
    const shown = JSON.parse(r.stdout) as { devices: unknown[]; trigger: string; collector: string; custody: { author: string; note: string }[] };
    expect(shown.devices).toEqual([{ host: 'hmi-ws01', role: 'HMI panel', zone: null }]);
    expect(shown).toMatchObject({ trigger: 'alarm', collector: 'J. Doe' });
    expect(shown.custody).toMatchObject([{ author: 'cli-analyst', note: 'received' }]);
    const bad = tb('case', 'set', casePath, '--device', 'role=HMI');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/host=NAME is required/);
  });
});
