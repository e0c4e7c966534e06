// Lists kept per key. Appending in place: rebuilding a key's list on every append (`[...old, x]`)
// made grouping quadratic in the list's length — thousands of findings sharing one entity or one
// incident cost seconds.

/** Appends `value` to the list kept under `key` (created on first use). */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
