// A case exported as a Parquet dataset and served from its folder (`tracebench serve DIR`): the
// analyst sees the same timeline and table, marked read-only, and cannot import into it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServeProcess, stopServeProcess } from '../core/testing/serve-process.ts';
import { REPO_ROOT, expect, repoFixture, test } from './fixtures/tracebench.ts';

function tracebench(...args: string[]): void {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'tracebench.js'), ...args], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`tracebench ${args.join(' ')} failed:\n${r.stderr}`);
}

test('a Parquet dataset opens read-only with its timeline and table', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'tracebench-e2e-dataset-'));
  try {
    const casePath = join(dir, 'plant.duckdb');
    tracebench('import', casePath, repoFixture('strace/sh-clean.txt'), '--date', '2026-11-26', '--host', 'hmi-01', '--no-triage');
    tracebench('export', casePath, '--format', 'parquet', '--out', join(dir, 'plant-dataset'));
    const server = await startServeProcess({ args: [join(dir, 'plant-dataset'), '--workspace', join(dir, 'ws')], env: { ...process.env, TRACEBENCH_HOME: join(dir, 'home') } });
    try {
      await page.goto(server.url);
      await expect(page.getByTestId('case-name')).toHaveText('plant-dataset');
      await expect(page.getByTestId('read-only-badge')).toBeVisible();
      await expect(page.getByTestId('import-button')).toBeDisabled();
      await expect(page.getByTestId('lane').first()).toBeVisible();
      const table = page.getByTestId('events-table');
      await expect.poll(async () => Number(await table.getAttribute('data-total'))).toBeGreaterThan(0);
      await expect(page.getByTestId('event-row').first()).toBeVisible();
    } finally {
      await stopServeProcess(server.child);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
