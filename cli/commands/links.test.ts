// `tracebench links` and `tracebench align --auto` on the hand-written strace -yy + tshark pair
// of core/importers/fixtures/links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../core/testing/corpus.ts';
import { tempDir } from '../../core/testing/temp.ts';
import { runCli } from '../../core/testing/cli-run.ts';

const tb = (...args: string[]) => runCli(args);

describe('tracebench links / align --auto', () => {
  const dir = tempDir();
  const casePath = dir.file('case.duckdb');
  beforeAll(() => {
    const r = tb('import', casePath, fixture('links/client-yy.strace'), fixture('links/wire.csv'), '--date', '2026-11-26', '--json');
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(() => dir.remove());

  it('lists the links as JSON with event ids of the events table', () => {
    const r = tb('links', casePath, '--json', '--kind', 'socket-flow');
    expect(r.status, r.stderr).toBe(0);
    const links = JSON.parse(r.stdout) as { from_event: number; to_event: number; kind: string; confidence: number }[];
    expect(links).toHaveLength(2);
    const ids = tb('query', casePath, "SELECT event_id FROM events WHERE op = 'connect' ORDER BY event_id", '--json');
    expect(links.map((l) => l.from_event).sort()).toEqual((JSON.parse(ids.stdout) as { event_id: number }[]).map((e) => e.event_id));
    expect(links.every((l) => l.kind === 'socket-flow' && l.confidence > 0.9)).toBe(true);
  });

  it('--follow prints the ordered chain from a connect; --flows who talked to the controller', { timeout: 180_000 }, () => {
    const connect = (JSON.parse(tb('query', casePath, "SELECT min(event_id) AS id FROM events WHERE op = 'connect'", '--json').stdout) as { id: number }[])[0]?.id ?? -1;
    const r = tb('links', casePath, '--follow', String(connect), '--json');
    expect(r.status, r.stderr).toBe(0);
    const chain = JSON.parse(r.stdout) as { event_id: number; steps: { role: string; event: { event_id: number; op: string } }[] };
    expect(chain.event_id).toBe(connect);
    expect(chain.steps[0]?.event.event_id).toBe(connect);
    expect(chain.steps.map((s) => s.role).slice(-2)).toEqual(['flow', 'ics']);
    expect(chain.steps.at(-1)?.event.op).toBe('modbus.write_single_register');
    const flows = tb('links', casePath, '--flows', '--json');
    expect(flows.status, flows.stderr).toBe(0);
    const groups = JSON.parse(flows.stdout) as { server: string; connections: number; linked_connections: number; writes: number; requests: number }[];
    expect(groups).toEqual([expect.objectContaining({ server: '10.0.0.5:502', connections: 2, linked_connections: 2, writes: 1, requests: 2 })]);
    expect(tb('links', casePath, '--follow', 'x').status).not.toBe(0);
  });

  // Eight CLI runs, each compiling the sources on start: over a minute on a loaded machine.
  it('estimates a shifted clock, applies it only with --apply, and refuses mixed usage', { timeout: 180_000 }, () => {
    expect(tb('align', casePath, '1', '--offset', '2.5s').status).toBe(0);
    const estimate = tb('align', casePath, '--auto', '--json');
    expect(estimate.status, estimate.stderr).toBe(0);
    const clocks = JSON.parse(estimate.stdout) as { capture_id: number; offset_us: number; uncertainty_us: number; pairs: number }[];
    const strace = clocks.find((c) => c.capture_id === 1);
    expect(strace?.pairs).toBe(2);
    expect(Math.abs((strace?.offset_us ?? 0) + 2_500_000)).toBeLessThanOrEqual(strace?.uncertainty_us ?? -1);
    const offsetOf = () => (JSON.parse(tb('query', casePath, 'SELECT clock_offset_us FROM captures WHERE capture_id = 1', '--json').stdout) as { clock_offset_us: number }[])[0]?.clock_offset_us;
    expect(offsetOf()).toBe(2_500_000);
    const applied = tb('align', casePath, '--auto', '--apply');
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/capture 1: -2\.\d{6} s ± \d+ µs from 2 pair\(s\) — applied/);
    expect(Math.abs(offsetOf() ?? Infinity)).toBeLessThanOrEqual(strace?.uncertainty_us ?? -1);
    expect(tb('align', casePath, '--auto', '--offset', '1s').status).toBe(2);
    expect(tb('align', casePath, '1', '--offset', '1s', '--apply').status).toBe(2);
  });
});
