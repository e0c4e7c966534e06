// SQL built only through this tag: every interpolated value becomes a bound parameter ($1, $2…),
// and nested fragments are spliced with their own parameters renumbered. Identifiers are never
// interpolated; code that must choose a column picks it from a fixed allow-list (`ident`).
import type { DuckDBValue } from '@duckdb/node-api';

export type SqlValue = string | number | bigint | boolean | null;

export class Sql {
  constructor(
    readonly parts: readonly string[],
    readonly values: readonly (SqlValue | Sql)[],
  ) {}

  /** Renders to text with $n placeholders and the flat list of bound values. */
  render(): { text: string; params: DuckDBValue[] } {
    const params: DuckDBValue[] = [];
    const text = this.renderInto(params);
    return { text, params };
  }

  private renderInto(params: DuckDBValue[]): string {
    let out = this.parts[0] ?? '';
    this.values.forEach((v, i) => {
      if (v instanceof Sql) out += v.renderInto(params);
      else {
        params.push(toParam(v));
        out += `$${params.length}`;
      }
      out += this.parts[i + 1] ?? '';
    });
    return out;
  }
}

function toParam(v: SqlValue): DuckDBValue {
  // Whole numbers bind as BIGINT so comparisons with integer columns stay exact.
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  return v;
}

export function sql(strings: TemplateStringsArray, ...values: (SqlValue | Sql)[]): Sql {
  return new Sql([...strings], values);
}

/** Joins fragments with a separator (itself literal SQL such as ' AND '). */
export function joinSql(fragments: readonly Sql[], separator: string): Sql {
  if (fragments.length === 0) return sql``;
  const parts: string[] = [''];
  const values: (SqlValue | Sql)[] = [];
  fragments.forEach((f, i) => {
    if (i > 0) parts[parts.length - 1] += separator;
    values.push(f);
    parts.push('');
  });
  return new Sql(parts, values);
}

/** A literal identifier taken from a fixed allow-list, so user text never becomes SQL. */
export function ident<T extends string>(name: string, allowed: readonly T[]): Sql {
  if (!(allowed as readonly string[]).includes(name)) {
    throw new Error(`not an allowed column: ${name}`);
  }
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad identifier: ${name}`);
  return new Sql([name], []);
}

/** Raw SQL text written by the programmer (never by a user): for fixed clauses. */
export function rawSql(text: string): Sql {
  return new Sql([text], []);
}
