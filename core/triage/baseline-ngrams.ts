// Baseline diff over call sequences: per process, the share of its op trigrams (three
// consecutive calls of one thread) never seen for the same program image in the baseline.
// A known program that suddenly calls in patterns its baseline never showed (a python3 that
// starts ptrace-ing, an HMI that starts spawning shells) is reported; a program absent from the
// baseline is left to the "new program" rule.
import type { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { IN_BASELINE } from './baseline-scope.ts';
import { FULL_SCOPE, inScope, type TriageScope } from './scope.ts';
import type { Hit, TriageEvent } from './engine.ts';
import { EVENT_SELECT, EVENT_SPEC } from '../store/event-rows.ts';
import type { Rule } from './sigma/types.ts';

export const NGRAM_MIN_NOVEL = 10;
export const NGRAM_MIN_SHARE = 0.3;
const SAMPLE_EVENTS = 20;

export const NGRAM_RULE: Rule = {
  id: 'tb-baseline-call-sequence',
  title: 'Known program calls in sequences its baseline never showed',
  description: 'Op trigrams per thread compared with the same image in the baseline.',
  level: 'low',
  attack: [],
  tags: [],
  logsource: { product: 'any' },
  selections: new Map(),
  condition: null,
  correlation: null,
  why: 'On an ICS host the same programs run the same way for months; a familiar image (an interpreter, the HMI runtime) behaving differently is how hijacked or abused trusted software shows up.',
  check_next: [
    'Open the first novel events and read the arguments of the calls around them.',
    'Compare the process command line with the baseline instances of the same image.',
  ],
  falsepositives: ['Rare but legitimate code paths (log rotation, reconnects, updates) in a short baseline'],
  score: null,
  groupBy: 'process',
  file: '(built-in)',
  line: 0,
};

export async function ngramHits(store: CaseStore, scope: TriageScope = FULL_SCOPE): Promise<Hit[]> {
  // Baseline stretches of every capture give the known trigrams; only the scope is judged. The
  // baseline is a prefix of each capture, so lag() over these rows sees the same predecessors.
  const groups = await store.rows(
    sql`WITH x AS (
          SELECT e.event_id, e.capture_id, coalesce(p.tgid, e.pid) AS tgid, coalesce(p.image, e.process) AS image, e.ts_us,
                 concat_ws('>', lag(e.op, 2) OVER w, lag(e.op, 1) OVER w, e.op) AS gram, ${IN_BASELINE} AS in_baseline
          FROM event_rows e
          LEFT JOIN triage_proc p ON p.capture_id = e.capture_id AND p.pid = e.pid
          JOIN triage_baseline b ON b.capture_id = e.capture_id
          WHERE e.kind = 'api' AND e.pid IS NOT NULL AND (${inScope(scope)} OR ${IN_BASELINE})
          WINDOW w AS (PARTITION BY e.capture_id, e.pid ORDER BY e.ts_us, e.event_id)),
        base AS (SELECT DISTINCT image, gram FROM x WHERE in_baseline AND image IS NOT NULL)
        SELECT x.capture_id, x.tgid, x.image, count(*) AS n, count(*) FILTER (WHERE base.gram IS NULL) AS novel,
               to_json(list(x.event_id ORDER BY x.ts_us) FILTER (WHERE base.gram IS NULL))::VARCHAR AS ids
        FROM x LEFT JOIN base ON base.image = x.image AND base.gram = x.gram
        WHERE NOT x.in_baseline AND x.image IN (SELECT image FROM base)
        GROUP BY 1, 2, 3
        HAVING count(*) FILTER (WHERE base.gram IS NULL) >= ${NGRAM_MIN_NOVEL}
           AND count(*) FILTER (WHERE base.gram IS NULL) >= ${NGRAM_MIN_SHARE} * count(*)`,
    { capture_id: 'num', tgid: 'num', image: 'str', n: 'num', novel: 'num', ids: 'str' },
  );
  const hits: Hit[] = [];
  for (const g of groups) {
    const ids = (JSON.parse(g.ids) as number[]).slice(0, SAMPLE_EVENTS);
    const events = (await store.rows(
      sql`SELECT ${EVENT_SELECT}, p.image, p.parent_image, p.tgid, p.root_pid
          FROM event_rows e LEFT JOIN triage_proc p ON p.capture_id = e.capture_id AND p.pid = e.pid
          WHERE list_contains(CAST(CAST(${JSON.stringify(ids)} AS JSON) AS BIGINT[]), e.event_id) ORDER BY e.ts_us`,
      { ...EVENT_SPEC, image: 'str?', parent_image: 'str?', tgid: 'num?', root_pid: 'num?' },
    )) as TriageEvent[];
    hits.push({ events, detail: `${g.novel} of ${g.n} call trigrams of ${g.image} pid ${g.tgid} never occur for that image in the baseline` });
  }
  return hits;
}
