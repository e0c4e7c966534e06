// The call-sequence baseline (baseline-ngrams.ts) counts trigrams once per (process, trigram) with
// the ops coded as integers; it must report exactly what the direct per-call definition reports —
// the same processes, counts and first novel events — over random captures whose later calls
// stray from their baseline, in a full and an incremental scope, with and without an execve image.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { CanonicalEvent } from '../model/event.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { caseForTests } from '../testing/temp-case.ts';
import { IN_BASELINE, prepareBaselineScope } from './baseline-scope.ts';
import { NGRAM_MIN_NOVEL, NGRAM_MIN_SHARE, ngramHits } from './baseline-ngrams.ts';
import { buildProcessTree } from './process-tree.ts';
import { FULL_SCOPE, inScope, scopeOf, type TriageScope } from './scope.ts';
import { addCapture, call } from './testing/build-case.ts';

let store: CaseStore;
caseForTests((opened) => (store = opened));

/** The definition, one row per call: the trigram as text, novel when the image's baseline never had it. */
async function reference(scope: TriageScope): Promise<string[]> {
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
               CAST(list(x.event_id ORDER BY x.ts_us, x.event_id) FILTER (WHERE base.gram IS NULL)[1:20] AS VARCHAR) AS ids
        FROM x LEFT JOIN base ON base.image = x.image AND base.gram = x.gram
        WHERE NOT x.in_baseline AND x.image IN (SELECT image FROM base)
        GROUP BY 1, 2, 3
        HAVING count(*) FILTER (WHERE base.gram IS NULL) >= ${NGRAM_MIN_NOVEL}
           AND count(*) FILTER (WHERE base.gram IS NULL) >= ${NGRAM_MIN_SHARE} * count(*)`,
    { capture_id: 'num', tgid: 'num', image: 'str', n: 'num', novel: 'num', ids: 'str' },
  );
  return groups.map((g) => `${g.novel} of ${g.n} call trigrams of ${g.image} pid ${g.tgid} ${g.ids}`).sort();
}

async function computed(scope: TriageScope): Promise<string[]> {
  const hits = await ngramHits(store, scope);
  return hits.map((h) => `${h.detail.replace(/ never occur.*/, '')} [${h.events.map((e) => e.event_id).join(', ')}]`).sort();
}

const BASE_OPS = ['read', 'write', 'poll'];
const LATER_OPS = [...BASE_OPS, 'ptrace', 'socket', 'connect', 'mprotect'];
const WIDE_BASE_OPS = [...BASE_OPS, 'socket', 'connect'];

/** One capture of 0–100 s: pids 10–12 call BASE_OPS in the first quarter (their baseline) and LATER_OPS after. */
const captureSpec = fc.record({
  calls: fc.array(fc.record({ sec: fc.double({ min: 0, max: 100, noNaN: true }), pid: fc.integer({ min: 10, max: 12 }), pick: fc.nat() }), { minLength: 120, maxLength: 240 }),
  // A named process (the image from the process column), or an execve'd image for pid 10.
  execve: fc.boolean(),
  // Some calls of pid 11 under a second process name (the image the count falls back to where the tree has none).
  renamed: fc.boolean(),
  // A baseline that already shows some of the later ops: known trigrams another capture lacks.
  wideBaseline: fc.boolean(),
});

function events(spec: { calls: { sec: number; pid: number; pick: number }[]; execve: boolean; renamed: boolean; wideBaseline: boolean }): CanonicalEvent[] {
  const out = spec.calls.map((c) => {
    const ops = c.sec >= 25 ? LATER_OPS : spec.wideBaseline ? WIDE_BASE_OPS : BASE_OPS;
    const process = c.pid === 12 ? null : spec.renamed && c.pid === 11 ? 'sh' : 'python3';
    return call(c.sec, c.pid, ops[c.pick % ops.length] as string, null, '', { process });
  });
  if (spec.execve) out.push(call(0, 10, 'execve', '/usr/bin/python3', '"/usr/bin/python3"'));
  out.push(call(0, 13, 'read', null), call(100, 13, 'read', null)); // the capture's span is 0–100 s
  return out.sort((a, b) => a.ts_us - b.ts_us);
}

it('reports what the per-call definition reports, in full and incremental scopes', { timeout: 240_000 }, async () => {
  let reported = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(captureSpec, { minLength: 1, maxLength: 3 }), fc.nat(), async (captures, pick) => {
      await store.exec(sql`DELETE FROM event_rows`);
      const ids: number[] = [];
      for (const [i, c] of captures.entries()) ids.push(await addCapture(store, events(c), `c${i}.txt`));
      await prepareBaselineScope(store);
      for (const scope of [FULL_SCOPE, await scopeOf(store, [ids[pick % ids.length] as number])]) {
        // As run.ts builds it: an incremental run's tree holds the scope's captures only, so the
        // other captures' baseline calls fall back to their process column for the image.
        await buildProcessTree(store, scope.captureIds);
        const expected = await reference(scope);
        expect(await computed(scope)).toEqual(expected);
        reported += expected.length;
      }
    }),
    { numRuns: 25, seed: 3 },
  );
  expect(reported).toBeGreaterThan(5); // the random captures do stray from their baselines
});

it('reads the image of calls outside the tree from their process column (another capture\'s baseline)', async () => {
  await store.exec(sql`DELETE FROM event_rows`);
  // Capture A's baseline (first 25 s) already shows python3 cycling read → socket → connect; B's
  // baseline shows only read/write, and B's later calls cycle read → socket → connect (known from
  // A) with a few ptrace calls (novel everywhere).
  const span = [call(0, 13, 'read', null), call(100, 13, 'read', null)];
  const cycle = (from: number, to: number, ops: string[]): CanonicalEvent[] =>
    Array.from({ length: (to - from) * 2 }, (_, i) => call(from + i / 2, 10, ops[i % ops.length] as string, null, '', { process: 'python3' }));
  const a = await addCapture(store, [...span, ...cycle(0, 20, ['read', 'socket', 'connect'])].sort((x, y) => x.ts_us - y.ts_us), 'a.txt');
  const b = await addCapture(store, [...span, ...cycle(0, 20, ['read', 'write']), ...cycle(30, 60, ['read', 'socket', 'connect', 'read', 'socket', 'connect', 'ptrace'])].sort((x, y) => x.ts_us - y.ts_us), 'b.txt');
  await prepareBaselineScope(store);
  const scope = await scopeOf(store, [b]);
  await buildProcessTree(store, scope.captureIds); // B only, as run.ts builds it: A's calls have no tree row
  const expected = await reference(scope);
  expect(expected).toHaveLength(1);
  expect(await computed(scope)).toEqual(expected);
  // Without A, B's later read → socket → connect would be novel too: A's baseline was counted.
  const [withA] = expected;
  await store.exec(sql`DELETE FROM event_rows WHERE capture_id = ${a}`);
  await prepareBaselineScope(store);
  const [withoutA] = await reference(scope);
  expect(Number(withA?.split(' ')[0])).toBeLessThan(Number(withoutA?.split(' ')[0]));
});
