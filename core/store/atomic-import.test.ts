// An import of several row groups (which DuckDB writes to the case file before COMMIT) killed
// with SIGKILL just before and just after its COMMIT: the case holds either none of it or all of
// it, and the commit leaves no WAL behind (it went through a checkpoint: case-store.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp.ts';
import { writeUniformStrace } from '../../torture/captures.ts';
import { rawOrphanRows } from '../../torture/check-case.ts';
import { CaseStore } from './case-store.ts';
import { sql } from './sql.ts';

const CLI = join(import.meta.dirname, '..', '..', 'bin', 'tracebench.js');
const CALLS = 300_000;

let dir: ReturnType<typeof tempDir>;
let big: string;
let small: string;
beforeAll(async () => {
  dir = tempDir();
  big = dir.file('big.txt');
  small = dir.file('small.txt');
  await writeUniformStrace(big, CALLS);
  await writeUniformStrace(small, 10);
});
afterAll(() => dir.remove());

function importKilledAt(casePath: string, file: string, phase: string): string | null {
  const run = spawnSync(process.execPath, [CLI, 'import', casePath, file, '--format', 'strace', '--date', '2026-11-26', '--no-triage'], {
    env: { ...process.env, TRACEBENCH_TEST_KILL_AT: phase },
    encoding: 'utf8',
  });
  return run.signal;
}

async function captureEvents(casePath: string): Promise<number[]> {
  const store = await CaseStore.open(casePath, { readOnly: true });
  try {
    const rows = await store.rows(sql`SELECT events FROM captures ORDER BY capture_id`, { events: 'num' });
    const stored = await store.one(sql`SELECT count(*) AS n FROM events`, { n: 'num' });
    expect(stored?.n).toBe(rows.reduce((n, r) => n + r.events, 0));
    return rows.map((r) => r.events);
  } finally {
    store.close();
  }
}

describe('an import killed around its commit', () => {
  it('killed just before COMMIT leaves the case as it was', { timeout: 120_000 }, async () => {
    const casePath = dir.file('before.duckdb');
    expect(importKilledAt(casePath, small, 'none')).toBeNull();
    expect(importKilledAt(casePath, big, 'import:before-commit')).toBe('SIGKILL');
    expect(await rawOrphanRows(casePath)).toBe(0);
    expect(await captureEvents(casePath)).toEqual([10]);
  });

  it('killed as soon as COMMIT returns has all of it, with no WAL to replay', { timeout: 120_000 }, async () => {
    const casePath = dir.file('after.duckdb');
    expect(importKilledAt(casePath, small, 'none')).toBeNull();
    expect(importKilledAt(casePath, big, 'import:committed')).toBe('SIGKILL');
    // Through the WAL, the WAL would hold the commit; through a checkpoint, nothing is left in it.
    expect(existsSync(`${casePath}.wal`) ? statSync(`${casePath}.wal`).size : 0).toBe(0);
    expect(await rawOrphanRows(casePath)).toBe(0);
    expect(await captureEvents(casePath)).toEqual([10, CALLS]);
  });
});
