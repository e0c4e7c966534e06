// Serves the built renderer (renderer/dist) read-only. Paths are resolved inside the folder and
// anything that would step outside it is refused; only known file types are served.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { sendText } from './responses.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export const RENDERER_NOT_BUILT = 'renderer not built: run npm run build';

export function rendererBuilt(distDir: string): boolean {
  return existsSync(join(distDir, 'index.html'));
}

/** Sends `urlPath` from `distDir`; answers 404 for anything missing, outside or of an unknown type. */
export function serveStatic(res: ServerResponse, distDir: string, urlPath: string): void {
  if (!rendererBuilt(distDir)) return sendText(res, 503, RENDERER_NOT_BUILT);
  const root = resolve(distDir);
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return sendText(res, 400, 'bad path');
  }
  const file = resolve(root, `.${normalize(`/${decoded}`)}`);
  if (decoded.includes('\0') || (file !== root && !file.startsWith(root + sep))) return sendText(res, 404, 'not found');
  const type = CONTENT_TYPES[extname(file).toLowerCase()];
  let size: number;
  try {
    const info = statSync(file);
    if (!info.isFile()) return sendText(res, 404, 'not found');
    size = info.size;
  } catch {
    return sendText(res, 404, 'not found');
  }
  if (!type) return sendText(res, 404, 'not found');
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': size });
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}
