// Migration 14's after-step: annotations written before tags were a list have one `tag` text,
// often several tags joined by commas ("malicious, initial-access"). Split each into `tags`
// with the same rules as new annotations (parseTags), and rewrite `tag` in the joined form.
import type { CaseSession } from '../store/case-session.ts';
import { sql } from '../store/sql.ts';
import { joinTags, parseTags } from './tags.ts';

export async function splitExistingAnnotationTags(session: CaseSession): Promise<void> {
  const rows = await session.rows(sql`SELECT annotation_id, tag FROM annotations WHERE tags IS NULL ORDER BY annotation_id`, { annotation_id: 'num', tag: 'str' });
  for (const row of rows) {
    const tags = parseTags(row.tag);
    // A tag of only commas or spaces keeps its text: nothing an analyst wrote is dropped.
    const kept = tags.length > 0 ? tags : [row.tag];
    await session.exec(
      sql`UPDATE annotations SET tags = CAST(CAST(${JSON.stringify(kept)} AS JSON) AS VARCHAR[]), tag = ${tags.length > 0 ? joinTags(tags) : row.tag}
          WHERE annotation_id = ${row.annotation_id}`,
    );
  }
}
