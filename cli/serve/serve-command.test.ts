// `tracebench serve` as the analyst runs it: the URL it prints, and the new URL it prints when an
// idle session's token is replaced (never for the Electron backend, whose token stays in main).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServeProcess, stopServeProcess, type ServeProcess } from '../../core/testing/serve-process.ts';
import { tempDir } from '../../core/testing/temp.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const URL_LINE = /^Tracebench browser shell: (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{32})$/gm;

function printedUrls(server: ServeProcess): string[] {
  return [...server.output().matchAll(URL_LINE)].map((m) => m[1] ?? '');
}

describe('tracebench serve', () => {
  const dir = tempDir();
  const env = { ...process.env, TRACEBENCH_HOME: dir.file('home') };
  afterAll(() => dir.remove());

  it('prints a new URL when the session has been idle, and the old token then gets a clear 401', async () => {
    // 0.002 minutes = 120 ms idle: the server notices within its check interval.
    const server = await startServeProcess({ args: ['--workspace', dir.file('cases'), '--idle-minutes', '0.002'], env });
    try {
      const old = new URL(server.url);
      const call = () => fetch(`${old.origin}/api/session`, { method: 'POST', headers: { 'X-Tracebench-Token': old.hash.slice('#token='.length) }, body: '{}' });
      expect((await call()).status).toBe(200); // the analyst opened the page
      await expect.poll(() => printedUrls(server).length, { timeout: 10_000 }).toBe(2);
      const [first = '', second = ''] = printedUrls(server);
      expect(first).toBe(server.url);
      expect(second).not.toBe(first);
      expect(server.output()).toContain('the old token no longer works; open the new URL:');
      const r = await call();
      expect(r.status).toBe(401);
      expect(((await r.json()) as { error: string }).error).toMatch(/^session expired after 0\.002 minutes without activity/);
    } finally {
      await stopServeProcess(server.child);
    }
  });

  it('never replaces the token of the Electron backend', async () => {
    const server = await startServeProcess({ args: ['--workspace', dir.file('cases'), '--idle-minutes', '0.002', '--shell', 'electron'], env });
    try {
      const url = new URL(server.url);
      const call = () => fetch(`${url.origin}/api/session`, { method: 'POST', headers: { 'X-Tracebench-Token': url.hash.slice('#token='.length) }, body: '{}' });
      expect((await call()).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1000));
      expect(printedUrls(server)).toHaveLength(1);
      expect((await call()).status).toBe(200);
    } finally {
      await stopServeProcess(server.child);
    }
  });

  it('refuses an --idle-minutes that is not a number ≥ 0', () => {
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'tracebench.js'), 'serve', '--idle-minutes', 'soon'], { encoding: 'utf8', env });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('--idle-minutes wants a number ≥ 0, got "soon"');
  });
});
