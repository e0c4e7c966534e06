// Typed reading of result rows (DuckDB returns BIGINT as bigint, TIMESTAMP as objects): each
// query names the JS type of every column it reads, and values are converted deliberately.
import type { JS } from '@duckdb/node-api';

export type ColumnSpec = 'str' | 'str?' | 'num' | 'num?' | 'bool' | 'json?' | 'list';

type ValueOf<S extends ColumnSpec> = S extends 'str'
  ? string
  : S extends 'str?'
    ? string | null
    : S extends 'num'
      ? number
      : S extends 'num?'
        ? number | null
        : S extends 'bool'
          ? boolean
          : S extends 'list'
            ? string[]
            : Record<string, string | number | boolean | null> | null;

export type RowOf<T extends Record<string, ColumnSpec>> = { [K in keyof T]: ValueOf<T[K]> };

export function convertRow<T extends Record<string, ColumnSpec>>(
  raw: Record<string, JS>,
  spec: T,
): RowOf<T> {
  const out: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(spec)) {
    out[name] = convertValue(raw[name], kind, name);
  }
  return out as RowOf<T>;
}

function convertValue(v: JS | undefined, kind: ColumnSpec, name: string): unknown {
  const nullable = kind.endsWith('?');
  if (v === null || v === undefined) {
    if (kind === 'list') return [];
    if (nullable) return null;
    throw new Error(`column ${name} is NULL but the query said it never is`);
  }
  switch (kind) {
    case 'str':
    case 'str?':
      return typeof v === 'string' ? v : String(v);
    case 'num':
    case 'num?':
      if (typeof v === 'bigint' || typeof v === 'number') return Number(v);
      if (v instanceof Date) return v.getTime();
      throw new Error(`column ${name} is not a number`);
    case 'bool':
      return Boolean(v);
    case 'list':
      if (!Array.isArray(v)) throw new Error(`column ${name} is not a list`);
      return v.map((x) => (typeof x === 'string' ? x : String(x)));
    case 'json?':
      return typeof v === 'string' ? (JSON.parse(v) as unknown) : null;
  }
}
