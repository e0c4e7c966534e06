import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusCapture as sharedCapture, describeCorpus } from '../testing/corpus.ts';
import { isoToUs } from '../util/time.ts';
import { detectFormat, makeDetectSample } from './registry.ts';
import { textLogImporter } from './textlog.ts';
import { accounted, runFile, runText } from '../testing/collecting-sink.ts';

const LOGS = 'linux/hmi-dev/logs';
const sourceLines = (rel: string): string[] => readFileSync(sharedCapture(rel), 'utf8').split('\n').filter((l) => l !== '');
const us = (iso: string): number => {
  const v = isoToUs(iso);
  if (v === null) throw new Error(iso);
  return v;
};

describeCorpus('textlog on the hmi-dev logs (corpus)', () => {
  const files = ['syslog.log', 'hmi.log', 'plc.log', 'audit.log', 'recovered/audit.log', 'recovered/hmi.log.1'];

  it.each(files)('%s: detected as textlog, one event per line, times equal the leading ISO time of each line', (name) => {
    const rel = `${LOGS}/${name}`;
    const detection = detectFormat(makeDetectSample(name, readFileSync(sharedCapture(rel))));
    expect(detection.status === 'found' && detection.importer.format).toBe('textlog');
    const r = runFile(textLogImporter, sharedCapture(rel));
    const lines = sourceLines(rel);
    // Every line of these files starts with an ISO time, so each is one event.
    expect(r.rejects).toEqual([]);
    expect(r.events).toHaveLength(lines.length);
    r.events.forEach((e, i) => expect(e.ts_us).toBe(us(lines[i]?.split(' ')[0] ?? '')));
  });

  it('syslog collector lines give host, program, pid, facility and severity; local0.alert lines are alarms', () => {
    const r = runFile(textLogImporter, sharedCapture(`${LOGS}/syslog.log`));
    const first = r.events[0];
    expect(first).toMatchObject({ host: 'hmi-ws01', process: 'flowview', pid: 1202, kind: 'log', op: 'main: FlowView HMI starting' });
    expect(first?.fields).toMatchObject({ facility: 'local0', severity: 'info', component: 'main' });
    const alertLines = sourceLines(`${LOGS}/syslog.log`).filter((l) => l.includes(' local0.alert ')).length;
    expect(alertLines).toBe(3); // comm lost + two setpoint mismatches
    expect(r.events.filter((e) => e.kind === 'alarm')).toHaveLength(alertLines);
  });

  it('hmi.log: the "ALARM [plc] PLC comm lost" line is an alarm at 06:14:17.620Z', () => {
    const r = runFile(textLogImporter, sharedCapture(`${LOGS}/hmi.log`));
    const lost = r.events.find((e) => e.args?.includes('PLC comm lost'));
    expect(lost).toMatchObject({ kind: 'alarm', category: 'alarm', op: 'plc: PLC comm lost', source_line: 2 });
    expect(lost?.ts_us).toBe(us('2026-11-26T06:14:17.620Z'));
    expect(r.events.find((e) => e.source_line === 1)).toMatchObject({ kind: 'log', fields: { severity: 'info' } });
  });

  it('plc.log: WRITE lines are ICS writes with their function code; others are logs', () => {
    const r = runFile(textLogImporter, sharedCapture(`${LOGS}/plc.log`));
    const writes = sourceLines(`${LOGS}/plc.log`).filter((l) => l.includes(': WRITE fc='));
    expect(r.events.filter((e) => e.kind === 'ics')).toHaveLength(writes.length);
    const recipe = r.events.find((e) => e.source_line === 3);
    expect(recipe).toMatchObject({ kind: 'ics', category: 'ics', process: 'plc-t100', pid: 16610, op: 'WRITE fc=6 unit=1 hr=1' });
    expect(recipe?.fields).toMatchObject({ fc: '6', unit: '1', hr: '1' });
    expect(r.events.find((e) => e.source_line === 2)).toMatchObject({ kind: 'log', op: 'connection from' });
  });

  it('the maintenance audit log (not auditd) keeps the injected command in fields', () => {
    const r = runFile(textLogImporter, sharedCapture(`${LOGS}/recovered/audit.log`));
    const cmds = r.events.map((e) => e.fields?.['cmd']).filter((c): c is string => typeof c === 'string');
    expect(cmds).toContain('DIAG PING 127.0.0.1 >/dev/null; /tmp/.x/upd.sh');
    expect(r.events.every((e) => e.kind === 'log')).toBe(true);
  });
});

describe('textlog forms and edge cases', () => {
  it('RFC 5424 with structured data', () => {
    const r = runText(textLogImporter, '<134>1 2026-11-26T06:13:22.613Z hmi-ws01 flowview 1202 ID47 [exampleSDID@32473 iut="3" eventSource="App"] INFO [main] started\n');
    expect(r.events[0]).toMatchObject({ ts_us: us('2026-11-26T06:13:22.613Z'), host: 'hmi-ws01', process: 'flowview', pid: 1202, op: 'main: started' });
    expect(r.events[0]?.fields).toMatchObject({ facility: 'local0', severity: 'info', msgid: 'ID47', structured_data: '[exampleSDID@32473 iut="3" eventSource="App"]' });
  });

  it('RFC 5424 PRI severity 1 (alert) makes an alarm; NILVALUE fields are empty', () => {
    const r = runText(textLogImporter, '<129>1 2026-11-26T06:13:22Z - - - - - tank overflow\n');
    expect(r.events[0]).toMatchObject({ kind: 'alarm', host: null, process: null, pid: null });
  });

  it('RFC 3164 takes the year from ctx.date, warns once, and reads sshd lines as auth', () => {
    const text = 'Nov 26 06:13:22 hmi-ws01 sshd[811]: Accepted publickey for root from 10.0.0.5 port 50514 ssh2\nNov 26 06:13:23 hmi-ws01 CRON[900]: (root) CMD (true)\n';
    const r = runText(textLogImporter, text, { date: '2026-11-27', dateBasis: 'file modification date' });
    expect(r.events[0]).toMatchObject({ ts_us: us('2026-11-26T06:13:22Z'), host: 'hmi-ws01', process: 'sshd', pid: 811, kind: 'auth' });
    expect(r.events[1]).toMatchObject({ kind: 'log', process: 'CRON' });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/no year.*2026-11-27/);
  });

  it('RFC 3164 lines dated after ctx.date are put in the year before (log crossed New Year)', () => {
    const r = runText(textLogImporter, 'Dec 31 23:59:59 h app: bye\nJan  1 00:00:01 h app: hello\n', { date: '2027-01-02' });
    expect(r.events.map((e) => e.ts_us)).toEqual([us('2026-12-31T23:59:59Z'), us('2027-01-01T00:00:01Z')]);
  });

  it('ISO times without an offset are read in ctx.tz', () => {
    const r = runText(textLogImporter, '2026-11-26 07:13:22,500 ERROR [db] connection refused\n', { tz: 'Europe/Berlin' });
    expect(r.events[0]).toMatchObject({ ts_us: us('2026-11-26T06:13:22.5Z'), fields: { severity: 'err', component: 'db' }, op: 'db: connection refused' });
  });

  it('untimed lines after a timed one are continuations kept in args; before any, rejects with their line number', () => {
    const text = [
      'Traceback header without time',
      '2026-11-26T06:13:22Z ERROR [main] crash',
      'Traceback (most recent call last):',
      '  File "hmi.py", line 3',
      '',
      '2026-11-26T06:13:23Z INFO [main] restarted',
    ].join('\n');
    const r = runText(textLogImporter, text);
    expect(r.rejects).toEqual([{ line: 1, reason: expect.stringMatching(/no time/), raw: 'Traceback header without time' }]);
    expect(r.continuations).toEqual([3, 4]);
    expect(r.skips).toEqual([5]);
    expect(r.events).toHaveLength(2);
    expect(r.events[0]?.args).toBe('ERROR [main] crash\nTraceback (most recent call last):\n  File "hmi.py", line 3');
    expect(accounted(r)).toBe(r.lines.length);
  });

  it('detection stays at or below 0.6 and ignores files without leading times', () => {
    const sample = (text: string) => makeDetectSample('x', new TextEncoder().encode(text));
    expect(textLogImporter.detect(sample('Nov 26 06:13:22 h sshd[1]: x\nNov 26 06:13:23 h sshd[1]: y\n'))).toBe(0.6);
    expect(textLogImporter.detect(sample('2026-11-26T06:13:22Z hello\n2026-11-26T06:13:23Z again\n'))).toBe(0.55);
    expect(textLogImporter.detect(sample('time,value\n2026-11-26T06:13:22Z,1\n'))).toBe(0);
    expect(textLogImporter.detect(sample('{"ts": 1}\n'))).toBe(0);
  });
});
