// The browser shell's HTTP server: 127.0.0.1 only, one random token per run. It serves the built
// renderer (public: static code, no case data, no token) and exposes every WorkbenchApi method as
// POST /api/<method> (JSON in, JSON out), validating each payload with the same zod schemas the
// Electron IPC uses. Uploads stream to disk and are answered with a file id (never a path: the
// renderer names files only by ids the host issued, core/api/file-grants.ts); in Electron mode
// POST /grant lets main, and only main, register a file the user chose. The guards are in security.ts, session-token.ts,
// body-limits.ts and upload-store.ts; docs/shells.md describes the transport.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ImportJob, WorkbenchApi, WorkbenchMethod } from '../../core/api.ts';
import { statusForError } from '../../core/api/errors.ts';
import type { FileGrants } from '../../core/api/file-grants.ts';
import { isWorkbenchMethod, validateArgs } from '../../core/api/schemas.ts';
import { GRANT_HEADER, grantPath, presentsGrantSecret } from './grant-endpoint.ts';
import { bodyLimitOf } from './body-limits.ts';
import { sendError, sendJson } from './responses.ts';
import { crossOriginReason, hostRefusal, presentedToken, setSecurityHeaders } from './security.ts';
import { SessionToken } from './session-token.ts';
import { serveStatic } from './static-files.ts';
import { UploadTooLargeError } from './upload.ts';
import { UPLOAD_FILE_LIMIT_BYTES, UPLOAD_TOTAL_LIMIT_BYTES, UploadStore, type UploadLimits } from './upload-store.ts';

/** A session left without a request this long gets a new token (see session-token.ts). */
export const DEFAULT_IDLE_MS = 60 * 60 * 1000;
/** Refused requests logged on stderr per run (an attacking page could send any number). */
const REFUSALS_LOGGED = 200;

export interface ServeOptions {
  api: WorkbenchApi;
  /** The session's file ids: uploads get one, the contract's file methods resolve them. */
  grants: FileGrants;
  /**
   * Only for Electron's backend: enables POST /grant for callers presenting this secret (main).
   * Absent in the browser shell, which then has no way to turn a path into a file id.
   */
  grantSecret?: string;
  /** Folder of the built renderer (renderer/dist). */
  distDir: string;
  /** Where uploads go right now (next to the open case, else in the workspace). */
  uploadsDir: () => string;
  /** 0 (default) picks a free port. */
  port?: number;
  token?: string;
  /** Idle time before the token is replaced; 0 = never. Default DEFAULT_IDLE_MS. */
  idleMs?: number;
  /** Told the new URL when the token was replaced after idling (the command prints it). */
  onTokenRotated?: (url: string) => void;
  uploadLimits?: UploadLimits;
  /** How often the end of an upload's import is checked (tests make it short). */
  importPollMs?: number;
  now?: () => number;
}

export interface RunningServer {
  /** The URL to open: the token travels in the fragment, which the browser never sends. */
  readonly url: string;
  readonly port: number;
  /** The token right now (it changes after an idle period). */
  readonly token: string;
  /** Paths of the uploads on disk right now. */
  uploads(): string[];
  close(): Promise<void>;
}

export function shellUrl(port: number, token: string): string {
  return `http://127.0.0.1:${port}/#token=${token}`;
}

class BodyTooLargeError extends Error {}

async function readBody(req: IncomingMessage, limit: number, method: string): Promise<string> {
  const tooLarge = (): BodyTooLargeError => new BodyTooLargeError(`${method}: request body larger than ${limit} bytes refused`);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Calls one contract method with already validated arguments. */
async function callMethod(api: WorkbenchApi, method: WorkbenchMethod, args: unknown): Promise<unknown> {
  const fn = api[method] as (a: unknown) => Promise<unknown>;
  return fn(args);
}

/** An answer that also ends the connection, so the rest of a refused body is never read. */
function refuse(res: ServerResponse, status: number, message: string): void {
  res.setHeader('Connection', 'close');
  sendError(res, status, message);
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  let port = 0;
  const uploads = new UploadStore(
    options.uploadLimits ?? { perFile: UPLOAD_FILE_LIMIT_BYTES, total: UPLOAD_TOTAL_LIMIT_BYTES },
    async (jobId) => (await options.api.importStatus({ job_id: jobId })).state === 'running',
    options.importPollMs,
    (path) => options.grants.revokePath('capture', path),
  );
  const session = new SessionToken({
    token: options.token,
    idleMs,
    now: options.now,
    onRotate: (fresh) => {
      uploads.removeUnclaimed();
      options.onTokenRotated?.(shellUrl(port, fresh));
    },
  });

  let refusalsLogged = 0;
  const logRefusal = (req: IncomingMessage, reason: string): void => {
    if (refusalsLogged > REFUSALS_LOGGED) return;
    refusalsLogged++;
    const line =
      refusalsLogged > REFUSALS_LOGGED
        ? 'further refused requests are not logged'
        : `refused ${req.method ?? '?'} ${(req.url ?? '').split('?')[0]?.slice(0, 100)}: ${reason}`;
    process.stderr.write(`tracebench serve: ${line}\n`);
  };

  /** The token check of every /api and /upload request; answers and logs a refusal itself. */
  const authorised = (req: IncomingMessage, res: ServerResponse): boolean => {
    const check = session.check(presentedToken(req));
    if (check === 'ok') return true;
    logRefusal(req, `${check} token`);
    if (check === 'missing') refuse(res, 401, 'missing X-Tracebench-Token header: open the URL printed by "tracebench serve"');
    else if (check === 'expired') {
      const minutes = Number((idleMs / 60_000).toPrecision(3));
      refuse(res, 401, `session expired after ${minutes} minutes without activity: open the new URL printed by "tracebench serve"`);
    } else refuse(res, 403, 'wrong token');
    return false;
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (!isWorkbenchMethod(name)) return refuse(res, 404, `unknown method "${name.slice(0, 80)}"`);
    let payload: unknown;
    try {
      const text = await readBody(req, bodyLimitOf(name), name);
      payload = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return refuse(res, 413, err.message);
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
      if (name === 'startImport') {
        const imported = options.grants.resolve('capture', (args as { file_id: string }).file_id).path;
        uploads.importStarted(imported, (result as ImportJob).job_id);
      }
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
    if (!name) return refuse(res, 400, 'upload needs ?name=<file name>');
    const modified = url.searchParams.get('modified');
    if (modified !== null && !/^\d{1,15}$/.test(modified)) return refuse(res, 400, 'upload: ?modified= must be milliseconds since 1970');
    try {
      const stored = await uploads.receive(req, options.uploadsDir(), name, modified === null ? undefined : Number(modified));
      sendJson(res, 200, { ok: true, result: { file_id: options.grants.grant('capture', stored.path, stored.display_name), display_name: stored.display_name } });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof UploadTooLargeError) {
        process.stderr.write(`tracebench serve: ${message}\n`);
        return refuse(res, 413, message);
      }
      refuse(res, 500, message);
    } finally {
      session.touch(); // a long upload is activity until its last byte
    }
  }

  /** Electron main registering a file the user chose (grant-endpoint.ts). */
  async function handleGrant(req: IncomingMessage, res: ServerResponse, secret: string): Promise<void> {
    if (!presentsGrantSecret(req.headers[GRANT_HEADER], secret)) {
      logRefusal(req, 'missing or wrong grant secret');
      return refuse(res, 403, 'grant refused: only the Electron main process may register files');
    }
    let payload: unknown;
    try {
      const text = await readBody(req, 64 * 1024, 'grant');
      payload = JSON.parse(text) as unknown;
    } catch {
      return refuse(res, 400, 'grant: the request body is not JSON');
    }
    try {
      sendJson(res, 200, { ok: true, result: await grantPath(options.grants, payload) });
    } catch (err) {
      sendError(res, 400, `grant refused: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    const foreignHost = hostRefusal(req, port);
    if (foreignHost !== null) {
      logRefusal(req, foreignHost);
      return refuse(res, 403, 'this server answers only to 127.0.0.1 and localhost');
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const method = req.method ?? 'GET';
    const isApi = url.pathname.startsWith('/api/');
    const isUpload = url.pathname === '/upload';
    // The browser shell has no grant endpoint: the path is unknown there, like any other.
    const isGrant = url.pathname === '/grant' && options.grantSecret !== undefined;
    if (method === 'POST' && (isApi || isUpload || isGrant)) {
      const crossOrigin = crossOriginReason(req);
      if (crossOrigin !== null) {
        logRefusal(req, crossOrigin);
        return refuse(res, 403, `${crossOrigin} refused: the shell takes calls only from its own page`);
      }
      if (!authorised(req, res)) return;
      if (isGrant && options.grantSecret !== undefined) return handleGrant(req, res, options.grantSecret);
      return isApi ? handleApi(req, res, url.pathname.slice('/api/'.length)) : handleUpload(req, res, url);
    }
    if ((method !== 'GET' && method !== 'HEAD') || isApi || isUpload || isGrant) return refuse(res, 405, `${method} not allowed here`);
    // The app itself is public: the same bytes for everyone, holding no token and no case data,
    // so a reload (which cannot send a header) works. Everything about a case is behind /api.
    return serveStatic(res, options.distDir, url.pathname === '/' ? '/index.html' : url.pathname);
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
  // Replace an idle token even when no request comes, so the terminal says so at the time.
  const idleTimer = idleMs > 0 ? setInterval(() => session.expireIfIdle(), Math.min(idleMs, 60_000)) : null;
  idleTimer?.unref();
  return {
    get url() {
      return shellUrl(port, session.value);
    },
    port,
    get token() {
      return session.value;
    },
    uploads: () => uploads.paths,
    close: () =>
      new Promise<void>((resolveClose) => {
        if (idleTimer) clearInterval(idleTimer);
        server.closeAllConnections();
        server.close(() => {
          uploads.removeAll();
          resolveClose();
        });
      }),
  };
}
