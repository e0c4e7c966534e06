// JSON-lines importer on the sample scenario's own application log (fixtures/jsonl: a copy of
// samples/demo/app-log.jsonl, written by real programs). Expected values come from the records.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/corpus.ts';
import { runFile } from '../testing/collecting-sink.ts';
import { isoToUs } from '../util/time.ts';
import { jsonLinesImporter } from './jsonl.ts';
import { detectFormat, makeDetectSample } from './registry.ts';

const APP_LOG = fixture('jsonl/demo-app-log.jsonl');

describe('jsonl on the demo application log', () => {
  const records = readFileSync(APP_LOG, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const r = runFile(jsonLinesImporter, APP_LOG);

  it('is detected as jsonl; every line is one event at its own ts, to the microsecond', () => {
    const detection = detectFormat(makeDetectSample('app-log.jsonl', readFileSync(APP_LOG)));
    expect(detection.status === 'found' && detection.importer.format).toBe('jsonl');
    expect(r.rejects).toEqual([]);
    expect(r.events).toHaveLength(records.length);
    r.events.forEach((e, i) => expect(e.ts_us).toBe(isoToUs(String(records[i]?.['ts']))));
  });

  it('takes op from "event", process from "program" and pid from "pid"', () => {
    expect(r.events.map((e) => [e.op, e.process, e.pid])).toEqual(records.map((x) => [x['event'], x['program'], x['pid']]));
  });

  it('reads the Modbus register write as an ICS event, with the other fields in args', () => {
    const i = records.findIndex((x) => x['event'] === 'modbus.write_single_register');
    expect(i).toBeGreaterThanOrEqual(0);
    expect(r.events[i]).toMatchObject({ kind: 'ics', args: `register=${String(records[i]?.['register'])} old=${String(records[i]?.['old'])} new=${String(records[i]?.['new'])}` });
  });
});
