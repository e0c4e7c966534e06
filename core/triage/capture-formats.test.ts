// The product's format exclusions resolved to constants (capture-formats.ts) select exactly the
// events the subquery selects: every shipped rule's conditions (single-event detections,
// correlation steps) over random calls in captures of Linux-only, Windows-only and generic formats,
// resolved for the whole case and for a random subset of its captures (then compared on those
// captures' events); and the findings of whole triage runs with and without, full and incremental.
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { CaseStore } from '../store/case-store.ts';
import { sql, type Sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { captureFormats, resolveFormatExclusions } from './capture-formats.ts';
import { FROM } from './engine.ts';
import { buildProcessTree } from './process-tree.ts';
import { loadRules, SHIPPED_RULES_DIR } from './rules-load.ts';
import { runTriage } from './run.ts';
import { idList } from './scope.ts';
import { compileCondition } from './sigma/compile.ts';
import type { ConditionNode } from './sigma/types.ts';
import { addCapture } from './testing/build-case.ts';
import { randomCalls, toEvents } from './testing/random-calls.ts';

const RULES = loadRules([SHIPPED_RULES_DIR]);
/** Every condition a rule evaluates: its detection, a sequence's steps, a novelty baseline. */
const CONDITIONS = RULES.flatMap((rule) => {
  const c = rule.correlation;
  const nodes: ConditionNode[] = [
    ...(rule.condition ? [rule.condition] : []),
    ...(c?.type === 'sequence' ? c.steps : []),
    ...(c?.type === 'novel' && c.baseline ? [c.baseline] : []),
  ];
  return nodes.flatMap((node) => {
    try {
      return [{ id: rule.id, where: compileCondition(rule, node) }];
    } catch {
      return [];
    }
  });
});
const FORMATS = ['strace', 'ltrace', 'procmon-csv', 'evtx', 'synthetic', 'jsonl'];

const dir = tempDir();
let store: CaseStore;
let cases = 0;
/** A new case file for each property run (captures cannot be deleted and re-added under the same id). */
async function freshCase(): Promise<void> {
  store?.close();
  store = await CaseStore.open(dir.file(`case-${++cases}.duckdb`));
}
afterAll(() => {
  store?.close();
  dir.remove();
});

const captureSpec = fc.record({ calls: randomCalls, format: fc.constantFrom(...FORMATS) });

async function matching(where: Sql, captures: number[]): Promise<number[]> {
  const rows = await store.rows(sql`SELECT e.event_id FROM ${FROM} WHERE list_contains(${idList(captures)}, e.capture_id) AND ${where} ORDER BY e.event_id`, { event_id: 'num' });
  return rows.map((r) => r.event_id);
}

it('selects the same events as the subquery, for the whole case and for some of its captures', { timeout: 240_000 }, async () => {
  let resolvedOnes = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(captureSpec, { minLength: 1, maxLength: 4 }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), async (captures, picks) => {
      await freshCase();
      const ids: number[] = [];
      for (const [i, c] of captures.entries()) ids.push(await addCapture(store, toEvents(c.calls), `c${i}.txt`, 'hmi-test', c.format));
      await buildProcessTree(store);
      const formats = await captureFormats(store);
      const some = ids.filter((_, i) => picks[i]);
      for (const visible of [null, some]) {
        const over = visible ?? ids;
        for (const c of CONDITIONS) {
          const resolved = resolveFormatExclusions(c.where, formats, visible);
          if (resolved !== c.where) resolvedOnes++;
          expect(await matching(resolved, over), c.id).toEqual(await matching(c.where, over));
        }
      }
    }),
    { numRuns: 8, seed: 5 },
  );
  expect(resolvedOnes).toBeGreaterThan(50); // the product rules' exclusions were replaced
});

/** (rule, events) pairs of the case's findings. */
async function pairs(): Promise<string[]> {
  const rows = await store.rows(sql`SELECT rule, CAST(list_sort(event_ids) AS VARCHAR) AS ids FROM findings`, { rule: 'str', ids: 'str' });
  return rows.map((r) => `${r.rule} ${r.ids}`).sort();
}

it('finds the same findings with the exclusions resolved or left as subqueries, full and incremental', { timeout: 600_000 }, async () => {
  let found = 0;
  await fc.assert(
    fc.asyncProperty(captureSpec, captureSpec, async (a, b) => {
      const results: string[][] = [];
      for (const noFormatResolution of [true, false]) {
        await freshCase();
        await addCapture(store, toEvents(a.calls), 'a.txt', 'hmi-test', a.format);
        await runTriage(store, { rules: RULES, noFormatResolution, noSequenceDiff: true });
        const full = await pairs();
        const second = await addCapture(store, toEvents(b.calls), 'b.txt', 'hmi-test', b.format);
        await runTriage(store, { rules: RULES, noFormatResolution, noSequenceDiff: true, captureIds: [second] });
        results.push([...full, '--', ...(await pairs())]);
        found += full.length;
      }
      expect(results[1]).toEqual(results[0]);
    }),
    { numRuns: 5, seed: 8 },
  );
  expect(found).toBeGreaterThan(0);
});
