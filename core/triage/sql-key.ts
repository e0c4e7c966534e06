// Structural keys of Sql fragments (same text and values → same key), to find the same expression
// in many compiled rules (field-cache.ts, batch-flat.ts). Each distinct shape — a fragment's parts
// and values with its children's keys in their place — gets the next small number, so a key is
// computed from one level of the tree and stays short however deep the tree is. One table per
// triage run: the numbers mean nothing across tables, and the table goes with the run.
import { Sql } from '../store/sql.ts';

export class SqlKeys {
  private readonly ids = new Map<string, number>();
  private readonly memo = new WeakMap<Sql, number>();

  of(s: Sql): number {
    let k = this.memo.get(s);
    if (k === undefined) {
      const shape = JSON.stringify([s.parts, s.values.map((v) => (v instanceof Sql ? this.of(v) : typeof v === 'bigint' ? `${v}n` : v))]);
      k = this.ids.get(shape);
      if (k === undefined) {
        k = this.ids.size;
        this.ids.set(shape, k);
      }
      this.memo.set(s, k);
    }
    return k;
  }
}
