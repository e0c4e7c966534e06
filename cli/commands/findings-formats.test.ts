// `tracebench findings` on the sample scenario's real strace capture (samples/demo: an intruder
// spawns /bin/sh -c "id; uname -a" next to an HMI), and `tracebench formats` against the registry.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../core/api.ts';
import { IMPORTERS } from '../../core/importers/registry.ts';
import { CaseStore } from '../../core/store/case-store.ts';
import { sql } from '../../core/store/sql.ts';
import { tempDir } from '../../core/testing/temp.ts';
import { main } from '../main.ts';

const DEMO_STRACE = join(import.meta.dirname, '..', '..', 'samples', 'demo', 'strace.txt');

/** Runs the command in-process and returns its exit code and what it wrote. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    return { code: await main(argv), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('tracebench findings', () => {
  const dir = tempDir();
  const casePath = dir.file('demo.duckdb');
  beforeAll(async () => {
    const imported = await run('import', casePath, DEMO_STRACE, '--no-triage', '--json');
    expect(imported.code, imported.err).toBe(0);
  });
  afterAll(() => dir.remove());

  it('computes findings on first use, best first, each citing events of the case', async () => {
    const r = await run('findings', casePath, '--json');
    expect(r.code, r.err).toBe(0);
    const findings = JSON.parse(r.out) as Finding[];
    expect(findings.length).toBeGreaterThan(0);
    const scores = findings.map((f) => f.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const store = await CaseStore.open(casePath, { create: false });
    try {
      const cited = [...new Set(findings.flatMap((f) => f.event_ids))];
      const rows = await store.rows(sql`SELECT event_id, op, target FROM event_rows WHERE list_contains(CAST(CAST(${JSON.stringify(cited)} AS JSON) AS BIGINT[]), event_id)`, {
        event_id: 'num',
        op: 'str',
        target: 'str?',
      });
      expect(rows).toHaveLength(cited.length);
      // The intruder's shell (samples/demo/README.md) is among the events the findings rest on.
      expect(rows.some((e) => e.op === 'execve' && e.target === '/bin/sh')).toBe(true);
    } finally {
      store.close();
    }
  });

  it('prints the same findings as text, with a count line, and recomputes them with --refresh', async () => {
    const json = JSON.parse((await run('findings', casePath, '--json')).out) as Finding[];
    const text = await run('findings', casePath, '--refresh');
    expect(text.code, text.err).toBe(0);
    for (const f of json) expect(text.out).toContain(`${f.title}  (${f.rule}`);
    expect(text.out.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^${json.length} findings? \\(\\d+ rules; `));
  });

  it('skips a rule file with an error, runs the other rules and says how many were skipped', async () => {
    const rules = dir.file('bad-rules');
    mkdirSync(rules);
    writeFileSync(join(rules, 'broken.yml'), 'title: [unclosed\n');
    const r = await run('findings', casePath, '--rules', rules);
    expect(r.code, r.err).toBe(0);
    expect(r.out.trimEnd().split('\n').at(-1)).toMatch(/\(\d+ rules, 1 skipped \(see tracebench rules check\); /);
  });

  it('refuses a case file that does not exist', async () => {
    const r = await run('findings', dir.file('missing.duckdb'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no case file/);
  });
});

describe('tracebench formats', () => {
  it('lists exactly the registered importers, as JSON and as text', async () => {
    const json = await run('formats', '--json');
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.out) as { format: string; reads: string }[];
    expect(rows.map((r) => r.format)).toEqual(IMPORTERS.map((i) => i.format));
    const text = await run('formats');
    for (const i of IMPORTERS) expect(text.out).toMatch(new RegExp(`^${i.format} +${i.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  });
});
