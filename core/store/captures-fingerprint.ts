// What identifies a case's events for anything derived from them (the timeline's in-memory lane
// index, the process tree, the links): which captures, how many events each, their clock
// offsets. An import, a deletion or an alignment changes it; annotations and findings do not.
import type { CaseStore } from './case-store.ts';
import { sql } from './sql.ts';

export async function capturesFingerprint(store: CaseStore): Promise<string> {
  const row = await store.read.one(
    sql`SELECT coalesce(string_agg(capture_id || ':' || events || ':' || clock_offset_us, ',' ORDER BY capture_id), '') AS f FROM captures`,
    { f: 'str' },
  );
  return row?.f ?? '';
}
