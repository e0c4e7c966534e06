// Starts `tracebench serve` as a child process and waits for the URL it prints (with its token);
// stops it again. Used by the end-to-end fixture and the UI benchmark.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const REPO_ROOT = join(import.meta.dirname, '..', '..');
const URL_PATTERN = /https?:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/;

export interface ServeProcess {
  child: ChildProcess;
  /** The printed URL including `#token=…`. */
  url: string;
  /** Everything the server wrote so far, for failure messages. */
  output(): string;
}

export interface ServeOptions {
  /** Arguments after `serve`, e.g. a case path and `--workspace DIR` (`--port 0` is added). */
  args: string[];
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Called with the server's stderr as it arrives (e.g. to echo it). */
  onStderr?: (text: string) => void;
}

export function startServeProcess(options: ServeOptions): Promise<ServeProcess> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'tracebench.js'), 'serve', ...options.args, '--port', '0'], {
    cwd: REPO_ROOT,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  const output = (): string => log.join('');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tracebench serve printed no URL within ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      log.push(chunk.toString());
      const match = URL_PATTERN.exec(output());
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[0], output });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      log.push(chunk.toString());
      options.onStderr?.(chunk.toString());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tracebench serve exited with ${code} before printing its URL:\n${output()}`));
    });
  });
}

/** SIGTERM, then SIGKILL after 10 s; resolves when the process has exited. */
export async function stopServeProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
