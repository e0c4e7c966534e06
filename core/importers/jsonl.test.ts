import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusCapture as sharedCapture, describeCorpus } from '../testing/corpus.ts';
import { isoToUs } from '../util/time.ts';
import { jsonLinesImporter } from './jsonl.ts';
import { detectFormat, makeDetectSample } from './registry.ts';
import { accounted, runFile, runText } from '../testing/collecting-sink.ts';

const PROC = 'linux/hmi-dev/logs/proc_events.jsonl';

describeCorpus('jsonl on the kernel proc-connector log (corpus; repository fixture: jsonl-fixture.test.ts)', () => {
  // Read in beforeAll: a skipped suite's body still runs to collect its tests.
  let records: Record<string, unknown>[] = [];
  let r: ReturnType<typeof runFile>;
  beforeAll(() => {
    records = readFileSync(sharedCapture(PROC), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    r = runFile(jsonLinesImporter, sharedCapture(PROC));
  });

  it('is detected as jsonl and every line becomes a process event', () => {
    const detection = detectFormat(makeDetectSample('proc_events.jsonl', readFileSync(sharedCapture(PROC))));
    expect(detection.status === 'found' && detection.importer.format).toBe('jsonl');
    expect(r.rejects).toEqual([]);
    expect(r.events).toHaveLength(records.length);
    expect(r.events.every((e) => e.kind === 'process' && e.category === 'process')).toBe(true);
  });

  it('times equal each record’s own time_iso, to the microsecond', () => {
    r.events.forEach((e, i) => expect(e.ts_us).toBe(isoToUs(String(records[i]?.['time_iso']))));
  });

  it('op is the event name, with the same counts as the source', () => {
    const count = (list: string[]) => list.reduce<Record<string, number>>((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {});
    expect(count(r.events.map((e) => e.op))).toEqual(count(records.map((x) => String(x['event']))));
  });

  it('exec: pid, process from the command line, exe as target, command line as args', () => {
    const exec = r.events[1];
    expect(records[1]?.['event']).toBe('exec');
    expect(exec).toMatchObject({
      op: 'exec',
      pid: 16610,
      process: 'python3',
      target: '/root/.pyenv/versions/3.11.7/bin/python3.11',
    });
    expect(exec?.args).toMatch(/^python3 \/capture\/hmi-dev\/generator\/plc_sim\.py --port 502/);
    expect(exec?.fields).toMatchObject({ uid: 0, scope: 'plc-simulator' });
  });

  it('fork: ppid from the parent; a thread fork keeps the process id as pid and the thread as tid', () => {
    expect(r.events[0]).toMatchObject({ op: 'fork', pid: 16610, ppid: 16551 });
    expect(records[2]).toMatchObject({ event: 'fork', thread: true, pid: 16611, tgid: 16610 });
    expect(r.events[2]).toMatchObject({ pid: 16610, tid: 16611, process: 'python3' }); // name remembered from the exec
  });

  it('exit: exit code as ret', () => {
    const i = records.findIndex((x) => x['event'] === 'exit');
    expect(r.events[i]?.ret).toBe(String(records[i]?.['exit_code']));
  });
});

describe('jsonl edge cases', () => {
  it('epoch numbers and numeric strings of every unit', () => {
    const lines = [
      '{"time_epoch": 1795673602.613126, "msg": "s"}',
      '{"ts": 1795673602613, "msg": "ms"}',
      '{"ts": "1795673602613126", "msg": "us"}',
      '{"timestamp": "1795673602613126999", "msg": "ns as text, exact"}',
      '{"@timestamp": "2026-11-26T07:13:22.613126+01:00", "msg": "offset"}',
    ];
    const r = runText(jsonLinesImporter, lines.join('\n'));
    expect(r.events.map((e) => e.ts_us)).toEqual([1795673602613126, 1795673602613000, 1795673602613126, 1795673602613126, 1795673602613126]);
  });

  it('nested ECS-style objects are flattened; message, host, pid and level are found by name', () => {
    const line = '{"@timestamp":"2026-11-26T06:13:22Z","host":{"name":"hmi-ws01"},"process":{"pid":811,"name":"sshd"},"log":{"level":"info"},"message":"Failed password for root from 10.0.0.9 port 4242 ssh2"}';
    const e = runText(jsonLinesImporter, line).events[0];
    expect(e).toMatchObject({ host: 'hmi-ws01', pid: 811, process: 'sshd', kind: 'auth', op: 'Failed password for root' });
    expect(e?.fields).toMatchObject({ 'log.level': 'info' });
  });

  it('alarm severity and an "alarm" field give kind alarm; a Modbus write message gives ics', () => {
    const r = runText(
      jsonLinesImporter,
      [
        '{"ts":"2026-11-26T06:13:22Z","severity":"CRIT","message":"tank high"}',
        '{"ts":"2026-11-26T06:13:23Z","alarm":"LEVEL_HIGH","tag":"T100"}',
        '{"ts":"2026-11-26T06:13:24Z","message":"modbus write_single_register unit=1 addr=1 value=950"}',
      ].join('\n'),
    );
    expect(r.events.map((e) => e.kind)).toEqual(['alarm', 'alarm', 'ics']);
  });

  it('--map overrides names: ts, op, pid, host, kind', () => {
    const line = '{"when_seen":"2026-11-26T06:13:22Z","ts":"not a time","verb":"open","who":"77","box":"plc-gw","k":"file"}';
    const e = runText(jsonLinesImporter, line, { map: { ts: 'when_seen', op: 'verb', pid: 'who', host: 'box', kind: 'k' } }).events[0];
    expect(e).toMatchObject({ ts_us: isoToUs('2026-11-26T06:13:22Z'), op: 'open', pid: 77, host: 'plc-gw', kind: 'file', category: 'file' });
  });

  it('bad lines are rejected with their line number and reason; blank lines skipped', () => {
    const r = runText(jsonLinesImporter, ['{"ts":"2026-11-26T06:13:22Z","m":1}', 'garbage here', '', '[1,2]', '{"m":2}', '{"ts":"yesterday"}'].join('\n'));
    expect(r.rejects.map((x) => [x.line, x.reason.split(' (')[0]])).toEqual([
      [2, 'not valid JSON'],
      [4, 'not a JSON object'],
      [5, 'no timestamp field found'],
      [6, 'field "ts" is not a readable time: yesterday'],
    ]);
    expect(r.skips).toEqual([3]);
    expect(accounted(r)).toBe(r.lines.length);
  });

  it('an unknown --map field is an error, not silently ignored', () => {
    expect(() => runText(jsonLinesImporter, '{}', { map: { tss: 'x' } })).toThrow(/unknown field "tss"/);
  });

  it('detection stays at or below 0.5', () => {
    const sample = makeDetectSample('x', new TextEncoder().encode('{"ts": 1795673602, "a": 1}\n{"ts": 1795673603, "a": 2}\n'));
    expect(jsonLinesImporter.detect(sample)).toBe(0.5);
    expect(jsonLinesImporter.detect(makeDetectSample('x', new TextEncoder().encode('a,b\n1,2\n')))).toBe(0);
  });
});
