// The browser transport: each WorkbenchApi method is a POST to /api/<method> carrying the token
// in a header; the server answers {ok:true,result} or {ok:false,error}.
import type { WorkbenchApi, WorkbenchMethod } from '../../../core/api.ts';
import { WORKBENCH_METHOD_NAMES } from './methods.ts';

const TOKEN_KEY = 'tracebench-token';

/** The token in a fragment such as `#token=T` (the only place the printed URL carries it). */
export function tokenInFragment(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && /^[\w-]{16,200}$/.test(token) ? token : null;
}

/** The fragment's other parameters (a view state), without the token and the leading #. */
export function withoutToken(hash: string): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  params.delete('token');
  return params.toString();
}

/**
 * Takes the token from the URL fragment `#token=…` (the URL `tracebench serve` prints), keeps it
 * in this tab's sessionStorage and strips it from the address bar so it does not end up in
 * screenshots, history or a copied link. A fragment is never sent to any server, so the token
 * does not travel in a request line either. After a reload the page finds it in sessionStorage;
 * the server sets no cookie (cookies are not scoped to a port: a neighbour on 127.0.0.1 would get it).
 */
export function takeTokenFromLocation(): string | null {
  const fromFragment = tokenInFragment(window.location.hash);
  if (fromFragment) {
    sessionStorage.setItem(TOKEN_KEY, fromFragment);
    // Only the token goes: a view state in the same fragment (state/url-state.ts) stays.
    const rest = withoutToken(window.location.hash);
    window.history.replaceState(null, '', window.location.pathname + window.location.search + (rest ? `#${rest}` : ''));
    return fromFragment;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

/**
 * Pasting the URL with a new token (after the server replaced an idle one) into a tab already on
 * the shell changes only the fragment, which does not reload the page: store the token and reload.
 */
export function reloadOnNewToken(): void {
  window.addEventListener('hashchange', () => {
    if (tokenInFragment(window.location.hash) === null) return;
    takeTokenFromLocation();
    window.location.reload();
  });
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
  // Without a token the server answers 401 with a message saying which URL to open.
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
      credentials: 'omit',
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
  file_id: string;
  display_name: string;
}

/** Sends one file's bytes to the server, which stores it and answers with an id to import it by. */
export async function uploadFile(token: string | null, file: File): Promise<UploadedFile> {
  // the original's modification time, so the server's copy keeps it: the documented default date
  // (time-of-day captures) and start (frida-trace) come from it
  const modified = file.lastModified > 0 ? `&modified=${file.lastModified}` : '';
  let response: Response;
  try {
    response = await fetch(`/upload?name=${encodeURIComponent(file.name)}${modified}`, {
      method: 'POST',
      headers: headers(token, 'application/octet-stream'),
      body: file,
      credentials: 'omit',
    });
  } catch (err) {
    // The server closes the connection on a refused upload rather than read gigabytes it will
    // not keep; the browser may then see only a network error, not the 413 and its message.
    const reason = err instanceof Error ? err.message : String(err);
    throw new ApiError('upload', `upload of ${file.name} failed (${reason}): the connection closed before the server answered; a file over the shell's upload limit is refused this way, and the terminal running "tracebench serve" says why`);
  }
  const result = await readEnvelope('upload', response);
  if (result && typeof result === 'object' && 'file_id' in result && typeof result.file_id === 'string') {
    const displayName = 'display_name' in result && typeof result.display_name === 'string' ? result.display_name : file.name;
    return { file_id: result.file_id, display_name: displayName };
  }
  throw new ApiError('upload', 'upload: the server did not return a file id');
}
