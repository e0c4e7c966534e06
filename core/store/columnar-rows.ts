// Reads a query's result column by column and converts it by the same specs as CaseStore.rows.
// For derived tables read whole after every import (thousands of processes, tens of thousands of
// lifecycle rows): @duckdb/node-api builds row objects several times slower than columns.
import type { JS } from '@duckdb/node-api';
import type { CaseStore } from './case-store.ts';
import { convertRow, type ColumnSpec, type RowOf } from './rows.ts';
import type { Sql } from './sql.ts';

export async function columnarRows<T extends Record<string, ColumnSpec>>(store: CaseStore, q: Sql, spec: T): Promise<RowOf<T>[]> {
  const { text, params } = q.render();
  const reader = await store.connection().runAndReadAll(text, params);
  const names = reader.columnNames();
  const columns = reader.getColumnsJS();
  const count = columns[0]?.length ?? 0;
  const out: RowOf<T>[] = new Array<RowOf<T>>(count);
  const raw: Record<string, JS> = {};
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < names.length; j++) raw[names[j] as string] = (columns[j] as JS[])[i] as JS;
    out[i] = convertRow(raw, spec);
  }
  return out;
}
