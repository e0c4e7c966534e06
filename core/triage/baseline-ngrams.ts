// Baseline diff over call sequences: per process, the share of its op trigrams (three
// consecutive calls of one thread) never seen for the same program image in the baseline.
// A known program that suddenly calls in patterns its baseline never showed (a python3 that
// starts ptrace-ing, an HMI that starts spawning shells) is reported; a program absent from the
// baseline is left to the "new program" rule.
import type { CaseStore } from '../store/case-store.ts';
import { rawSql, sql } from '../store/sql.ts';
import { IN_BASELINE } from './baseline-scope.ts';
import { FULL_SCOPE, type TriageScope } from './scope.ts';
import { CALLS, CALLS_WHERE, GRAM, NGRAM_Y, countTrigrams, startTrigramCount, type PendingTrigrams } from './ngram-counts.ts';
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

export async function ngramHits(store: CaseStore, scope: TriageScope = FULL_SCOPE, options: { windowOnly?: boolean; started?: PendingTrigrams } = {}): Promise<Hit[]> {
  // Baseline stretches of every capture give the known trigrams; only the scope is judged. The
  // baseline is a prefix of each capture, so lag() over these rows sees the same predecessors.
  // The one pass over every call counts trigrams per (capture, pid, process, baseline or not), the
  // ops coded as small integers so a trigram is one BIGINT, and the process name (the image where
  // the tree has none) as a small integer too (ngram-counts.ts: read in table order and counted in
  // JavaScript, the window query only for pids whose calls are not listed in time order). The
  // strings, the process tree's join and the lists of event ids are then handled per count, not
  // per call. Only the processes that pass read their calls again, for the novel events a finding shows.
  try {
    await countTrigrams(store, scope, options.started ?? (await startTrigramCount(store, scope, options.windowOnly)));
    await store.exec(sql`CREATE OR REPLACE TEMP TABLE triage_ngram_counts AS
      SELECT y.capture_id, coalesce(p.tgid, y.pid) AS tgid, coalesce(p.image, pr.process) AS image, y.pid, y.in_baseline, y.gram, CAST(sum(y.n) AS BIGINT) AS n
      FROM ${rawSql(NGRAM_Y)} y LEFT JOIN triage_proc p ON p.capture_id = y.capture_id AND p.pid = y.pid
             LEFT JOIN triage_ngram_procs pr ON pr.pcode = y.pcode
      GROUP BY ALL`);
    const groups = await store.rows(
      sql`WITH base AS (SELECT DISTINCT image, gram FROM triage_ngram_counts WHERE in_baseline AND image IS NOT NULL)
          SELECT c.capture_id, c.tgid, c.image, CAST(sum(c.n) AS BIGINT) AS n,
                 CAST(coalesce(sum(c.n) FILTER (WHERE base.gram IS NULL), 0) AS BIGINT) AS novel,
                 to_json(list(DISTINCT c.pid))::VARCHAR AS pids
          FROM triage_ngram_counts c LEFT JOIN base ON base.image = c.image AND base.gram = c.gram
          WHERE NOT c.in_baseline AND c.image IN (SELECT image FROM base)
          GROUP BY 1, 2, 3
          HAVING coalesce(sum(c.n) FILTER (WHERE base.gram IS NULL), 0) >= ${NGRAM_MIN_NOVEL}
             AND coalesce(sum(c.n) FILTER (WHERE base.gram IS NULL), 0) >= ${NGRAM_MIN_SHARE} * sum(c.n)`,
      { capture_id: 'num', tgid: 'num', image: 'str', n: 'num', novel: 'num', pids: 'str' },
    );
    const hits: Hit[] = [];
    for (const g of groups) {
      const ids = await novelEventIds(store, scope, g.capture_id, g.tgid, g.image, JSON.parse(g.pids) as number[]);
      const events = (await store.rows(
        sql`SELECT ${EVENT_SELECT}, p.image, p.parent_image, p.tgid, p.root_pid
            FROM event_rows e LEFT JOIN triage_proc p ON p.capture_id = e.capture_id AND p.pid = e.pid
            WHERE list_contains(CAST(CAST(${JSON.stringify(ids)} AS JSON) AS BIGINT[]), e.event_id) ORDER BY e.ts_us`,
        { ...EVENT_SPEC, image: 'str?', parent_image: 'str?', tgid: 'num?', root_pid: 'num?' },
      )) as TriageEvent[];
      hits.push({ events, detail: `${g.novel} of ${g.n} call trigrams of ${g.image} pid ${g.tgid} never occur for that image in the baseline` });
    }
    return hits;
  } finally {
    await store.exec(sql`DROP TABLE IF EXISTS triage_ngram_counts`);
    await store.exec(sql`DROP TABLE IF EXISTS ${rawSql(NGRAM_Y)}`);
    await store.exec(sql`DROP TABLE IF EXISTS triage_ngram_ops`);
    await store.exec(sql`DROP TABLE IF EXISTS triage_ngram_procs`);
  }
}

/** The first novel calls of one process (by time), for the finding to show: its pids' calls read again, whole partitions so lag() sees what it saw. */
async function novelEventIds(store: CaseStore, scope: TriageScope, captureId: number, tgid: number, image: string, pids: number[]): Promise<number[]> {
  const rows = await store.rows(
    sql`WITH x AS (
          SELECT e.event_id, e.ts_us, e.pid, e.process, ${IN_BASELINE} AS in_baseline, ${GRAM} AS gram
          FROM ${CALLS}
          WHERE ${CALLS_WHERE(scope)} AND e.capture_id = ${captureId} AND list_contains(CAST(CAST(${JSON.stringify(pids)} AS JSON) AS INTEGER[]), e.pid)
          WINDOW w AS (PARTITION BY e.capture_id, e.pid ORDER BY e.ts_us, e.event_id))
        SELECT x.event_id FROM x LEFT JOIN triage_proc p ON p.capture_id = ${captureId} AND p.pid = x.pid
        WHERE NOT x.in_baseline AND coalesce(p.tgid, x.pid) = ${tgid} AND coalesce(p.image, x.process) = ${image}
          AND NOT EXISTS (SELECT 1 FROM triage_ngram_counts c WHERE c.in_baseline AND c.image = ${image} AND c.gram = x.gram)
        ORDER BY x.ts_us, x.event_id LIMIT ${SAMPLE_EVENTS}`,
    { event_id: 'num' },
  );
  return rows.map((r) => r.event_id);
}
