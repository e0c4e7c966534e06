// The app's own privileged scheme. The window loads `app://tracebench/index.html` instead of a
// file:// URL, so the page has a real origin of its own (file:// pages share one opaque origin
// with every local file and get extra privileges), and only the built renderer folder can be
// reached through it. Kept free of Electron imports so the path rules are unit-tested.
import { extname, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'tracebench';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_PAGE = `${APP_ORIGIN}/index.html`;

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * The file under `distDir` that `requestUrl` names, or null when the request is not for this app
 * (another scheme or host), leaves the folder (`..`, encoded or not), or has a type we never serve.
 */
export function resolveAppRequest(requestUrl: string, distDir: string): { path: string; mime: string } | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const root = resolve(distDir);
  const path = resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  if (!path.startsWith(root + sep)) return null;
  const mime = MIME_TYPES[extname(path).toLowerCase()];
  return mime ? { path, mime } : null;
}
