// Incremental triage (run.ts with captureIds) against a full run, batched single-event rules
// against one query per rule, a failing rule skipped, and progress reports.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeWorkflowState } from '../incidents/workflow.ts';
import type { CanonicalEvent } from '../model/event.ts';
import { CaseStore } from '../store/case-store.ts';
import { tempDir } from '../testing/temp.ts';
import { runSingleEventRules, type BatchLayout } from './batch.ts';
import { listFindings, runTriage } from './findings.ts';
import { buildProcessTree } from './process-tree.ts';
import { loadRules, SHIPPED_RULES_DIR } from './rules-load.ts';
import { FULL_SCOPE } from './scope.ts';
import { parseRuleFile } from './sigma/parse.ts';
import type { Rule } from './sigma/types.ts';
import { addCapture, call, serviceShellsOut } from './testing/build-case.ts';
import type { TriageProgress } from './run.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

/** Rules whose findings can span two captures of one host (grouped by host), plus one per process. */
const CROSS_CAPTURE_RULES = `
title: connect burst on a host
id: t-connect-burst
level: medium
detection:
  sel:
    op: connect
  condition: sel
correlation:
  type: threshold
  count: 3
  within: 10s
  group_by: host
---
title: write then connect on a host
id: t-write-connect
level: medium
detection:
  sel_write:
    op: write
  sel_connect:
    op: connect
correlation:
  type: sequence
  steps: [sel_write, sel_connect]
  within: 20s
  group_by: host
---
title: unlink on a host
id: t-unlink
level: low
group_by: host
detection:
  sel:
    op: unlink
  condition: sel
---
title: openat by a process
id: t-openat
level: low
detection:
  sel:
    op: openat
  condition: sel
`;

function crossRules(): Rule[] {
  return parseRuleFile(CROSS_CAPTURE_RULES, 'cross.yml');
}

/** A service shelling out (the shipped pack's scenario) and host-level activity near its end. */
function firstCapture(): CanonicalEvent[] {
  return [
    call(0, 100, 'execve', '/usr/bin/python3', '"/usr/bin/python3", ["python3", "/opt/app/svc.py"]'),
    call(1, 100, 'connect', '10.0.0.5:502', ''),
    ...serviceShellsOut(),
    call(150, 100, 'openat', '/etc/app.conf', ''),
    // A connect burst of three (a finding on its own) that a later capture extends.
    call(190, 100, 'connect', '10.0.0.5:502', ''),
    call(191, 100, 'connect', '10.0.0.6:502', ''),
    call(192, 100, 'connect', '10.0.0.7:502', ''),
    call(195, 100, 'write', '/var/log/app.log', ''),
    call(196, 100, 'unlink', '/tmp/a', ''),
    call(199, 100, 'read', null, ''),
  ];
}

/** Another tool on the same host, starting while the first capture's burst is still in its window. */
function secondCapture(): CanonicalEvent[] {
  return [
    call(198, 300, 'connect', '10.0.0.8:502', ''), // joins the burst (≤ 10 s) and completes write → connect
    call(205, 300, 'unlink', '/tmp/b', ''), // same host within the clustering gap of the first unlink
    call(206, 300, 'openat', '/etc/other.conf', ''),
    call(400, 300, 'connect', '10.0.0.9:502', ''),
    call(401, 300, 'connect', '10.0.0.10:502', ''), // two connects alone: no burst
    call(402, 300, 'execve', '/bin/sh', '"/bin/sh", ["/bin/sh", "-c", "id; uname -a"], 0x7ff /* 7 vars */'),
  ];
}

/** What a finding is, independent of its id and wording: its rule and its events. */
async function findingSets(store: CaseStore): Promise<string[]> {
  return (await listFindings(store)).map((f) => `${f.rule} ${[...f.event_ids].sort((a, b) => a - b).join(',')}`).sort();
}

function allRules(): Rule[] {
  return [...loadRules([SHIPPED_RULES_DIR]), ...crossRules()];
}

describe('incremental triage', () => {
  it('after importing two captures one by one finds what a full run over both finds', async () => {
    const rules = allRules();
    const inc = await CaseStore.open(dir.file('inc.duckdb'));
    const a = await addCapture(inc, firstCapture(), 'a.txt');
    const first = await runTriage(inc, { rules, captureIds: [a] });
    expect(first.mode).toBe('incremental');
    const b = await addCapture(inc, secondCapture(), 'b.txt');
    await runTriage(inc, { rules, captureIds: [b] });

    const full = await CaseStore.open(dir.file('full.duckdb'));
    await addCapture(full, firstCapture(), 'a.txt');
    await addCapture(full, secondCapture(), 'b.txt');
    expect((await runTriage(full, { rules })).mode).toBe('full');

    const got = await findingSets(inc);
    expect(got).toEqual(await findingSets(full));
    // The cross-capture cases are really exercised: the burst grew into capture b (4 events), the
    // sequence and the host-grouped unlinks span both captures.
    const byRule = (id: string) => got.filter((s) => s.startsWith(`${id} `)).map((s) => s.split(' ')[1]?.split(',').length);
    expect(byRule('t-connect-burst')).toEqual([4]);
    expect(byRule('t-write-connect')).toEqual([2]);
    expect(byRule('t-unlink')).toEqual([2]);
    expect(byRule('t-openat')).toEqual([1, 1]); // per process: never merged across captures
    inc.close();
    full.close();
  });

  it('keeps earlier findings and their ids, and workflow states across incremental and full runs', async () => {
    const rules = allRules();
    const store = await CaseStore.open(dir.file('c.duckdb'));
    const a = await addCapture(store, firstCapture(), 'a.txt');
    await runTriage(store, { rules, captureIds: [a] });
    const before = await listFindings(store);
    const openat = before.find((f) => f.rule === 't-openat');
    const burst = before.find((f) => f.rule === 't-connect-burst');
    if (!openat?.key || !burst) throw new Error('scenario lost its findings');
    const key = openat.key;
    await writeWorkflowState(store, 'finding', key, { state: 'false_positive', note: 'config read' });

    const b = await addCapture(store, secondCapture(), 'b.txt');
    const second = await runTriage(store, { rules, captureIds: [b] });
    const after = await listFindings(store);
    // Untouched findings keep their ids; the burst a new event joined was rebuilt (new id, 4 events).
    const untouched = before.filter((f) => !['t-connect-burst', 't-write-connect', 't-unlink'].includes(f.rule));
    for (const f of untouched) expect(after.find((g) => g.finding_id === f.finding_id)?.key).toBe(f.key);
    expect(after.find((f) => f.finding_id === burst.finding_id)).toBeUndefined();
    expect(second.findings.find((f) => f.rule === 't-connect-burst')?.event_ids).toHaveLength(4);
    expect(after.find((f) => f.key === key)?.workflow?.state).toBe('false_positive');

    await runTriage(store, { rules }); // full re-run: renumbers, the state follows the key
    expect((await listFindings(store)).find((f) => f.key === key)?.workflow).toMatchObject({ state: 'false_positive', note: 'config read' });
    store.close();
  });

  it('re-running the same capture incrementally does not duplicate its findings', async () => {
    const rules = allRules();
    const store = await CaseStore.open(dir.file('c.duckdb'));
    const a = await addCapture(store, firstCapture(), 'a.txt');
    await runTriage(store, { rules, captureIds: [a] });
    const once = await findingSets(store);
    await runTriage(store, { rules, captureIds: [a] });
    expect(await findingSets(store)).toEqual(once);
    store.close();
  });
});

describe('batched single-event rules', () => {
  it('match the same events in every layout as one query per rule', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    await addCapture(store, [...firstCapture(), ...secondCapture()]);
    await buildProcessTree(store);
    const rules = allRules().filter((r) => r.correlation === null);
    const ids = async (layout: BatchLayout) => {
      const { hits, skipped } = await runSingleEventRules(store, rules, FULL_SCOPE, { layout });
      expect(skipped).toEqual([]);
      return rules.map((r) => `${r.id}: ${(hits.get(r) ?? []).map((h) => h.events[0]?.event_id).join(',')}`);
    };
    const perRule = await ids('per-rule');
    expect(perRule.filter((s) => !s.endsWith(': ')).length).toBeGreaterThan(3);
    expect(await ids('columns')).toEqual(perRule);
    expect(await ids('union')).toEqual(perRule);
    store.close();
  });

  it('skips a rule DuckDB rejects at run time with its reason, and runs the others', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    await addCapture(store, firstCapture());
    // `\Z` passes the loader's checks (JavaScript reads it as a plain Z; the loader refuses only
    // lookaround, backreferences and atomic groups) but DuckDB's RE2 rejects it when the rule runs.
    const bad = parseRuleFile("title: end-anchor\nid: t-bad\nlevel: low\ndetection:\n  sel:\n    args|re: 'a\\Z'\n  condition: sel\n", 'bad.yml');
    const progress: TriageProgress[] = [];
    const result = await runTriage(store, { rules: [...bad, ...crossRules()], noSequenceDiff: true, onProgress: (p) => progress.push(p) });
    expect(result.skipped).toEqual([expect.objectContaining({ rule: 't-bad', file: 'bad.yml' })]);
    expect(result.skipped[0]?.reason).toMatch(/bad repetition operator|invalid|repetition/i);
    expect((await listFindings(store)).some((f) => f.rule === 't-openat')).toBe(true);
    // Progress: rules counted up to the total (five rules + the listing check), phases in order.
    const total = 6;
    expect(progress.every((p) => p.total === total)).toBe(true);
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((x, y) => x - y));
    expect(progress.at(-1)).toEqual({ phase: 'incidents', done: total, total });
    expect(progress.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1])).toEqual(['preparing', 'rules', 'built-in checks', 'saving', 'incidents']);
    store.close();
  });
});
