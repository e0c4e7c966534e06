// Test helpers for the browser shell over real HTTP: raw requests (fetch would not let a test set
// a hostile Host or Origin header), raw socket writes (for what no HTTP client sends, like two
// Host headers), and a server with a fresh session in a temporary folder.
import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Session } from '../../core/api/session.ts';
import { createWorkbench } from '../../core/api/workbench.ts';
import { tempDir } from '../../core/testing/temp.ts';
import { startServer, type RunningServer, type ServeOptions } from './server.ts';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Sends the body in chunks without Content-Length (Transfer-Encoding: chunked). */
  chunked?: boolean;
}

export function send(port: number, path: string, options: SendOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (options.chunked && options.body !== undefined) {
      const body = Buffer.from(options.body);
      const step = 64 * 1024;
      for (let at = 0; at < body.length; at += step) req.write(body.subarray(at, at + step));
      req.end();
    } else req.end(options.body);
  });
}

/** Writes `raw` as-is to the server and returns the status code of the answer (0: none). */
export function sendRaw(port: number, raw: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(raw));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(chunks).toString('latin1'))?.[1] ?? 0)));
  });
}

export interface TestShell {
  server: RunningServer;
  session: Session;
  dir: string;
  uploadsDir: string;
  /** POST /api/<method> with the token header and JSON body; `headers` add to or replace them. */
  api(method: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: { ok: boolean; result?: unknown; error?: string } }>;
  /** Like api, but throws unless the call succeeded, and returns its result. */
  ok<T>(method: string, body: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function startTestShell(options: Partial<ServeOptions> = {}): Promise<TestShell> {
  const dir = tempDir('tracebench-serve-');
  const uploadsDir = join(dir.path, 'uploads');
  const session = new Session({ shell: 'browser', home: join(dir.path, 'home'), workspace: join(dir.path, 'cases') });
  const server = await startServer({ api: createWorkbench(session), grants: session.grants, distDir: join(dir.path, 'dist'), uploadsDir: () => uploadsDir, ...options });
  const api: TestShell['api'] = async (method, body, headers = {}) => {
    const r = await send(server.port, `/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Tracebench-Token': server.token, ...headers },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: JSON.parse(r.text) as { ok: boolean; result?: unknown; error?: string } };
  };
  return {
    server,
    session,
    dir: dir.path,
    uploadsDir,
    api,
    async ok<T>(method: string, body: unknown): Promise<T> {
      const r = await api(method, body);
      if (!r.body.ok) throw new Error(`${method}: ${r.status} ${r.body.error}`);
      return r.body.result as T;
    },
    async stop() {
      await server.close();
      await session.close();
      dir.remove();
    },
  };
}
