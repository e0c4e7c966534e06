// The tuple pre-filter (tuple-prefilter.ts) must only save work: triage with it (and its probes of
// the correlation rules, which settle rules no event in scope matches) finds exactly the
// (rule, events) pairs it finds when every single-event rule reads every event in scope — over
// real strace fixtures and over random calls built to hit the shipped rules and rules reading the
// columns the pre-filter masks (ret, error, the process tree's image), with NULLs among them; in a
// full run and in an incremental one after a second capture.
import fc from 'fast-check';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { loadRules, SHIPPED_RULES_DIR } from './rules-load.ts';
import { runTriage } from './run.ts';
import { parseRuleFile } from './sigma/parse.ts';
import { addCapture, call } from './testing/build-case.ts';
import { randomCalls, toEvents } from './testing/random-calls.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

/** Rules that read what the pre-filter keeps per op only (ret, error, image) or reads every op. */
const MASKED_COLUMN_RULES = `
title: open of a secret refused
id: t-open-refused
level: low
detection:
  sel:
    op: [openat, open]
    target|contains: secret
    error: EACCES
  condition: sel
---
title: read returning nothing by cat
id: t-read-empty
level: low
detection:
  sel:
    op: read
    ret: '0'
    Image|endswith: /cat
  condition: sel
---
title: any call naming a secret without an error
id: t-any-secret
level: low
detection:
  sel:
    args|contains: secret
  filter:
    error: null
  condition: sel and not filter
`;

const RULES = [...loadRules([SHIPPED_RULES_DIR]), ...parseRuleFile(MASKED_COLUMN_RULES, 'inline.yml')];

async function pairs(store: CaseStore): Promise<string[]> {
  const rows = await store.rows(sql`SELECT rule, CAST(list_sort(event_ids) AS VARCHAR) AS ids FROM findings`, { rule: 'str', ids: 'str' });
  return rows.map((r) => `${r.rule} ${r.ids}`).sort();
}

/** Findings of a full run, then of an incremental run after `second` is added, with or without the pre-filter. */
async function runBoth(path: string, first: (s: CaseStore) => Promise<number>, second: (s: CaseStore) => Promise<number>, noTuplePrefilter: boolean): Promise<{ full: string[]; incremental: string[] }> {
  const store = await CaseStore.open(path);
  try {
    await first(store);
    await runTriage(store, { rules: RULES, noTuplePrefilter });
    const full = await pairs(store);
    const id = await second(store);
    await runTriage(store, { rules: RULES, noTuplePrefilter, captureIds: [id] });
    return { full, incremental: await pairs(store) };
  } finally {
    store.close();
  }
}

it('finds the same pairs with and without the pre-filter on strace fixtures, full and incremental', { timeout: 120_000 }, async () => {
  const first = async (s: CaseStore): Promise<number> => (await importFile(s, fixture('strace/wget-mixed.txt'), { format: 'strace', date: '2026-11-26' })).capture_id;
  const second = async (s: CaseStore): Promise<number> => (await importFile(s, fixture('strace/sh-f-mixed.txt'), { format: 'strace', date: '2026-11-26' })).capture_id;
  const without = await runBoth(dir.file('without.duckdb'), first, second, true);
  const withIt = await runBoth(dir.file('with.duckdb'), first, second, false);
  expect(without.full.length).toBeGreaterThan(0); // the fixtures do fire single-event rules
  expect(withIt).toEqual(without);
});

it('finds the same pairs with and without the pre-filter over random calls, full and incremental', { timeout: 600_000 }, async () => {
  let n = 0;
  let withFindings = 0;
  await fc.assert(
    fc.asyncProperty(randomCalls, randomCalls, async (a, b) => {
      n++;
      const first = (s: CaseStore): Promise<number> => addCapture(s, toEvents(a), 'a.txt');
      const second = (s: CaseStore): Promise<number> => addCapture(s, toEvents(b), 'b.txt');
      const without = await runBoth(dir.file(`without-${n}.duckdb`), first, second, true);
      const withIt = await runBoth(dir.file(`with-${n}.duckdb`), first, second, false);
      expect(withIt).toEqual(without);
      if (without.incremental.length > 0) withFindings++;
    }),
    { numRuns: 6, seed: 12 },
  );
  expect(withFindings).toBeGreaterThan(3); // the random calls do fire rules
});

it('evaluates more rules than one statement holds in chunks, with the same pairs', { timeout: 300_000 }, async () => {
  // 70 rules (more than RULES_PER_BATCH), each matching a different slice of the calls below.
  const many = Array.from({ length: 70 }, (_, i) => `title: open of file ${i}\nid: t-open-${i}\nlevel: low\ndetection:\n  sel:\n    op: openat\n    target|endswith: /f${i % 7}\n  condition: sel\n`).join('---\n');
  const rules = parseRuleFile(many, 'many.yml');
  const events = Array.from({ length: 40 }, (_, i) => call(i, 10 + (i % 3), 'openat', `/srv/f${i % 9}`, `AT_FDCWD, "/srv/f${i % 9}"`, { ret: String(3 + (i % 4)) }));
  const run = async (name: string, noTuplePrefilter: boolean): Promise<string[]> => {
    const store = await CaseStore.open(dir.file(name));
    try {
      await addCapture(store, events);
      await runTriage(store, { rules, noTuplePrefilter });
      return await pairs(store);
    } finally {
      store.close();
    }
  };
  const without = await run('many-without.duckdb', true);
  expect(without.length).toBe(70); // targets f0–f6 occur, so every rule fires
  expect(await run('many-with.duckdb', false)).toEqual(without);
});

/** Correlation rules the pre-filter probes: a sequence whose first step lies in another capture, a host-wide threshold, a novelty rule. */
const CROSS_CAPTURE_RULES = parseRuleFile(`
title: shadow read then connect on the host
id: t-seq-cross
level: low
detection:
  sel_read:
    op: openat
    target: /etc/shadow
  sel_connect:
    op: connect
  condition: sel_read
correlation:
  type: sequence
  steps: [sel_read, sel_connect]
  within: 60s
  group_by: host
---
title: many secret opens on the host
id: t-threshold-cross
level: low
detection:
  sel:
    op: openat
    target|contains: secret
  condition: sel
correlation:
  type: threshold
  count: 3
  within: 60s
  group_by: host
---
title: new program
id: t-novel-exec
level: low
detection:
  sel:
    op: execve
  condition: sel
correlation:
  type: novel
  key: [target]
`, 'cross.yml');

it('probes correlation rules by their in-scope matches only: hits completed by another capture are kept, rules without one are settled', { timeout: 120_000 }, async () => {
  // A: the shadow read and two secret opens (window context only in the incremental run over B).
  const a = [call(10, 10, 'openat', '/etc/shadow', 'AT_FDCWD, "/etc/shadow"', { ret: '3' }), call(11, 10, 'openat', '/srv/secret.key', ''), call(12, 10, 'openat', '/srv/secret.key', '')];
  // B: the connect completing A's sequence, one secret open (the third of the threshold), an execve (novel).
  const b = [call(0, 20, 'read', null), call(20, 20, 'connect', '10.0.0.9:4444', ''), call(21, 20, 'openat', '/srv/secret.key', ''), call(40, 20, 'execve', '/tmp/x', '"/tmp/x"')];
  const run = async (name: string, second: typeof b, noTuplePrefilter: boolean): Promise<string[]> => {
    const store = await CaseStore.open(dir.file(name));
    try {
      await addCapture(store, a, 'a.txt');
      await runTriage(store, { rules: CROSS_CAPTURE_RULES, noTuplePrefilter, noSequenceDiff: true });
      const id = await addCapture(store, second, 'b.txt');
      await runTriage(store, { rules: CROSS_CAPTURE_RULES, noTuplePrefilter, noSequenceDiff: true, captureIds: [id] });
      return await pairs(store);
    } finally {
      store.close();
    }
  };
  const without = await run('cross-without.duckdb', b, true);
  expect(without.some((p) => p.startsWith('t-seq-cross'))).toBe(true); // A's read + B's connect
  expect(without.some((p) => p.startsWith('t-threshold-cross'))).toBe(true);
  expect(await run('cross-with.duckdb', b, false)).toEqual(without);
  // B without the connect, the third open and the execve: nothing in scope matches, no new hit either way.
  const quiet = b.slice(0, 1);
  const quietWithout = await run('quiet-without.duckdb', quiet, true);
  expect(await run('quiet-with.duckdb', quiet, false)).toEqual(quietWithout);
});
