// Errors the workbench reports to the analyst, and how a transport classifies any error: the
// HTTP server turns the class into a status code; Electron passes the message on. Messages are
// written for the analyst; stacks never leave the backend.

/** An error with a message fit for the analyst and a status a transport can use. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 | 500 = 400,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class NoCaseOpenError extends ApiError {
  constructor() {
    super('no case is open: open a case, create one, or open the sample case', 409);
    this.name = 'NoCaseOpenError';
  }
}

export class ImportRunningError extends ApiError {
  constructor(what: string) {
    super(`an import is running: ${what} when it has finished (or cancel it)`, 409);
    this.name = 'ImportRunningError';
  }
}

const NOT_FOUND = new Set(['NoSuchEventError', 'NoSuchSubjectError', 'NoSuchCaptureError', 'NoSuchJobError', 'CaseNotFoundError']);
const BAD_REQUEST = new Set([
  'AlignError',
  'FilterError',
  'AnnotationError',
  'ImportError',
  'AmbiguousFormatError',
  'CaseVersionError',
  'ForeignDatabaseError',
  'QueryRefusedError',
  'QueryFailedError',
  'ExportTooLargeError',
]);
const CONFLICT = new Set(['CaseLockedError', 'ReadOnlyCaseError']);

/** HTTP-style status for any error thrown by a workbench method. */
export function statusForError(err: unknown): number {
  if (err instanceof ApiError) return err.status;
  if (!(err instanceof Error)) return 500;
  if (NOT_FOUND.has(err.name) || NOT_FOUND.has(err.constructor.name)) return 404;
  if (BAD_REQUEST.has(err.name) || BAD_REQUEST.has(err.constructor.name)) return 400;
  if (CONFLICT.has(err.name) || CONFLICT.has(err.constructor.name)) return 409;
  if (err.message.startsWith('invalid arguments for ')) return 400;
  return 500;
}
