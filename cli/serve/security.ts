// The browser shell's request guards. Neighbours on 127.0.0.1 are treated as hostile: a page on
// another port shares the host name (and would share cookies, which are not scoped to a port),
// so the shell never uses a cookie. Every /api and /upload request must carry the token in the
// X-Tracebench-Token header (a header no cross-origin form, no-cors fetch or beacon can set),
// every state-changing request must come from the shell's own origin (or from a non-browser
// client, which sends no Origin), and Host must name this server exactly (DNS rebinding).
// No CORS headers are ever sent, so other origins cannot read answers either.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_SECURITY_POLICY } from '../../core/api/csp.ts';

export { CONTENT_SECURITY_POLICY };

export const TOKEN_HEADER = 'x-tracebench-token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison that also does not leak the expected length through timing of the compare. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(b, b); // spend the same work, then fail
    return false;
  }
  return timingSafeEqual(a, b);
}

/** The token the request carries in its header (never a cookie, query or body), or undefined. */
export function presentedToken(req: IncomingMessage): string | undefined {
  const header = req.headers[TOKEN_HEADER];
  return typeof header === 'string' && header !== '' ? header : undefined;
}

/** How many times a header occurs in the raw request (Node keeps only the first Host it sees). */
function headerCount(req: IncomingMessage, name: string): number {
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]?.toLowerCase() === name) count++;
  return count;
}

/**
 * Why the request does not name this server, or null when it does. Only our own names reach the
 * server: exactly `127.0.0.1:PORT` or `localhost:PORT`, compared byte for byte (no case folding,
 * trailing dot, other spelling of the address or second Host header), and only origin-form
 * request targets (`/path`), since an absolute target (`POST http://evil/ …`) would name another
 * authority than Host.
 */
export function hostRefusal(req: IncomingMessage, port: number): string | null {
  const host = req.headers.host;
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return `foreign Host ${JSON.stringify(host ?? '').slice(0, 100)}`;
  if (headerCount(req, 'host') !== 1) return 'more than one Host header';
  if (!(req.url ?? '').startsWith('/')) return 'absolute request target';
  return null;
}

/**
 * Why a state-changing request is refused as cross-origin, or null when it may go on. A browser
 * always sends Origin with a POST (fetch in any mode, forms, beacons) and Chromium also sends
 * Sec-Fetch-Site; both must say "this very origin". A request with neither header comes from a
 * non-browser client (the Electron shell's main process, curl, a script), which still needs the
 * token: without Origin there is no page whose cookies or credentials could be borrowed.
 * Call only after `hostRefusal`, so Host is one of our two names.
 */
export function crossOriginReason(req: IncomingMessage): string | null {
  const origin = req.headers.origin;
  if (origin !== undefined && (headerCount(req, 'origin') !== 1 || origin !== `http://${req.headers.host ?? ''}`)) {
    return `request from another origin (${origin.slice(0, 100)})`;
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return `request from another site (Sec-Fetch-Site: ${String(site).slice(0, 40)})`;
  return null;
}

export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-store');
}
