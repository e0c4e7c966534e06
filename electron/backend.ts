// The Electron shell's backend: DuckDB and parsing never run in the main or renderer process.
// Main starts `tracebench serve --port 0` in a child (Electron's utilityProcess, so the packaged
// binary can have its RunAsNode fuse off), reads the URL line it prints, and relays each
// validated call to it over HTTP on 127.0.0.1 with the token. It also reads the grant secret the
// backend prints first, with which main alone registers the files the user chose (grant()); the
// renderer learns neither secret. No Electron imports here: the
// launcher is passed in, and tests use plain Node.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { WorkbenchMethod } from '../core/api.ts';

/** What the backend answers for a granted file (cli/serve/grant-endpoint.ts). */
export interface Granted {
  id: string;
  display_name: string;
  size: number;
  modified_ms: number;
}

export interface Backend {
  baseUrl: string;
  token: string;
  call(method: WorkbenchMethod, args: unknown): Promise<unknown>;
  /** Registers a path the user chose (dialog, drop, second launch); returns the id the renderer may use. */
  grant(kind: 'capture' | 'case', path: string): Promise<Granted>;
  stop(): void;
}

/** What startBackend needs of a child process: Node's ChildProcess and Electron's UtilityProcess both fit. */
export interface BackendChild {
  readonly stdout: NodeJS.ReadableStream | null;
  once(event: 'exit', listener: (code: number | null) => void): unknown;
  kill(): boolean;
}

/** Starts `script` (an ES module) with `args` as a JavaScript child process. */
export type LaunchBackend = (script: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) => BackendChild;

/** Plain Node as the child (tests, and any host without Electron). */
export const launchWithNode: LaunchBackend = (script, args, { cwd, env }) =>
  spawn(process.execPath, [script, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });

export interface BackendOptions {
  launch: LaunchBackend;
  repoRoot: string;
  /** Extra arguments for `tracebench serve` (a case path, --workspace DIR). */
  serveArgs?: string[];
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
}

const URL_LINE = /^Tracebench browser shell: (http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]+)\s*$/;
const GRANT_LINE = /^Tracebench grant secret: ([\w-]+)\s*$/;

/** Parses the line `tracebench serve` prints; null for any other line. */
export function parseServeLine(line: string): { baseUrl: string; token: string } | null {
  const m = URL_LINE.exec(line);
  return m?.[1] && m[2] ? { baseUrl: m[1], token: m[2] } : null;
}

export async function startBackend(options: BackendOptions): Promise<Backend> {
  const child = options.launch(join(options.repoRoot, 'bin', 'tracebench.js'), ['serve', '--port', '0', '--shell', 'electron', ...(options.serveArgs ?? [])], {
    cwd: options.repoRoot,
    env: { ...process.env, ...options.env },
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const { baseUrl, token, grantSecret } = await waitForUrl(child, options.startTimeoutMs ?? 30_000);
  const post = async (path: string, args: unknown, extra: Record<string, string> = {}): Promise<unknown> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Tracebench-Token': token, ...extra },
      body: JSON.stringify(args ?? {}),
    });
    const body = (await res.json()) as { ok: boolean; result?: unknown; error?: string };
    if (!body.ok) throw new Error(body.error ?? `backend answered ${res.status}`);
    return body.result;
  };
  return {
    baseUrl,
    token,
    call: (method, args) => post(`/api/${method}`, args),
    async grant(kind, path) {
      if (grantSecret === null) throw new Error('the backend did not give a grant secret (not started with --shell electron)');
      return (await post('/grant', { kind, path }, { 'X-Tracebench-Grant': grantSecret })) as Granted;
    },
    stop() {
      if (!exited) child.kill();
    },
  };
}

/** Waits for the URL line; the grant secret line, when printed, comes before it. */
function waitForUrl(child: BackendChild, timeoutMs: number): Promise<{ baseUrl: string; token: string; grantSecret: string | null }> {
  return new Promise((resolve, reject) => {
    if (!child.stdout) return reject(new Error('backend has no stdout'));
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`backend did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    let grantSecret: string | null = null;
    lines.on('line', (line) => {
      const secret = GRANT_LINE.exec(line)?.[1];
      if (secret) grantSecret = secret;
      const found = parseServeLine(line);
      if (found) {
        clearTimeout(timer);
        resolve({ ...found, grantSecret });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`backend exited with code ${code} before it was ready`));
    });
  });
}
