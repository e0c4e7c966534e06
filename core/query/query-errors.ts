// Errors of the analysts' query console: a refusal (the statement is not one the console runs)
// and a failure of an allowed statement (DuckDB's own message: unknown column, bad cast…).

export class QueryRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryRefusedError';
  }
}

export class QueryFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryFailedError';
  }
}
