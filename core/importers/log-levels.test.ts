// Levels stated by log records: which field names and values are read as a severity, which
// severities make the record an alarm, and that the level and the message are kept whatever
// field held them (fixtures: core/importers/fixtures/logs/SOURCES.md).
import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../model/event.ts';
import { fixture } from '../testing/corpus.ts';
import { runFile, runText } from '../testing/collecting-sink.ts';
import { delimitedImporter } from './delimited.ts';
import { jsonLinesImporter } from './jsonl.ts';
import { isAlarmSeverity, normaliseSeverity } from './log-kind.ts';
import { textLogImporter } from './textlog.ts';

/** What the analyst sees per record: kind, level and the text the free-text filter searches. */
const seen = (events: CanonicalEvent[]): [string, string | null | undefined, string | null | undefined][] =>
  events.map((e) => [e.kind, e.level, e.args]);

describe('severity values', () => {
  it.each([
    ['alarm', 'alarm'],
    ['ALARM', 'alarm'],
    ['Alert', 'alert'],
    ['crit', 'crit'],
    ['CRITICAL', 'crit'],
    ['emerg', 'emerg'],
    ['Emergency', 'emerg'],
    ['fatal', 'fatal'],
    ['Error', 'err'],
    ['WARN', 'warning'],
    ['notice', 'notice'],
    ['info', 'info'],
    [0, 'emerg'],
    [1, 'alert'],
    [2, 'crit'],
    [3, 'err'],
    ['2', 'crit'],
    ['<2>', 'crit'],
    ['<9>', 'alert'], // PRI 9 = user.alert
    ['<134>', 'info'], // PRI 134 = local0.info
    ['local0.alert', 'alert'],
    ['auth.CRIT', 'crit'],
    ['kern.warning', 'warning'],
  ] as const)('%j reads as %s', (value, severity) => {
    expect(normaliseSeverity(value)).toBe(severity);
  });

  it.each([['<192>'], [8], ['tank.alert'], ['high'], ['800'], [true]])('%j is not a severity', (value) => {
    expect(normaliseSeverity(value)).toBeNull();
  });

  it('emerg, alert, crit, alarm and fatal are alarms; err and warning are not', () => {
    const alarms = ['emerg', 'alert', 'crit', 'alarm', 'fatal', 'err', 'warning', 'notice', 'info', 'debug'].filter(isAlarmSeverity);
    expect(alarms).toEqual(['emerg', 'alert', 'crit', 'alarm', 'fatal']);
  });
});

describe('JSON Lines levels', () => {
  it('reads the level from lvl/level/severity/loglevel/priority and the message from msg/message/text/log/event/MESSAGE', () => {
    const r = runFile(jsonLinesImporter, fixture('logs/hmi-levels.jsonl'));
    expect(r.rejects).toEqual([]);
    expect(seen(r.events)).toEqual([
      ['alarm', 'alarm', 'HIGH LEVEL tank T-100'],
      ['alarm', 'crit', 'pump P-101 tripped on overload'],
      ['alarm', 'emerg', 'ESD activated from the operator console'],
      ['alarm', 'fatal', 'historian writer crashed, samples lost'],
      ['alarm', 'crit', 'reactor pressure above trip point'],
      ['alarm', 'alert', 'PLC comm lost: connection closed by PLC'],
      ['alarm', 'alert', 'setpoint changed outside the allowed band'],
      ['alarm', 'crit', 'safety interlock bypassed'],
      ['alarm', 'emerg', 'controller halted'],
      ['log', 'err', 'failed to write setpoint to PLC'],
      ['log', 'warning', 'changed alarms.level_high: 800 -> 9999'],
      ['log', 'info', 'diagnostic ping requested by 127.0.0.1:57310'],
      ['log', 'info', 'disk /opt/hmi used 24%'],
    ]);
  });

  it('names the op from the message when the prose sits in an "event" field', () => {
    const r = runText(jsonLinesImporter, '{"ts":"2026-11-26T06:14:21Z","lvl":"crit","event":"reactor pressure above trip point"}\n');
    expect(r.events[0]?.op).toBe('reactor pressure above trip point');
    // A short event name stays the op and is not taken for the message.
    const named = runText(jsonLinesImporter, '{"ts":"2026-11-26T06:14:21Z","lvl":"info","event":"process_start","msg":"started"}\n');
    expect(named.events[0]).toMatchObject({ op: 'process_start', args: 'started', level: 'info' });
  });

  it('a "level" field of tank levels is not a severity', () => {
    const r = runText(jsonLinesImporter, '{"ts":"2026-11-26T06:14:21Z","level":812.5,"msg":"tank T-100 sample"}\n');
    expect(r.events[0]).toMatchObject({ kind: 'log', level: null });
  });
});

describe('CSV levels', () => {
  it('reads a lvl column case-insensitively, numeric syslog severities included', () => {
    const r = runFile(delimitedImporter, fixture('logs/levels.csv'));
    expect(r.rejects).toEqual([]);
    expect(seen(r.events)).toEqual([
      ['alarm', 'alarm', 'HIGH LEVEL tank T-100'],
      ['alarm', 'crit', 'pump P-101 tripped on overload'],
      ['alarm', 'emerg', 'ESD activated from the operator console'],
      ['alarm', 'alert', 'watchdog expired on the safety PLC'],
      ['log', 'err', 'failed to write setpoint to PLC'],
      ['log', 'warning', 'valve XV-12 slow to close'],
      ['log', 'notice', 'PLC comm restored after 6.5s'],
    ]);
  });

  it('reads "severity" and "priority" columns in a TSV too', () => {
    const tsv = 'ts\tpriority\tmsg\n2026-11-26T06:14:17Z\t2\tHIGH LEVEL tank T-100\n2026-11-26T06:14:18Z\t4\tvalve slow\n';
    expect(seen(runText(delimitedImporter, tsv).events)).toEqual([
      ['alarm', 'crit', 'HIGH LEVEL tank T-100'],
      ['log', 'warning', 'valve slow'],
    ]);
  });
});

describe('syslog levels', () => {
  it('takes the level from the PRI, from facility.severity or from a level word leading the message', () => {
    const r = runFile(textLogImporter, fixture('logs/levels-syslog.log'), { date: '2026-11-26' });
    expect(r.rejects).toEqual([]);
    expect(r.events.map((e) => [e.kind, e.level, e.host, e.process])).toEqual([
      ['alarm', 'alert', 'hmi-ws01', 'flowview'], // <9> = user.alert
      ['alarm', 'crit', 'hmi-ws01', 'flowview'], // <130> = local0.crit
      ['alarm', 'emerg', 'hmi-ws01', 'flowview'],
      ['alarm', 'fatal', 'hmi-ws01', 'flowview'], // local0.info, but the line says FATAL
      ['log', 'err', 'hmi-ws01', 'flowview'],
      ['log', 'warning', 'hmi-ws01', 'flowview'],
      ['log', 'info', 'hmi-ws01', 'flowview'],
    ]);
    expect(r.events[0]?.args).toBe('HIGH LEVEL tank T-100');
  });
});

describe('measurements are not levels', () => {
  it('a small number in a "level" column without a message is a measurement; with a message it is a severity', () => {
    const historian = runText(delimitedImporter, 'time_utc,level,flow\n2026-11-26T06:13:22Z,3,120\n');
    expect(historian.events[0]).toMatchObject({ kind: 'log', level: null });
    const log = runText(jsonLinesImporter, '{"ts":"2026-11-26T06:13:22Z","level":2,"msg":"trip"}\n');
    expect(log.events[0]).toMatchObject({ kind: 'alarm', level: 'crit' });
  });
});
