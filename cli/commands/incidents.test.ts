// `tracebench incidents` on the shipped demo capture: the intruder's shell and what it ran are one
// incident with a storyline; a decision recorded with --set is shown and kept after a triage re-run.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../core/testing/temp.ts';
import { runCli } from '../../core/testing/cli-run.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const tb = (...args: string[]) => runCli(args);

interface IncidentSeen {
  id: number;
  title: string;
  score: number;
  start: string;
  end: string;
  root_pid: number | null;
  tactics: string[];
  steps: { ts: string; finding_id: number; event_ids: number[]; text: string; kind?: string }[];
  workflow: { state: string; note: string | null };
}

describe('tracebench incidents', () => {
  const dir = tempDir();
  const casePath = dir.file('case.duckdb');
  beforeAll(() => {
    const r = tb('import', casePath, join(ROOT, 'samples', 'demo', 'strace.txt'), join(ROOT, 'samples', 'demo', 'app-log.jsonl'), '--json');
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(() => dir.remove());

  it('prints incidents as JSON with time-ordered steps naming findings of the case', () => {
    const r = tb('incidents', casePath, '--json');
    expect(r.status, r.stderr).toBe(0);
    const incidents = JSON.parse(r.stdout) as IncidentSeen[];
    expect(incidents.length).toBeGreaterThanOrEqual(1);
    const findings = JSON.parse(tb('findings', casePath, '--json').stdout) as { finding_id: number; event_ids: number[] }[];
    for (const i of incidents) {
      expect(i.steps.length).toBeGreaterThanOrEqual(2);
      expect(i.steps.map((s) => s.ts)).toEqual([...i.steps.map((s) => s.ts)].sort());
      expect(Date.parse(i.start)).toBeLessThanOrEqual(Date.parse(i.end));
      // A reverse shell's end is a step of its own (no finding): core/incidents/shell-end.test.ts.
      for (const s of i.steps.filter((x) => x.kind !== 'shell_end')) {
        expect(findings.find((f) => f.finding_id === s.finding_id)?.event_ids).toEqual(s.event_ids);
        expect(s.text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} .+: .+ \[[a-z0-9-]+\]$/);
      }
    }
    expect(incidents[0]?.steps.some((s) => s.text.includes('/bin/sh'))).toBe(true);
    expect(incidents[0]?.tactics).toContain('Execution');
  });

  it('records a decision with --set and keeps it when triage runs again', () => {
    const set = tb('incidents', casePath, '--set', '1=confirmed', '--note', 'intruder shell', '--author', 'ana');
    expect(set.status, set.stderr).toBe(0);
    expect(tb('findings', casePath, '--refresh').status).toBe(0);
    const text = tb('incidents', casePath);
    expect(text.stdout).toMatch(/incident 1: .*\(confirmed: intruder shell\)/);
    const bad = tb('incidents', casePath, '--set', '1=maybe');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('open, confirmed, false_positive, needs_review');
  });
});
