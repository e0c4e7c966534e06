// The trigram counts read in table order and counted in JavaScript (ngram-counts.ts) must be
// exactly the window query's, row for row: over random captures whose calls are listed in time
// order for some pids and out of it for others (those pids are counted again by the window), with
// equal timestamps, calls without a process name, several captures, in full and incremental scopes.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { CanonicalEvent } from '../model/event.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { caseForTests } from '../testing/temp-case.ts';
import { prepareBaselineScope } from './baseline-scope.ts';
import { countTrigrams, startTrigramCount } from './ngram-counts.ts';
import { FULL_SCOPE, scopeOf, type TriageScope } from './scope.ts';
import { addCapture, call } from './testing/build-case.ts';

let store: CaseStore;
caseForTests((opened) => (store = opened));

const OPS = ['read', 'write', 'poll', 'openat', 'connect', 'ptrace'];

async function counts(scope: TriageScope, windowOnly: boolean): Promise<string[]> {
  await countTrigrams(store, scope, await startTrigramCount(store, scope, windowOnly));
  const rows = await store.rows(
    sql`SELECT concat_ws(' ', capture_id, pid, coalesce(CAST(pcode AS VARCHAR), '-'), in_baseline, gram, n) AS r FROM triage_ngram_y ORDER BY ALL`,
    { r: 'str' },
  );
  return rows.map((x) => x.r);
}

const callSpec = fc.record({
  // Whole tenths of a second: equal timestamps within a pid happen.
  tenth: fc.integer({ min: 0, max: 1000 }),
  pid: fc.integer({ min: 10, max: 13 }),
  op: fc.constantFrom(...OPS),
  process: fc.constantFrom('python3', 'sh', null),
});

/** Calls in time order, except that pids listed in `shuffled` keep the generated (random) order. */
function listed(calls: { tenth: number; pid: number; op: string; process: string | null }[], shuffled: number[]): CanonicalEvent[] {
  const inOrder = calls.filter((c) => !shuffled.includes(c.pid)).sort((a, b) => a.tenth - b.tenth);
  let next = 0;
  // The in-order pids' calls take their slots in time order; the shuffled pids' stay where they are.
  const ordered = calls.map((c) => (shuffled.includes(c.pid) ? c : (inOrder[next++] as typeof c)));
  return ordered.map((c) => call(c.tenth / 10, c.pid, c.op, null, '', { process: c.process }));
}

it('counts exactly what the window query counts, pids out of time order included', { timeout: 240_000 }, async () => {
  let redone = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ calls: fc.array(callSpec, { minLength: 20, maxLength: 150 }), shuffled: fc.subarray([10, 11, 12, 13]) }), { minLength: 1, maxLength: 3 }),
      fc.nat(),
      async (captures, pick) => {
        await store.exec(sql`DELETE FROM event_rows`);
        const ids: number[] = [];
        for (const [i, c] of captures.entries()) ids.push(await addCapture(store, listed(c.calls, c.shuffled), `c${i}.txt`));
        await prepareBaselineScope(store);
        for (const scope of [FULL_SCOPE, await scopeOf(store, [ids[pick % ids.length] as number])]) {
          expect(await counts(scope, false)).toEqual(await counts(scope, true));
        }
        redone += captures.filter((c) => c.shuffled.length > 0).length;
      },
    ),
    { numRuns: 40, seed: 7 },
  );
  expect(redone).toBeGreaterThan(5); // the window's second pass was exercised
});
