// Findings → incidents on a hand-made process tree: ancestry below a long-lived service, sibling
// shells in quick succession, shared files, process-less controller traffic joined by time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProcessNode } from '../model/process.ts';
import { buildIncidents, entityOf, type IncidentEvent, type IncidentFinding } from './build.ts';
import { tacticsInOrder } from './tactics.ts';
import { findingKey } from './workflow.ts';

const S = 1_000_000;
const T = 1_790_000_000_000_000;

function proc(proc_id: number, pid: number, parent_id: number | null, image: string, start_s: number, end_s: number): ProcessNode {
  return {
    proc_id, host: 'h', pid, host_pid: null, ns_pid: null, parent_id, ppid: null, image, command_line: image, user: null,
    start_us: T + start_s * S, end_us: T + end_s * S, exit_code: null, exited: false, captures: [1], events: 10,
    members: [{ capture_id: 1, pid, first_us: T + start_s * S, last_us: T + end_s * S }],
  };
}

// A service (long-lived: the whole 1000 s capture) spawning shells; an unrelated daemon.
const TREE: ProcessNode[] = [
  proc(1, 100, null, '/usr/bin/python3', 0, 1000),
  proc(2, 200, 1, '/bin/sh', 10, 11),
  proc(3, 201, 2, '/usr/bin/curl', 10, 11),
  proc(4, 300, 1, '/bin/sh', 40, 41),
  proc(5, 400, 1, '/bin/sh', 700, 701),
  proc(6, 500, null, '/usr/sbin/cron', 0, 1),
];

let nextEvent = 1;
function ev(pid: number | null, at_s: number, op: string, target: string | null, category = 'file'): IncidentEvent {
  return { event_id: nextEvent++, capture_id: 1, ts_us: T + at_s * S, host: 'h', pid, category, op, target, process: null };
}

let nextFinding = 1;
function finding(rule: string, attack: string[], events: IncidentEvent[], score = 60): IncidentFinding {
  const ids = events.map((e) => e.event_id);
  const ts = events.map((e) => e.ts_us);
  return { finding_id: nextFinding++, key: findingKey(rule, ids), rule, title: rule, score, attack, first_us: Math.min(...ts), last_us: Math.max(...ts), host: 'h', event_ids: ids, events };
}

describe('buildIncidents', () => {
  it('groups one shell subtree and the next shell of the same service; a shell much later stays loose', () => {
    const shell = finding('shell-from-service', ['T1059.004'], [ev(200, 10, 'execve', '/bin/sh', 'process')]);
    const download = finding('downloader', ['T1105'], [ev(201, 10.5, 'connect', '10.0.0.9:80', 'network')], 80);
    const next = finding('discovery', ['T1057'], [ev(300, 40, 'execve', '/usr/bin/ps', 'process')]);
    const late = finding('shell-from-service', ['T1059.004'], [ev(400, 700, 'execve', '/bin/sh', 'process')]);
    const other = finding('cron-thing', ['T1053.003'], [ev(500, 0.5, 'openat', '/etc/crontab')]);
    const incidents = buildIncidents([shell, download, next, late, other], TREE);
    expect(incidents).toHaveLength(1);
    const [i] = incidents;
    expect(i?.finding_ids).toEqual([shell.finding_id, download.finding_id, next.finding_id]);
    expect(i?.root).toEqual({ proc_id: 2, pid: 200, image: '/bin/sh' });
    expect(i?.tactics).toEqual(['Execution', 'Discovery', 'Command and Control']);
    expect(i?.steps.map((s) => s.finding_id)).toEqual([shell.finding_id, download.finding_id, next.finding_id]);
    expect(i?.steps[1]?.text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} curl \(pid 201\): downloader — connect 10\.0\.0\.9:80 \[downloader\]$/);
    expect(i?.endpoints).toEqual(['10.0.0.9:80']);
    expect(i?.score).toBeGreaterThanOrEqual(80);
    expect(i?.key).toBe(`incident:${shell.key}`);
  });

  it('joins a much later shell that runs a file an earlier one wrote to /tmp', () => {
    const write = finding('writes-temp', ['T1105'], [ev(201, 10.5, 'openat', '/tmp/.x/payload')]);
    const shell = finding('shell-from-service', ['T1059.004'], [ev(200, 10, 'execve', '/bin/sh', 'process')]);
    const run = finding('exec-from-temp', ['T1059.004'], [ev(400, 700, 'execve', '/tmp/.x/payload', 'process')]);
    const [i, ...rest] = buildIncidents([write, shell, run], TREE);
    expect(rest).toEqual([]);
    expect(i?.finding_ids).toEqual([shell.finding_id, write.finding_id, run.finding_id]);
    expect(i?.files).toContain('/tmp/.x/payload');
  });

  it('attaches process-less controller writes near an incident, not those far from any', () => {
    const a = finding('shell-from-service', ['T1059.004', 'T0807'], [ev(200, 10, 'execve', '/bin/sh', 'process')]);
    const b = finding('spawned-connect', ['T0886'], [ev(201, 10.7, 'execve', '/usr/bin/curl', 'process')]);
    const near = finding('ics-write', ['T0855'], [ev(null, 25, 'modbus.write_single_register', '10.0.0.5:502', 'ics')]);
    const far = finding('ics-write', ['T0855'], [ev(null, 400, 'modbus.write_single_register', '10.0.0.6:502', 'ics')]);
    const [i, ...rest] = buildIncidents([a, b, near, far], TREE);
    expect(rest).toEqual([]);
    expect(i?.finding_ids).toEqual([a.finding_id, b.finding_id, near.finding_id]);
    expect(i?.tactics).toEqual(['Initial Access', 'Execution', 'Impair Process Control']);
    expect(i?.steps[2]?.text).toContain('h: ics-write — modbus.write_single_register 10.0.0.5:502');
  });

  it('joins repeats of one rule on one host in quick succession though their parent is unknown; not a late repeat nor another rule', () => {
    // Four short `wevtutil cl` runs whose parent the capture never saw, each with its own finding.
    const orphans = [7816, 4544, 1400, 7344].map((pid, i) => proc(10 + i, pid, null, 'wevtutil.exe', 100 + i * 0.2, 100.1 + i * 0.2));
    const tree = [...TREE, ...orphans, proc(20, 8000, null, 'wevtutil.exe', 900, 901), proc(21, 8100, null, 'notepad.exe', 100, 101)];
    const clears = orphans.map((o, i) => finding('log-clear', ['T1070.001'], [ev(o.pid, 100 + i * 0.2, 'ProcessCreate', 'conhost.exe', 'process')]));
    const late = finding('log-clear', ['T1070.001'], [ev(8000, 900, 'ProcessCreate', 'conhost.exe', 'process')]);
    const other = finding('other-rule', ['T1059'], [ev(8100, 100.5, 'ProcessCreate', 'cmd.exe', 'process')]);
    const incidents = buildIncidents([...clears, late, other], tree);
    expect(incidents.map((i) => i.finding_ids)).toEqual([clears.map((f) => f.finding_id)]);
    expect(buildIncidents([...clears, late, other].map((f) => ({ ...f, host: f === clears[1] ? 'other-host' : f.host })), tree)[0]?.finding_ids).toEqual(
      [clears[0], clears[2], clears[3]].map((f) => f?.finding_id),
    );
  });

  it('names a process-less incident without a host by the endpoints its events name', () => {
    const write = (at: number, target: string) => ({ ...finding('ics-write', ['T0855'], [ev(null, at, 'modbus.write_single_coil', target, 'ics')]), host: null });
    const one = buildIncidents([write(100, '10.0.0.5:502'), write(130, '10.0.0.5:502')], TREE);
    expect(one.map((i) => i.title)).toEqual(['10.0.0.5:502: Impair Process Control, 2 findings']);
    const two = buildIncidents([write(100, '10.0.0.5:502'), write(130, '10.0.0.6:502')], TREE);
    expect(two[0]?.title).toMatch(/^10\.0\.0\.5:502 and 1 other endpoint: /);
  });

  it('never puts a finding in two incidents, and every incident has at least two findings', () => {
    const pids = [200, 201, 300, 400, 500, null];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...pids), fc.integer({ min: 0, max: 999 }), fc.constantFrom('/tmp/a', '/etc/x', '1.2.3.4:5')), { minLength: 1, maxLength: 25 }), (specs) => {
        const findings = specs.map(([pid, at, target]) => finding('r', ['T1059'], [ev(pid, at, 'op', target, target.includes(':') ? 'network' : 'file')]));
        const incidents = buildIncidents(findings, TREE);
        const all = incidents.flatMap((i) => i.finding_ids);
        expect(new Set(all).size).toBe(all.length);
        for (const i of incidents) {
          expect(i.finding_ids.length).toBeGreaterThanOrEqual(2);
          expect(i.steps.map((s) => s.ts_us)).toEqual([...i.steps.map((s) => s.ts_us)].sort((x, y) => x - y));
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('entities, tactics and keys', () => {
  it('takes files placed in writable places and endpoints, not the places themselves nor system files', () => {
    expect(entityOf(ev(1, 0, 'openat', '/tmp/.x/libsys.so'))).toBe('file:/tmp/.x/libsys.so');
    expect(entityOf(ev(1, 0, 'opendir', '/tmp/'))).toBeNull();
    expect(entityOf(ev(1, 0, 'openat', '/etc/shadow'))).toBeNull();
    expect(entityOf(ev(1, 0, 'connect', '127.0.0.1:502', 'network'))).toBe('net:127.0.0.1:502');
  });

  it('orders tactics along the kill chain, Enterprise and ICS together, primary tactic only', () => {
    expect(tacticsInOrder(['T0831', 'T1057', 'T1190', 'T1574.006', 'T9999', 't1059.004'])).toEqual(['Initial Access', 'Execution', 'Persistence', 'Discovery', 'Impact']);
  });

  it('keys a finding by rule and event ids whatever their order', () => {
    expect(findingKey('r', [3, 1, 2])).toBe(findingKey('r', [1, 2, 3]));
    expect(findingKey('r', [1, 2])).not.toBe(findingKey('r', [1, 2, 3]));
    expect(findingKey('s', [1, 2, 3])).not.toBe(findingKey('r', [1, 2, 3]));
  });
});

describe('no findings, no incidents', () => {
  // computeIncidents (store.ts) skips reading the process tree when the case has no findings;
  // that is only right while incidents are made of findings alone, whatever the tree holds.
  it('any process tree without findings gives no incident', () => {
    const node = fc
      .record({ pid: fc.integer({ min: 1, max: 5000 }), parent: fc.option(fc.integer({ min: 1, max: 40 })), start: fc.integer({ min: 0, max: 900 }), len: fc.integer({ min: 0, max: 900 }) });
    fc.assert(
      fc.property(fc.array(node, { maxLength: 40 }), (specs) => {
        const tree = specs.map((p, i) => proc(i + 1, p.pid, p.parent !== null && p.parent <= i ? p.parent : null, '/bin/sh', p.start, p.start + p.len));
        expect(buildIncidents([], tree)).toEqual([]);
      }),
    );
  });
});
