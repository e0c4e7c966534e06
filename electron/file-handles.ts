// How a file the user chose in Electron reaches the backend: main (never the renderer) checks the
// path is a regular file and registers it with the backend's grant endpoint, then gives the
// renderer only the opaque id the backend issued. Used for the import dialog, the open-case
// dialog, drops (the preload turns a dropped File into its path with webUtils and hands it to
// main) and a second launch naming a case. No Electron imports: unit-tested with plain Node.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import type { Backend } from './backend.ts';
import { IpcRefusedError } from './ipc-guard.ts';

/** A capture the renderer may probe and import, by id. */
export interface FileHandle {
  file_id: string;
  display_name: string;
  /** ms since 1970 (the default date of time-of-day captures). */
  last_modified: number | null;
}

/** A case the renderer may open, by id. */
export interface CaseHandle {
  case_id: string;
  name: string;
}

/** The dropped files' paths the preload sends (webUtils.getPathForFile; '' for a File with no path). */
export const droppedPathsSchema = z.array(z.string().max(4096)).min(1).max(1000);

type Grant = Backend['grant'];

async function requireRegularFile(path: string): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new IpcRefusedError(`${basename(path) || 'the dropped item'} is not a regular file: import files, not folders or devices`);
}

/** Registers chosen or dropped captures; refuses the whole batch if one is not a regular file. */
export async function grantCaptures(grant: Grant, paths: string[]): Promise<FileHandle[]> {
  for (const path of paths) {
    if (path === '') throw new IpcRefusedError('a dropped item has no file on disk behind it');
    await requireRegularFile(path);
  }
  const handles: FileHandle[] = [];
  for (const path of paths) {
    const granted = await grant('capture', path);
    handles.push({ file_id: granted.id, display_name: granted.display_name, last_modified: granted.modified_ms });
  }
  return handles;
}

/** Registers a case file the user chose (open dialog, second launch). */
export async function grantCase(grant: Grant, path: string): Promise<CaseHandle> {
  await requireRegularFile(path);
  const granted = await grant('case', path);
  return { case_id: granted.id, name: granted.display_name.replace(/\.duckdb$/i, '') };
}
