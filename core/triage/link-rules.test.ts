// The link-aware checks on a built case: an HMI service (long-lived, two register writes) and an
// intruder's Modbus tool started from bash (one coil write, then an alarm). The links between
// host calls, wire flows, operations and the alarm are written as core/links would keep them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listIncidents } from '../incidents/store.ts';
import type { LinkKind } from '../model/link.ts';
import { capturesFingerprint } from '../store/captures-fingerprint.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { listFindings, runTriage } from './findings.ts';
import { SHELL_CONTROLLER_RULE, UNUSUAL_WRITER_RULE, WRITE_THEN_ALARM_RULE } from './link-rules.ts';
import { addCapture, call } from './testing/build-case.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const ics = (sec: number, op: string, write: boolean) => call(sec, 0, op, '10.0.0.5:502', '', { pid: null, kind: 'ics', category: 'ics', fields: { ics_protocol: 'modbus', ics_write: write } });
const syn = (sec: number) => call(sec, 0, 'tcp', '10.0.0.5:502', '', { pid: null, kind: 'network', category: 'network' });

async function buildCase(store: CaseStore) {
  const host = [
    call(0, 10, 'execve', '/usr/bin/python3', '"/usr/bin/python3", ["python3", "/opt/hmi/hmi.py"]'),
    call(1, 10, 'connect', '10.0.0.5:502', ''), // hmiConnect
    call(50, 20, 'execve', '/bin/bash', '"/bin/bash", ["bash"]'),
    call(51, 20, 'clone', null, 'flags=SIGCHLD', { ret: '21' }),
    call(51.1, 21, 'execve', '/usr/bin/python3', '"/usr/bin/python3", ["python3", "/tmp/mb.py", "coil", "3", "0"]'),
    call(52, 21, 'connect', '10.0.0.5:502', ''), // toolConnect
    call(100, 10, 'read', null, ''),
  ];
  const wire = [syn(1.0001), ics(10, 'modbus.write_single_register', true), ics(20, 'modbus.write_single_register', true), ics(30, 'modbus.read_coils', false), syn(52.0001), ics(52.5, 'modbus.write_single_coil', true)];
  const alarm = [call(53.5, 0, 'HIGH LEVEL tank T-100', null, '', { pid: null, kind: 'alarm', category: 'alarm' })];
  const c1 = await addCapture(store, host, 'strace.txt');
  const c2 = await addCapture(store, wire, 'wire.csv');
  const c3 = await addCapture(store, alarm, 'alarms.jsonl');
  const idOf = async (capture: number, line: number): Promise<number> =>
    (await store.one(sql`SELECT event_id FROM event_rows WHERE capture_id = ${capture} AND source_line = ${line}`, { event_id: 'num' }))?.event_id ?? -1;
  const e = {
    hmiConnect: await idOf(c1, host[1]?.source_line ?? 0), toolConnect: await idOf(c1, host[5]?.source_line ?? 0),
    syn1: await idOf(c2, wire[0]?.source_line ?? 0), w1: await idOf(c2, wire[1]?.source_line ?? 0), w2: await idOf(c2, wire[2]?.source_line ?? 0),
    read: await idOf(c2, wire[3]?.source_line ?? 0), syn2: await idOf(c2, wire[4]?.source_line ?? 0), w3: await idOf(c2, wire[5]?.source_line ?? 0),
    alarm: await idOf(c3, alarm[0]?.source_line ?? 0),
  };
  const links: [number, number, LinkKind][] = [
    [e.hmiConnect, e.syn1, 'socket-flow'], [e.syn1, e.w1, 'flow-ics'], [e.syn1, e.w2, 'flow-ics'], [e.syn1, e.read, 'flow-ics'],
    [e.toolConnect, e.syn2, 'socket-flow'], [e.syn2, e.w3, 'flow-ics'], [e.w3, e.alarm, 'ics-alarm'],
  ];
  for (const [from, to, kind] of links) await store.exec(sql`INSERT INTO links VALUES (${from}, ${to}, ${kind}, 0.9, 'test')`);
  // Stamped as current, so reading the links does not rebuild them from these synthetic captures.
  await store.exec(sql`DELETE FROM links_state`);
  await store.exec(sql`INSERT INTO links_state VALUES (${await capturesFingerprint(store)})`);
  return e;
}

describe('link-aware triage', () => {
  it('flags the tool\'s write, the write → alarm and the shell-started connection; incidents show the write and the alarm', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'), { create: true });
    try {
      const e = await buildCase(store);
      await runTriage(store, { rules: [], noSequenceDiff: true });
      const findings = await listFindings(store);
      const of = (rule: string) => findings.filter((f) => f.rule === rule);

      expect(of(UNUSUAL_WRITER_RULE.id).map((f) => f.event_ids)).toEqual([[e.toolConnect, e.w3]]);
      expect(of(UNUSUAL_WRITER_RULE.id)[0]?.explanation).toMatch(/python3 mb\.py wrote modbus\.write_single_coil to 10\.0\.0\.5:502; its usual client is python3 hmi\.py \(3 of 4 requests to it\)/);
      expect(of(WRITE_THEN_ALARM_RULE.id).map((f) => f.event_ids)).toEqual([[e.toolConnect, e.w3, e.alarm]]);
      // The HMI is long-lived and not under a shell: only the tool's connection.
      expect(of(SHELL_CONTROLLER_RULE.id).map((f) => f.event_ids)).toEqual([[e.toolConnect, e.syn2]]);
      expect(of(SHELL_CONTROLLER_RULE.id)[0]?.explanation).toMatch(/tree starts from .*bash/);

      const incidents = await listIncidents(store);
      const steps = incidents.flatMap((i) => i.steps);
      expect(steps.some((s) => s.event_ids.includes(e.w3))).toBe(true);
      expect(steps.some((s) => s.event_ids.includes(e.alarm))).toBe(true);
      const withWrite = incidents.find((i) => i.steps.some((s) => s.event_ids.includes(e.w3)));
      expect(withWrite?.steps.some((s) => s.event_ids.includes(e.alarm))).toBe(true); // one storyline: write, then the alarm
      const alarmStep = withWrite?.steps.find((s) => s.event_ids.includes(e.alarm));
      expect(alarmStep?.text).toMatch(/connect 10\.0\.0\.5:502 → modbus\.write_single_coil → HIGH LEVEL tank T-100 \[tb-ics-write-then-alarm\]/);
    } finally {
      store.close();
    }
  });

  it('writers seen in the baseline captures are never unusual', async () => {
    const store = await CaseStore.open(dir.file('b.duckdb'), { create: true });
    try {
      await buildCase(store);
      await store.exec(sql`UPDATE captures SET is_baseline = true WHERE capture_id = 1`); // the host capture (both writers) is the baseline
      await store.exec(sql`DELETE FROM links_state`);
      await store.exec(sql`INSERT INTO links_state VALUES (${await capturesFingerprint(store)})`);
      await runTriage(store, { rules: [], noSequenceDiff: true });
      expect((await listFindings(store)).filter((f) => f.rule === UNUSUAL_WRITER_RULE.id)).toEqual([]);
    } finally {
      store.close();
    }
  });
});
