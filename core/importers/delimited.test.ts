import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusCapture as sharedCapture, describeCorpus } from '../testing/corpus.ts';
import { isoToUs } from '../util/time.ts';
import { delimitedImporter } from './delimited.ts';
import { CsvRecordReader, detectDelimiter } from './csv-split.ts';
import { detectFormat, makeDetectSample } from './registry.ts';
import { accounted, runFile, runText } from '../testing/collecting-sink.ts';

const HISTORIAN = 'linux/hmi-dev/logs/historian.csv';

describeCorpus('csv on the HMI historian (corpus)', () => {
  // Read in beforeAll: a skipped suite's body still runs to collect its tests.
  let lines: string[] = [];
  let r: ReturnType<typeof runFile>;
  beforeAll(() => {
    lines = readFileSync(sharedCapture(HISTORIAN), 'utf8').split('\n').filter((l) => l !== '');
    r = runFile(delimitedImporter, sharedCapture(HISTORIAN));
  });

  it('is detected as csv; header skipped, one event per data row, time from time_utc', () => {
    const detection = detectFormat(makeDetectSample('historian.csv', readFileSync(sharedCapture(HISTORIAN))));
    expect(detection.status === 'found' && detection.importer.format).toBe('csv');
    expect(r.skips).toEqual([1]);
    expect(r.rejects).toEqual([]);
    expect(r.events).toHaveLength(lines.length - 1);
    r.events.forEach((e, i) => expect(e.ts_us).toBe(isoToUs(lines[i + 1]?.split(',')[0] ?? '')));
  });

  it('numeric rows are historian samples with every value in args and fields', () => {
    const e = r.events[0];
    expect(lines[1]).toBe('2026-11-26T06:13:22.630Z,500,500,60,40,215,120,1');
    expect(e).toMatchObject({ kind: 'log', op: 'historian sample', process: null, pid: null });
    expect(e?.args).toBe('level=500 setpoint=500 pump_speed=60 valve_pos=40 temp_x10=215 flow=120 comm=1');
    expect(e?.fields).toMatchObject({ level: 500, setpoint: 500, comm: 1 });
  });
});

describe('csv edge cases', () => {
  it('epoch s/ms/µs/ns columns', () => {
    const text = ['epoch,v', '1795673602.613126,a', '1795673602613,b', '1795673602613126,c', '1795673602613126999,d'].join('\n');
    expect(runText(delimitedImporter, text).events.map((e) => e.ts_us)).toEqual([1795673602613126, 1795673602613000, 1795673602613126, 1795673602613126]);
  });

  it('quoted fields with commas, doubled quotes and newlines; the next physical line is a continuation', () => {
    const text = ['timestamp,user,message', '2026-11-26T06:13:22Z,op1,"setpoint, changed ""by hand"""', '2026-11-26T06:13:23Z,op2,"line one', 'line two"', '2026-11-26T06:13:24Z,op3,plain'].join('\r\n');
    const r = runText(delimitedImporter, text);
    expect(r.events.map((e) => e.args)).toEqual(['setpoint, changed "by hand"', 'line one\nline two', 'plain']);
    expect(r.events.map((e) => e.source_line)).toEqual([2, 3, 5]);
    expect(r.continuations).toEqual([4]);
    expect(accounted(r)).toBe(r.lines.length);
  });

  it('TSV with host, pid, process and severity columns', () => {
    const text = ['time\thost\tpid\tprocess\tlevel\tmessage', '2026-11-26 06:13:22.5\tplc-gw\t42\tsshd\tALERT\tauthentication failure for admin'].join('\n');
    const e = runText(delimitedImporter, text, { tz: 'UTC' }).events[0];
    expect(e).toMatchObject({ ts_us: isoToUs('2026-11-26T06:13:22.5Z'), host: 'plc-gw', pid: 42, process: 'sshd', kind: 'alarm', fields: { level: 'ALERT' } });
  });

  it('--map picks columns whose names say nothing', () => {
    const text = ['a;b;c;d', '26/11 ignored;2026-11-26T06:13:22Z;write;plc-gw'].join('\n');
    const e = runText(delimitedImporter, text, { map: { ts: 'b', op: 'c', host: 'D' } }).events[0];
    expect(e).toMatchObject({ ts_us: isoToUs('2026-11-26T06:13:22Z'), op: 'write', host: 'plc-gw' });
  });

  it('--map naming a missing column is an error listing the columns', () => {
    expect(() => runText(delimitedImporter, 'time,v\n2026-11-26T06:13:22Z,1', { map: { ts: 'when' } })).toThrow(/--map ts=when: no such column \(columns: time, v\)/);
  });

  it('garbage and short rows are rejected with their line numbers; bad times too', () => {
    const text = ['time,level,flow', '2026-11-26T06:13:22Z,1,2', 'garbage line', '2026-11-26T06:13:23Z,1', 'not-a-time,1,2', '2026-11-26T06:13:24Z,1,2'].join('\n');
    const r = runText(delimitedImporter, text);
    expect(r.rejects.map((x) => [x.line, x.reason])).toEqual([
      [3, '1 field(s), the header has 3'],
      [4, '2 field(s), the header has 3'],
      [5, 'column "time" is not a readable time: not-a-time'],
    ]);
    expect(r.events).toHaveLength(2);
  });

  it('an unterminated quote at the end rejects its first line and reads the lines after it again', () => {
    const text = ['time,msg', '2026-11-26T06:13:22Z,"never closed', '2026-11-26T06:13:23Z,ok'].join('\n');
    const r = runText(delimitedImporter, text);
    expect(r.rejects.map((x) => x.line)).toEqual([2]);
    expect(r.events.map((e) => [e.source_line, e.args])).toEqual([[3, 'ok']]);
    expect(accounted(r)).toBe(r.lines.length);
  });

  it('a file with no time column, or no header, is refused with a clear error', () => {
    expect(() => runText(delimitedImporter, 'name,value\nx,1\n')).toThrow(/no time column found.*--map ts=COLUMN/);
    expect(() => runText(delimitedImporter, 'just one column\n')).toThrow(/not a CSV\/TSV header/);
  });

  it('splitter and delimiter detection', () => {
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('"x,y";b;c')).toBe(';');
    const reader = new CsvRecordReader(',');
    expect(reader.push('1,"a')).toBeNull();
    expect(reader.push('b",3')).toEqual(['1', 'a\nb', '3']);
  });

  it('detection: 0.5 with a time column, never more; JSON lines are not CSV', () => {
    const sample = (t: string) => makeDetectSample('x', new TextEncoder().encode(t));
    expect(delimitedImporter.detect(sample('time,v\n2026-11-26T06:13:22Z,1\n2026-11-26T06:13:23Z,2\n'))).toBe(0.5);
    expect(delimitedImporter.detect(sample('{"a": 1, "b": 2}\n{"a": 1, "b": 2}\n'))).toBe(0);
  });
});
