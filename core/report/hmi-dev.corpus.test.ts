// The hmi-dev scenario of the shared corpus (skipped without it), imported with the CLI as an
// analyst would: the report's summary names the host the scenario ran on and the rogue controller
// writes the scenario made, each inside an incident — all derived from truth.json, not typed in.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { corpusCapture, describeCorpus } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import type { ReportData } from './model.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'tracebench.js');
const SOURCES = ['strace.txt', 'strace_epoch.txt', 'ltrace.txt', 'net.csv', 'logs/plc.log', 'logs/hmi.log', 'logs/syslog.log'];

interface Truth {
  session: { host: string };
  suspicious: { id: string; label: string; start_epoch_us: number; end_epoch_us: number; command?: string }[];
}

describeCorpus('report of the hmi-dev case', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('names the scenario\'s host, spans its actions and lists every rogue controller write inside an incident', { timeout: 300_000 }, () => {
    const truth = JSON.parse(readFileSync(corpusCapture('linux/hmi-dev/truth.json'), 'utf8')) as Truth;
    const casePath = dir.file('hmi-dev.duckdb');
    const imported = spawnSync(process.execPath, [BIN, 'import', casePath, ...SOURCES.map((f) => corpusCapture(`linux/hmi-dev/${f}`)), '--date', '2026-11-26'], { encoding: 'utf8', timeout: 240_000 });
    expect(imported.status, imported.stderr).toBe(0);
    const out = dir.file('report.json');
    const made = spawnSync(process.execPath, [BIN, 'report', casePath, '--format', 'json', '--out', out], { encoding: 'utf8', timeout: 120_000 });
    expect(made.status, made.stderr).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as ReportData;
    const s = report.summary;

    expect(s.hosts).toContain(truth.session.host);
    expect(s.incidents.total).toBe(report.incidents.length);
    expect(s.incidents.total).toBeGreaterThan(0);
    // The summary's span starts by the first suspicious action and reaches past the last rogue write.
    const actions = truth.suspicious;
    const plcActions = actions.filter((a) => /mb\.py/.test(a.command ?? ''));
    expect(Date.parse(s.span.from ?? '') * 1000).toBeLessThanOrEqual(Math.min(...actions.map((a) => a.end_epoch_us)));
    expect(Date.parse(s.span.to ?? '') * 1000).toBeGreaterThanOrEqual(Math.max(...plcActions.map((a) => a.end_epoch_us)));

    // Each write the intruder's command issued (mb.py … write|writem|coil) is one write in the summary, inside an incident.
    expect(plcActions.length).toBeGreaterThan(0);
    for (const a of plcActions) {
      const issued = [...(a.command ?? '').matchAll(/mb\.py \S+ \d+ \d+ (write|writem|coil)\b/g)].length;
      const seen = s.impact.writes_in_incidents.filter((w) => {
        const us = Date.parse(w.ts) * 1000;
        return us >= a.start_epoch_us && us <= a.end_epoch_us;
      });
      expect(seen.length, a.id).toBe(issued);
      for (const w of seen) expect(w.incident_ids.length, a.id).toBeGreaterThan(0);
    }
    // The figure carries the controller-write lane with those writes.
    const lane = report.timeline.lanes.find((l) => l.kind === 'ics');
    expect(lane?.marks.length).toBeGreaterThanOrEqual(plcActions.length);
    // The host trace and the wire capture are aligned by matched connections: their order is
    // stated with its uncertainty (positive, small), never silently asserted.
    expect(report.ordering.length).toBeGreaterThan(0);
    for (const p of report.ordering) expect(p.uncertainty_us).toBeGreaterThan(0);
    expect(report.ordering.every((p) => p.uncertainty_us < 1_000_000)).toBe(true);
  });
});
