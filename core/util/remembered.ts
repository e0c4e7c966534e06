// A cache of promises by key: a read asked for again while it runs, or after, is shared; a failed
// read is forgotten so that the next ask tries again. Bounded by clearing when full (the callers
// keep a few dozen keys whose reads are cheap to redo).

/** The promise kept under `key`, made by `read` when absent; a failed read is not remembered. */
export function remembered<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>, limit: number): Promise<T> {
  let hit = cache.get(key);
  if (!hit) {
    if (cache.size >= limit) cache.clear();
    const made = read();
    cache.set(key, made);
    made.catch(() => cache.delete(key));
    hit = made;
  }
  return hit;
}
