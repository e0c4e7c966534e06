// Incidents kept in the case after triage, and workflow states that outlive a triage re-run.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { listFindings, runTriage } from '../triage/findings.ts';
import { addCapture, call, serviceShellsOut } from '../triage/testing/build-case.ts';
import { listIncidents, setWorkflowState } from './store.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

/** A long-lived service (pid 100) whose injected shell (200) runs discovery and calls out. */
function injection() {
  return [
    call(0, 100, 'execve', '/usr/bin/python3', '"/usr/bin/python3", ["python3", "/opt/app/svc.py"]'),
    ...serviceShellsOut(),
    call(199, 100, 'read', null, ''),
  ];
}

describe('incident store', () => {
  it('builds incidents after triage with a storyline in time order rooted at the injected shell', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    await addCapture(store, injection());
    await runTriage(store);
    const findings = await listFindings(store);
    const incidents = await listIncidents(store);
    expect(incidents).toHaveLength(1);
    const [i] = incidents;
    expect(i?.root_pid).toBe(200);
    expect(i?.steps.length).toBeGreaterThanOrEqual(2);
    expect(i?.tactics).toContain('Execution');
    // Every finding of the shell's tree is a step; the steps are in time order.
    const inTree = findings.filter((f) => f.pids.some((p) => p >= 200 && p <= 203)).map((f) => f.finding_id);
    expect([...(i?.finding_ids ?? [])].sort()).toEqual([...inTree].sort());
    expect(i?.steps.map((s) => s.ts_us)).toEqual([...(i?.steps ?? [])].map((s) => s.ts_us).sort((a, b) => a - b));
    expect(i?.entry.finding_id).toBe(i?.steps[0]?.finding_id);
    store.close();
  });

  it('keeps workflow states when findings are renumbered and when triage runs again', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    await addCapture(store, injection());
    await runTriage(store);
    const [f] = await listFindings(store);
    const [i] = await listIncidents(store);
    if (!f || !i) throw new Error('expected a finding and an incident');
    await setWorkflowState(store, { subject: 'finding', id: f.finding_id, state: 'false_positive', note: 'maintenance', author: 'ana' });
    await setWorkflowState(store, { subject: 'incident', id: i.id, state: 'confirmed', author: 'ana' });

    await store.exec(sql`UPDATE findings SET finding_id = finding_id + 1000`);
    const renumbered = (await listFindings(store)).find((x) => x.finding_id === f.finding_id + 1000);
    expect(renumbered?.workflow).toMatchObject({ state: 'false_positive', note: 'maintenance', author: 'ana' });

    await runTriage(store);
    const again = (await listFindings(store)).find((x) => x.key === f.key);
    expect(again?.workflow?.state).toBe('false_positive');
    const others = (await listFindings(store)).filter((x) => x.key !== f.key);
    expect(others.every((x) => x.workflow?.state === 'open')).toBe(true);
    expect((await listIncidents(store))[0]?.workflow).toMatchObject({ state: 'confirmed', author: 'ana' });
    await expect(setWorkflowState(store, { subject: 'incident', id: 999, state: 'open' })).rejects.toThrow(/no incident with id 999/);
    store.close();
  });
});
