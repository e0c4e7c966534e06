// The Electron shell's backend: DuckDB and parsing never run in the main or renderer process.
// Main starts `tracebench serve --port 0` as a child process (Electron's own binary running as
// Node), reads the URL line it prints, and relays each validated call to it over HTTP on
// 127.0.0.1 with the token. No Electron imports here, so it is tested with plain Node.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { WorkbenchMethod } from '../core/api.ts';

export interface Backend {
  baseUrl: string;
  token: string;
  call(method: WorkbenchMethod, args: unknown): Promise<unknown>;
  stop(): void;
}

export interface BackendOptions {
  /** Executable that runs JavaScript: Electron's binary with ELECTRON_RUN_AS_NODE, or node. */
  execPath: string;
  repoRoot: string;
  /** Extra arguments for `tracebench serve` (a case path, --workspace DIR). */
  serveArgs?: string[];
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
}

const URL_LINE = /^Tracebench browser shell: (http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+)\s*$/;

/** Parses the line `tracebench serve` prints; null for any other line. */
export function parseServeLine(line: string): { baseUrl: string; token: string } | null {
  const m = URL_LINE.exec(line);
  return m?.[1] && m[2] ? { baseUrl: m[1], token: m[2] } : null;
}

export async function startBackend(options: BackendOptions): Promise<Backend> {
  const child = spawn(options.execPath, [join(options.repoRoot, 'bin', 'tracebench.js'), 'serve', '--port', '0', '--shell', 'electron', ...(options.serveArgs ?? [])], {
    cwd: options.repoRoot,
    env: { ...process.env, ...options.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const { baseUrl, token } = await waitForUrl(child, options.startTimeoutMs ?? 30_000);
  return {
    baseUrl,
    token,
    async call(method, args) {
      const res = await fetch(`${baseUrl}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Tracebench-Token': token },
        body: JSON.stringify(args ?? {}),
      });
      const body = (await res.json()) as { ok: boolean; result?: unknown; error?: string };
      if (!body.ok) throw new Error(body.error ?? `backend answered ${res.status}`);
      return body.result;
    },
    stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}

function waitForUrl(child: ChildProcess, timeoutMs: number): Promise<{ baseUrl: string; token: string }> {
  return new Promise((resolve, reject) => {
    if (!child.stdout) return reject(new Error('backend has no stdout'));
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`backend did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    lines.on('line', (line) => {
      const found = parseServeLine(line);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`backend exited with code ${code} before it was ready`));
    });
  });
}
