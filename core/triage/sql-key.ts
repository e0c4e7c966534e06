// Structural keys of Sql fragments (same text and values → same key), to find the same expression
// in many compiled rules (field-cache.ts, batch-flat.ts): a digest over the parts, the values and
// the children's digests, memoised per fragment, so keys stay short however deep the tree.
import { createHash } from 'node:crypto';
import { Sql } from '../store/sql.ts';

const keys = new WeakMap<Sql, string>();

export function keyOf(s: Sql): string {
  let k = keys.get(s);
  if (k === undefined) {
    const shape = JSON.stringify([s.parts, s.values.map((v) => (v instanceof Sql ? keyOf(v) : typeof v === 'bigint' ? `${v}n` : v))]);
    k = createHash('sha256').update(shape).digest('base64');
    keys.set(s, k);
  }
  return k;
}
