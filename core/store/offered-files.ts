// Files offered to a case that did not become a capture: their format was not recognised or
// was ambiguous, or their import failed or was cancelled. Recorded (migration 6) so the report
// can say what the case does not contain instead of the file silently not being there.
import type { CaseStore } from './case-store.ts';
import { sql } from './sql.ts';

export interface OfferedFile {
  file_name: string;
  file_path: string | null;
  size_bytes: number | null;
  /** Hex SHA-256 of the file, when it was read whole. */
  sha256: string | null;
  reason: string;
}

/** An offered file as the report lists it: repeated offers of the same file folded into one. */
export interface NotImportedFile extends Omit<OfferedFile, 'file_path'> {
  offered_at: string;
  times_offered: number;
}

const MAX_REASON = 2000;

export async function recordOfferedFile(store: CaseStore, file: OfferedFile): Promise<void> {
  // One statement (no transaction): the main connection also serves other calls meanwhile.
  await store.exec(
    sql`INSERT INTO offered_files
        SELECT coalesce(max(offered_id), 0) + 1, ${file.file_name}, ${file.file_path}, ${file.size_bytes}, ${file.sha256},
               ${file.reason.slice(0, MAX_REASON)}, now()::TIMESTAMP
        FROM offered_files`,
  );
}

/**
 * Offered files that are still not in the case: an offer is settled once a capture with the
 * same bytes (SHA-256), or, when those were not read, the same name and size, was imported.
 * The latest reason is shown for each file.
 */
export async function listNotImported(store: CaseStore): Promise<NotImportedFile[]> {
  return store.rows(
    sql`SELECT o.file_name, o.size_bytes, max(o.sha256) AS sha256, arg_max(o.reason, o.offered_id) AS reason,
               strftime(max(o.offered_at), '%Y-%m-%dT%H:%M:%SZ') AS offered_at, count(*) AS times_offered
        FROM offered_files o
        WHERE NOT EXISTS (SELECT 1 FROM captures c
                          WHERE (o.sha256 IS NOT NULL AND c.sha256 = o.sha256)
                             OR (o.sha256 IS NULL AND c.file_name = o.file_name AND c.size_bytes IS NOT DISTINCT FROM o.size_bytes))
        GROUP BY o.file_name, o.size_bytes
        ORDER BY min(o.offered_id)`,
    { file_name: 'str', size_bytes: 'num?', sha256: 'str?', reason: 'str', offered_at: 'str', times_offered: 'num' },
  );
}
