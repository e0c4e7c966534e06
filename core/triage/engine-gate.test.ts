// The correlation rules' op gate (engine.ts gatedCondition): a threshold, sequence or novelty rule
// run with the case's ops (its conditions evaluated only on the ops its detection names) finds
// exactly the hits it finds without them — shipped rules and inline ones reading ret, error and the
// process tree's image, over random calls in two captures, in a full and an incremental scope.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { caseForTests } from '../testing/temp-case.ts';
import { prepareBaselineScope } from './baseline-scope.ts';
import { isSingleEvent } from './batch.ts';
import { runRule, type Hit } from './engine.ts';
import { buildProcessTree } from './process-tree.ts';
import { loadRules, SHIPPED_RULES_DIR } from './rules-load.ts';
import { FULL_SCOPE, scopeOf } from './scope.ts';
import { parseRuleFile } from './sigma/parse.ts';
import { addCapture } from './testing/build-case.ts';
import { randomCalls, toEvents } from './testing/random-calls.ts';

const CORRELATION_RULES = `
title: refused opens of a secret
id: t-refused-burst
level: low
detection:
  sel:
    op: [openat, open]
    target|contains: secret
    error: EACCES
  condition: sel
correlation:
  type: threshold
  count: 2
  within: 30s
  group_by: host
---
title: cat reads nothing, then writes a secret
id: t-cat-then-write
level: low
detection:
  sel_read:
    op: read
    ret: '0'
    Image|endswith: /cat
  sel_write:
    op: write
    target|contains: secret
  condition: sel_read
correlation:
  type: sequence
  steps: [sel_read, sel_write]
  within: 60s
  group_by: host
---
title: a file opened for the first time
id: t-new-file
level: low
detection:
  sel:
    op: openat
  condition: sel
correlation:
  type: novel
  key: [target]
`;

const RULES = [...loadRules([SHIPPED_RULES_DIR]), ...parseRuleFile(CORRELATION_RULES, 'inline.yml')].filter((r) => !isSingleEvent(r) && r.correlation?.type !== 'sigma');

let store: CaseStore;
caseForTests((opened) => (store = opened));

const ids = (hits: Hit[]): string[] => hits.map((h) => h.events.map((e) => e.event_id).join(',')).sort();

it('finds the same correlation hits with and without the op gate, full and incremental', { timeout: 240_000 }, async () => {
  let found = 0;
  await fc.assert(
    fc.asyncProperty(randomCalls, randomCalls, async (a, b) => {
      await store.exec(sql`DELETE FROM event_rows`);
      await addCapture(store, toEvents(a), 'a.txt');
      const second = await addCapture(store, toEvents(b), 'b.txt');
      await buildProcessTree(store);
      await prepareBaselineScope(store);
      const caseOps = (await store.rows(sql`SELECT DISTINCT op FROM event_rows WHERE op IS NOT NULL`, { op: 'str' })).map((r) => r.op);
      for (const scope of [FULL_SCOPE, await scopeOf(store, [second])]) {
        for (const rule of RULES) {
          const expected = ids(await runRule(store, rule, scope));
          expect(ids(await runRule(store, rule, scope, caseOps)), rule.id).toEqual(expected);
          found += expected.length;
        }
      }
    }),
    { numRuns: 15, seed: 21 },
  );
  expect(found).toBeGreaterThan(10); // the random calls do complete correlations
});
