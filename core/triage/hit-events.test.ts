// Correlation rules decide on a few columns and read whole events for their hits only
// (hit-events.ts): their hits — every event with every column, the counted values, details and
// novelty keys — must equal what selecting whole events up front gives, for the shipped threshold,
// sequence and novelty rules and inline ones grouping by host and tree and counting distinct values, over
// random calls in two captures, in a full and an incremental scope.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { CaseStore } from '../store/case-store.ts';
import { joinSql, sql, type Sql } from '../store/sql.ts';
import { caseForTests } from '../testing/temp-case.ts';
import { IN_BASELINE, prepareBaselineScope } from './baseline-scope.ts';
import { isSingleEvent } from './batch.ts';
import { FROM, MAX_EVENTS_PER_RULE, SELECT, SPEC, crossesCaptures, runRule, sequenceHits, thresholdHits, type Hit, type TriageEvent } from './engine.ts';
import { buildProcessTree } from './process-tree.ts';
import { loadRules, SHIPPED_RULES_DIR } from './rules-load.ts';
import { FULL_SCOPE, eventInScope, inScope, scopeOf, scopeWindowParts, type TriageScope } from './scope.ts';
import { compileCondition } from './sigma/compile.ts';
import { fieldExpr } from './sigma/fields.ts';
import { parseRuleFile } from './sigma/parse.ts';
import type { Rule } from './sigma/types.ts';
import { addCapture, serviceShellsOut } from './testing/build-case.ts';
import { randomCalls, toEvents } from './testing/random-calls.ts';

const INLINE = `
title: distinct secrets touched
id: t-distinct-secrets
level: low
detection:
  sel:
    op: [openat, read, write]
    target|contains: secret
  condition: sel
correlation:
  type: threshold
  count: 2
  distinct: target
  within: 60s
  group_by: host
---
title: programs run across a process tree
id: t-tree-execs
level: low
detection:
  sel:
    op: execve
  condition: sel
correlation:
  type: threshold
  count: 3
  within: 30s
  group_by: tree
---
title: exec then refused open, per process
id: t-exec-then-refused
level: low
detection:
  sel_exec:
    op: execve
  sel_refused:
    op: openat
    error: EACCES
  condition: sel_exec
correlation:
  type: sequence
  steps: [sel_exec, sel_refused]
  within: 60s
  group_by: process
---
title: a file opened for the first time by an image
id: t-new-image-file
level: low
detection:
  sel:
    op: [openat, read]
  condition: sel
correlation:
  type: novel
  key: [Image, target]
`;

const RULES = [...loadRules([SHIPPED_RULES_DIR]), ...parseRuleFile(INLINE, 'inline.yml')].filter((r) => !isSingleEvent(r) && r.correlation?.type !== 'sigma');

let store: CaseStore;
caseForTests((opened) => (store = opened));

/** Whole events matching `condition` in the scope's parts, as engine.ts selected them before. */
async function wholeEvents(parts: Sql[], condition: Sql, distinct: string | null): Promise<TriageEvent[]> {
  const value = distinct ? sql`CAST(${fieldExpr(distinct)} AS VARCHAR)` : sql`NULL`;
  const selects = parts.map((part) => sql`SELECT ${SELECT}, ${value} AS corr_value FROM ${FROM} WHERE ${part} AND ${condition}`);
  const rows = await store.rows(sql`SELECT * FROM (${joinSql(selects, ' UNION ALL ')}) ORDER BY ts_us, event_id LIMIT ${MAX_EVENTS_PER_RULE}`, { ...SPEC, corr_value: 'str?' });
  return rows as TriageEvent[];
}

/** The rule's hits with whole events selected up front (the reference). */
async function reference(rule: Rule, scope: TriageScope): Promise<Hit[]> {
  const c = rule.correlation;
  const condition = rule.condition;
  if (!c || !condition) throw new Error(`${rule.id} is not a correlation`);
  const cond = (node = condition): Sql => compileCondition(rule, node);
  const touching = (hits: Hit[]): Hit[] => (scope.captureIds === null ? hits : hits.filter((h) => h.events.some((e) => eventInScope(scope, e.capture_id))));
  switch (c.type) {
    case 'threshold':
      return touching(thresholdHits(await wholeEvents(scopeWindowParts(scope, c.withinUs, !crossesCaptures(c.groupBy)), cond(), c.distinct), c.count, c.distinct, c.withinUs, c.groupBy));
    case 'sequence': {
      const parts = scopeWindowParts(scope, c.withinUs, !crossesCaptures(c.groupBy));
      return touching(sequenceHits(await Promise.all(c.steps.map((s) => wholeEvents(parts, cond(s), null))), c.withinUs, c.groupBy));
    }
    case 'novel': {
      const keyExpr = sql`concat_ws(chr(31), ${joinSql(c.key.map((k) => sql`coalesce(CAST(${fieldExpr(k)} AS VARCHAR), '')`), ', ')})`;
      const rows = await store.rows(
        sql`WITH m AS (SELECT ${SELECT}, ${keyExpr} AS novelty_key FROM ${FROM} JOIN triage_baseline b ON b.capture_id = e.capture_id
                       WHERE ${inScope(scope)} AND ${cond()} AND NOT ${IN_BASELINE}),
                 known AS (SELECT DISTINCT ${keyExpr} AS novelty_key FROM ${FROM} JOIN triage_baseline b ON b.capture_id = e.capture_id
                           WHERE ${cond(c.baseline ?? condition)} AND ${IN_BASELINE})
            SELECT * FROM m WHERE novelty_key NOT IN (SELECT novelty_key FROM known) ORDER BY ts_us, event_id LIMIT ${MAX_EVENTS_PER_RULE}`,
        { ...SPEC, novelty_key: 'str' },
      );
      return rows.map(({ novelty_key, ...e }) => ({
        events: [e as TriageEvent],
        detail: `never seen in the baseline (${c.key.join(', ')})`,
        novelty: novelty_key.split(String.fromCharCode(31)).filter(Boolean).join(' '),
      }));
    }
    case 'sigma':
      throw new Error('not compared here');
  }
}

it('finds the same hits, with the same whole events, as selecting whole events up front — full and incremental', { timeout: 240_000 }, async () => {
  let events = 0;
  await fc.assert(
    fc.asyncProperty(randomCalls, randomCalls, async (a, b) => {
      await store.exec(sql`DELETE FROM event_rows`);
      // A service whose shell runs three programs (one process tree) among the random calls.
      await addCapture(store, [...toEvents(a), ...serviceShellsOut()].sort((x, y) => x.ts_us - y.ts_us), 'a.txt');
      const second = await addCapture(store, toEvents(b), 'b.txt');
      await buildProcessTree(store);
      await prepareBaselineScope(store);
      for (const scope of [FULL_SCOPE, await scopeOf(store, [second])]) {
        for (const rule of RULES) {
          const expected = await reference(rule, scope);
          expect(await runRule(store, rule, scope), rule.id).toEqual(expected);
          events += expected.reduce((n, h) => n + h.events.length, 0);
        }
      }
    }),
    { numRuns: 15, seed: 12 },
  );
  expect(events).toBeGreaterThan(20); // the random calls do complete correlations
});
