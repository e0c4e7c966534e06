// Browser uploads: the request body is streamed straight to a file in the uploads folder (never
// held in memory). The client's file name is only used for display and, reduced to safe
// characters, as part of the stored name; it never chooses the folder. How much may be uploaded
// and when the files go again is upload-store.ts.
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync, utimesSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export class UploadTooLargeError extends Error {}

/** A display name from the client: its last path part, without control characters, at most 200 characters. */
export function displayNameOf(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return clean === '' || clean === '.' || clean === '..' ? 'upload' : clean;
}

/** A file-system-safe version of the name, prefixed so two uploads never collide. */
export function storedNameOf(displayName: string): string {
  const safe = displayName.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 120) || 'upload';
  return `${Date.now()}-${randomBytes(4).toString('hex')}-${safe}`;
}

export async function receiveUpload(
  req: IncomingMessage,
  uploadsDir: string,
  clientName: string,
  limit: number,
  tooLarge: (display: string) => UploadTooLargeError,
  /** The original file's modification time (ms), given to the copy: defaults are read from it. */
  modifiedMs?: number,
): Promise<{ path: string; display_name: string; bytes: number }> {
  const display = displayNameOf(clientName);
  mkdirSync(uploadsDir, { recursive: true });
  const target = join(uploadsDir, storedNameOf(display));
  const partial = `${target}.part`;
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (received > limit) done(tooLarge(display));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(req, counter, createWriteStream(partial, { flags: 'wx' }));
    if (modifiedMs !== undefined) utimesSync(partial, new Date(modifiedMs), new Date(modifiedMs));
    renameSync(partial, target);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  return { path: target, display_name: display, bytes: received };
}
