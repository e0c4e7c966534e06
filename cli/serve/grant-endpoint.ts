// POST /grant: how Electron's main process hands the backend a file the user chose in a native
// dialog or dropped on the window. Only `tracebench serve --shell electron` has it, and it wants a
// second secret (X-Tracebench-Grant) that the backend prints once on its stdout, which only main
// reads; the renderer never learns it, and the browser shell has no grant endpoint at all, so a
// script in either renderer cannot turn a path into a file id. Main checks the path is a regular
// file before asking; this checks again, since a path is only as good as what is there now.
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { z } from 'zod';
import type { FileGrants } from '../../core/api/file-grants.ts';
import { newToken, tokensEqual } from './security.ts';

export const GRANT_HEADER = 'x-tracebench-grant';
/** The line `serve --shell electron` prints before its URL line (electron/backend.ts reads it). */
export const GRANT_SECRET_LINE = 'Tracebench grant secret: ';

export const grantRequestSchema = z.object({ kind: z.enum(['capture', 'case']), path: z.string().min(1).max(4096) }).strict();

export interface GrantAnswer {
  id: string;
  display_name: string;
  size: number;
  /** Modification time, ms since 1970 (the default date of time-of-day captures). */
  modified_ms: number;
}

export function newGrantSecret(): string {
  return newToken();
}

/** True when the request carries the grant secret (constant-time compare). */
export function presentsGrantSecret(header: string | string[] | undefined, secret: string): boolean {
  return typeof header === 'string' && tokensEqual(header, secret);
}

/** Grants one path the user chose; refuses anything that is not a regular file. */
export async function grantPath(grants: FileGrants, payload: unknown): Promise<GrantAnswer> {
  const request = grantRequestSchema.parse(payload);
  const path = resolve(request.path);
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new GrantRefusedError(`${basename(path)} is not a regular file`);
  return { id: grants.grant(request.kind, path), display_name: basename(path), size: info.size, modified_ms: Math.round(info.mtimeMs) };
}

export class GrantRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GrantRefusedError';
  }
}
