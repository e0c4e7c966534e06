// The answer of the query console (CLI `query` and the UI's Query panel): a value type shared by
// core/query, which builds it, and the contract in core/api.ts, which carries it.

/** A cell of a query result: BIGINTs beyond 2^53 and values without a JSON form come as text. */
export type QueryCell = string | number | boolean | null | QueryCell[];

export interface QueryResponse {
  columns: string[];
  rows: QueryCell[][];
  /** The result had more rows than were asked for; add a LIMIT or narrow the WHERE. */
  truncated: boolean;
}
