// The browser shell's HTTP server: 127.0.0.1 only, one random token per run. It serves the built
// renderer and exposes every WorkbenchApi method as POST /api/<method> (JSON in, JSON out),
// validating each payload with the same zod schemas the Electron IPC uses. Uploads stream to
// disk. See docs/shells.md for the transport.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkbenchApi, WorkbenchMethod } from '../../core/api.ts';
import { statusForError } from '../../core/api/errors.ts';
import { isWorkbenchMethod, validateArgs } from '../../core/api/schemas.ts';
import { sendError, sendJson, sendText } from './responses.ts';
import { hostAllowed, newToken, presentedToken, setSecurityHeaders, tokenCookie, tokensEqual } from './security.ts';
import { rendererBuilt, RENDERER_NOT_BUILT, serveStatic } from './static-files.ts';
import { receiveUpload, UploadTooLargeError } from './upload.ts';

export const API_BODY_LIMIT_BYTES = 1024 * 1024;

export interface ServeOptions {
  api: WorkbenchApi;
  /** Folder of the built renderer (renderer/dist). */
  distDir: string;
  /** Where uploads go right now (next to the open case, else in the workspace). */
  uploadsDir: () => string;
  /** 0 (default) picks a free port. */
  port?: number;
  token?: string;
  apiBodyLimit?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

class BodyTooLargeError extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLargeError(`request body larger than ${limit} bytes refused`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(`request body larger than ${limit} bytes refused`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Calls one contract method with already validated arguments. */
async function callMethod(api: WorkbenchApi, method: WorkbenchMethod, args: unknown): Promise<unknown> {
  const fn = api[method] as (a: unknown) => Promise<unknown>;
  return fn(args);
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? newToken();
  const bodyLimit = options.apiBodyLimit ?? API_BODY_LIMIT_BYTES;
  let port = 0;

  const authorised = (req: IncomingMessage, res: ServerResponse, given = presentedToken(req)): boolean => {
    if (given === undefined) {
      sendError(res, 401, 'missing token: open the URL printed by "tracebench serve"');
      return false;
    }
    if (!tokensEqual(given, token)) {
      sendError(res, 403, 'wrong token');
      return false;
    }
    return true;
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (!isWorkbenchMethod(name)) return sendError(res, 404, `unknown method "${name.slice(0, 80)}"`);
    let payload: unknown;
    try {
      const text = await readBody(req, bodyLimit);
      payload = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return sendError(res, 413, err.message);
      return sendError(res, 400, 'the request body is not JSON');
    }
    let args: unknown;
    try {
      args = validateArgs(name, payload);
    } catch (err) {
      return sendError(res, 400, err instanceof Error ? err.message : String(err));
    }
    try {
      const started = performance.now();
      const result = await callMethod(options.api, name, args);
      // How long the backend took (devtools show it; the UI benchmark separates it from transfer).
      res.setHeader('Server-Timing', `api;dur=${(performance.now() - started).toFixed(1)}`);
      sendJson(res, 200, { ok: true, result });
    } catch (err) {
      const status = statusForError(err);
      const message = err instanceof Error ? err.message : String(err);
      if (status >= 500) process.stderr.write(`tracebench serve: ${name} failed: ${err instanceof Error ? (err.stack ?? message) : message}\n`);
      sendError(res, status, message);
    }
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const name = url.searchParams.get('name');
    if (!name) return sendError(res, 400, 'upload needs ?name=<file name>');
    const modified = url.searchParams.get('modified');
    if (modified !== null && !/^\d{1,15}$/.test(modified)) return sendError(res, 400, 'upload: ?modified= must be milliseconds since 1970');
    try {
      sendJson(res, 200, { ok: true, result: await receiveUpload(req, options.uploadsDir(), name, undefined, modified === null ? undefined : Number(modified)) });
    } catch (err) {
      sendError(res, err instanceof UploadTooLargeError ? 413 : 500, err instanceof Error ? err.message : String(err));
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    if (!hostAllowed(req.headers.host, port)) return sendError(res, 403, 'this server answers only to 127.0.0.1 and localhost');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const method = req.method ?? 'GET';
    if (method === 'POST' && url.pathname.startsWith('/api/')) {
      if (!authorised(req, res)) return;
      return handleApi(req, res, url.pathname.slice('/api/'.length));
    }
    if (method === 'POST' && url.pathname === '/upload') {
      if (!authorised(req, res)) return;
      return handleUpload(req, res, url);
    }
    if (method !== 'GET' && method !== 'HEAD') return sendError(res, 405, `${method} not allowed here`);
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const fromQuery = url.searchParams.get('token') ?? undefined;
      if (!authorised(req, res, fromQuery ?? presentedToken(req))) return;
      if (fromQuery !== undefined) res.setHeader('Set-Cookie', tokenCookie(token));
      if (!rendererBuilt(options.distDir)) return sendText(res, 503, RENDERER_NOT_BUILT);
      return serveStatic(res, options.distDir, '/index.html');
    }
    if (!authorised(req, res)) return;
    return serveStatic(res, options.distDir, url.pathname);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, err instanceof Error ? err.message : String(err));
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
