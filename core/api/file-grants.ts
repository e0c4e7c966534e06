// Capabilities, not paths: the renderer never names a file the backend opens. A file reaches the
// backend only through something the user did (an upload in the browser shell, a native dialog or
// a drop in Electron, a case in the workspace folder, a path typed on the command line), and the
// host then issues an opaque, random id for it here. Contract methods that read a file take such
// an id and resolve it through this registry, so a script in the renderer can name only files the
// user already handed over. Ids live as long as the backend process (one session).
import { randomBytes } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { ApiError } from './errors.ts';

/** What a grant lets the renderer do with the file: import it as a capture, or open it as a case. */
export type GrantKind = 'capture' | 'case';

export interface FileGrant {
  kind: GrantKind;
  /** Absolute path on the host; never sent to the renderer by the registry. */
  path: string;
  display_name: string;
}

const PREFIX: Record<GrantKind, string> = { capture: 'cap_', case: 'case_' };

/** Ids look like `cap_<32 hex>` / `case_<32 hex>`: 128 random bits, not guessable. */
export const FILE_ID_PATTERN = /^(cap|case)_[0-9a-f]{32}$/;

export class UnknownFileIdError extends ApiError {
  constructor(kind: GrantKind) {
    super(`unknown ${kind === 'case' ? 'case' : 'file'} id: choose the ${kind === 'case' ? 'case' : 'file'} again (ids are issued by the host for files you picked, uploaded or named on the command line)`, 404);
    this.name = 'UnknownFileIdError';
  }
}

export class FileGrants {
  private readonly byId = new Map<string, FileGrant>();
  /** One id per (kind, path), so a case listed twice (workspace and recent) keeps one id. */
  private readonly byPath = new Map<string, string>();

  /** Issues (or returns the existing) id for `path`; the caller has decided the user chose it. */
  grant(kind: GrantKind, path: string, displayName?: string): string {
    const full = resolve(path);
    const key = `${kind}\u0000${full}`;
    const existing = this.byPath.get(key);
    if (existing !== undefined) return existing;
    const id = `${PREFIX[kind]}${randomBytes(16).toString('hex')}`;
    this.byId.set(id, { kind, path: full, display_name: displayName ?? basename(full) });
    this.byPath.set(key, id);
    return id;
  }

  /** The grant behind `id`, refusing ids this registry did not issue or issued for another kind. */
  resolve(kind: GrantKind, id: string): FileGrant {
    const found = this.byId.get(id);
    if (!found || found.kind !== kind) throw new UnknownFileIdError(kind);
    return found;
  }

  /** The id already issued for `path`, if any (without issuing one). */
  idOf(kind: GrantKind, path: string): string | null {
    return this.byPath.get(`${kind}\u0000${resolve(path)}`) ?? null;
  }

  /** Forgets an id (its file is gone, e.g. an upload removed after its import). */
  revokePath(kind: GrantKind, path: string): void {
    const key = `${kind}\u0000${resolve(path)}`;
    const id = this.byPath.get(key);
    if (id === undefined) return;
    this.byPath.delete(key);
    this.byId.delete(id);
  }
}
