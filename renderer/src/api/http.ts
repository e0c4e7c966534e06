// The browser transport: each WorkbenchApi method is a POST to /api/<method> carrying the token
// in a header; the server answers {ok:true,result} or {ok:false,error}.
import type { WorkbenchApi, WorkbenchMethod } from '../../../core/api.ts';
import { WORKBENCH_METHOD_NAMES } from './methods.ts';

const TOKEN_KEY = 'tracebench-token';

/**
 * Takes the token from `?token=` (first load), keeps it in sessionStorage and strips it from the
 * address bar so it does not end up in screenshots, history or a copied link.
 */
export function takeTokenFromLocation(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(
    readonly method: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Reads the server's error field, which may be a string or an object with a message. */
export function errorMessageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') return error.message;
  return 'the server reported an error without a message';
}

function headers(token: string | null, contentType: string): Record<string, string> {
  const result: Record<string, string> = { 'content-type': contentType };
  // Without a token the session cookie set by the first page load still authenticates.
  if (token) result['X-Tracebench-Token'] = token;
  return result;
}

async function readEnvelope(method: string, response: Response): Promise<unknown> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(method, `${method}: HTTP ${response.status} with a body that is not JSON`);
  }
  if (body && typeof body === 'object' && 'ok' in body) {
    if (body.ok === true && 'result' in body) return body.result;
    if (body.ok === false) throw new ApiError(method, errorMessageOf('error' in body ? body.error : undefined));
  }
  throw new ApiError(method, `${method}: unexpected answer (HTTP ${response.status})`);
}

export function createHttpApi(token: string | null): WorkbenchApi {
  const call = async (method: WorkbenchMethod, args: unknown): Promise<unknown> => {
    const response = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: headers(token, 'application/json'),
      body: JSON.stringify(args ?? {}),
      credentials: 'same-origin',
    });
    return readEnvelope(method, response);
  };
  const api: Record<string, (args: unknown) => Promise<unknown>> = {};
  for (const method of WORKBENCH_METHOD_NAMES) api[method] = (args) => call(method, args);
  // Each entry forwards its argument unchanged and resolves to the server's result for that
  // method; the server validates arguments with the contract's zod schemas.
  return api as unknown as WorkbenchApi;
}

export interface UploadedFile {
  path: string;
  display_name: string;
}

/** Sends one file's bytes to the server, which stores it and answers with a path to import. */
export async function uploadFile(token: string | null, file: File): Promise<UploadedFile> {
  // the original's modification time, so the server's copy keeps it: the documented default date
  // (time-of-day captures) and start (frida-trace) come from it
  const modified = file.lastModified > 0 ? `&modified=${file.lastModified}` : '';
  const response = await fetch(`/upload?name=${encodeURIComponent(file.name)}${modified}`, {
    method: 'POST',
    headers: headers(token, 'application/octet-stream'),
    body: file,
    credentials: 'same-origin',
  });
  const result = await readEnvelope('upload', response);
  if (result && typeof result === 'object' && 'path' in result && typeof result.path === 'string') {
    const displayName = 'display_name' in result && typeof result.display_name === 'string' ? result.display_name : file.name;
    return { path: result.path, display_name: displayName };
  }
  throw new ApiError('upload', 'upload: the server did not return a path');
}
