// The browser shell's request guards: a random per-run token (header or HttpOnly cookie,
// compared in constant time), a Host check against DNS rebinding, and the security headers
// every response carries. No CORS headers are ever sent, so other origins cannot read answers.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CONTENT_SECURITY_POLICY } from '../../core/api/csp.ts';

export { CONTENT_SECURITY_POLICY };

export const TOKEN_HEADER = 'x-tracebench-token';
export const TOKEN_COOKIE = 'tb_token';

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

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The token a request presents (header first, then cookie), or undefined. */
export function presentedToken(req: IncomingMessage): string | undefined {
  const header = req.headers[TOKEN_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  return cookieValue(req.headers.cookie, TOKEN_COOKIE);
}

/** Only our own origin names reach the server: a rebinding attacker's host name is refused. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
