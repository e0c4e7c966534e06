// ICS probe CSV importer on excerpts of the BUT IEC 104 and MMS datasets (time of day only → the
// import's date and zone; fixtures/ics-probe-csv/SOURCES.md), plus inline fixtures for midnight
// roll-over, zones and bad rows.
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/corpus.ts';
import { makeDetectSample } from './registry.ts';
import { icsProbeCsvImporter } from './ics-probe-csv.ts';
import { accounted, runFile, runText } from '../testing/collecting-sink.ts';

const IEC104 = fixture('ics-probe-csv/iec104-ioa.head70.csv');
const MMS_NORMAL = fixture('ics-probe-csv/gics-normal.lines461-520.csv');
const MMS_MODIFIED = fixture('ics-probe-csv/gics-modified.lines461-520.csv');

/** "08:23:17.05" on 2026-11-26 UTC → µs, by plain arithmetic. */
function onDate(tod: string): number {
  const [h, m, s] = tod.split(':');
  const [whole, frac = ''] = (s ?? '').split('.');
  const seconds = Number(h) * 3600 + Number(m) * 60 + Number(whole);
  return Date.UTC(2026, 10, 26) * 1000 + seconds * 1_000_000 + Number(frac.padEnd(6, '0').slice(0, 6));
}

describe('IEC 60870-5-104 probe CSV (BUT iec104-ioa.csv, first 70 rows)', () => {
  const run = runFile(icsProbeCsvImporter, IEC104, { date: '2026-11-26' });
  const header = (run.lines[0] ?? '').split(';');
  const rows = run.lines.slice(1).map((l) => l.split(';'));
  const col = (name: string) => header.indexOf(name);

  it('reads every APDU with its time of day on the import date, rejecting nothing', () => {
    expect(run.rejects).toEqual([]);
    expect(run.events).toHaveLength(rows.length);
    expect(accounted(run)).toBe(run.lines.length);
    rows.forEach((cells, i) => expect(run.events[i]?.ts_us).toBe(onDate(cells[col('TimeStamp')] ?? '')));
  });

  it('flags commands (ASDU types 45–51 with cause 6 = activation) as writes and their confirmations as replies', () => {
    const isCommand = (c: string[]) => Number(c[col('asduType')]) >= 45 && Number(c[col('asduType')]) <= 51;
    const activations = rows.map((c, i) => [c, i + 2] as const).filter(([c]) => isCommand(c) && c[col('cot')] === '6');
    const confirmations = rows.filter((c) => isCommand(c) && ['7', '10'].includes(c[col('cot')] ?? ''));
    const writes = run.events.filter((e) => e.fields?.['ics_write'] === true);
    expect(writes.map((e) => e.source_line)).toEqual(activations.map(([, line]) => line));
    expect(run.events.filter((e) => e.fields?.['ics_reply'] === true && /^iec104\.c_(sc|dc|rc|se|bo)/.test(e.op))).toHaveLength(confirmations.length);
    const [cells, line] = activations[0] ?? [[], 0];
    const e = run.events.find((x) => x.source_line === line);
    expect(e).toMatchObject({ kind: 'ics', category: 'ics', target: `${cells[col('dstIP')]}:${cells[col('dstPort')]}` });
    expect(e?.args).toContain(`ioa=${cells[col('ioa')]}`);
    expect(e?.fields?.['ics_address']).toBe(Number(cells[col('ioa')]));
  });

  it('names U-format and S-format APCI frames', () => {
    const ops = new Set(run.events.map((e) => e.op));
    expect(ops).toContain('iec104.startdt_act');
    expect(ops).toContain('iec104.testfr_con');
    expect(ops).toContain('iec104.s_frame');
    expect(ops).toContain('iec104.c_ic_na_1'); // general interrogation: a command, but a read
    expect(run.events.filter((e) => e.op === 'iec104.c_ic_na_1').every((e) => e.fields?.['ics_write'] === false)).toBe(true);
  });
});

describe('MMS probe CSV (BUT G-ICS normal vs attacker-modified, the same 60 rows of each)', () => {
  const normal = runFile(icsProbeCsvImporter, MMS_NORMAL);
  const modified = runFile(icsProbeCsvImporter, MMS_MODIFIED);

  it('reads both files completely', () => {
    for (const run of [normal, modified]) {
      expect(run.rejects).toEqual([]);
      expect(run.events).toHaveLength(run.lines.length - 1);
    }
  });

  it('keeps 9-digit times to the µs and reads domain/item of requests', () => {
    const stamp = (normal.lines[1] ?? '').split(';')[0] ?? '';
    expect(normal.events[0]?.ts_us).toBe(onDate(stamp));
    const withItem = normal.events.find((e) => e.fields?.['ics_item'] !== undefined);
    const cells = (normal.lines[(withItem?.source_line ?? 1) - 1] ?? '').split(';');
    expect(withItem?.fields).toMatchObject({ ics_domain: cells[10], ics_item: cells[11] });
  });

  it('shows the rows the attacker turned into writes (service 4 → 5) as ics_write', () => {
    const changed: number[] = [];
    normal.lines.forEach((l, i) => {
      if (l !== modified.lines[i]) changed.push(i + 1);
    });
    const modifiedWrites = changed.filter((line) => modified.events.find((e) => e.source_line === line)?.fields?.['ics_write'] === true);
    expect(modifiedWrites.length).toBeGreaterThan(0);
    for (const line of modifiedWrites) {
      expect(normal.events.find((e) => e.source_line === line)?.op).toBe('mms.read');
      expect(modified.events.find((e) => e.source_line === line)?.op).toBe('mms.write');
    }
    // Every write request in the modified file is a confirmed request with service 5.
    const writeRows = modified.lines.filter((l) => /^[^;]*(;[^;]*){6};0;5;/.test(l)).length;
    expect(modified.events.filter((e) => e.fields?.['ics_write'] === true)).toHaveLength(writeRows);
  });
});

describe('ICS probe CSV edge cases (inline fixtures)', () => {
  const head = 'TimeStamp;Relative Time;srcIP;dstIP;srcPort;dstPort;ipLen;len;fmt;uType;asduType;numix;cot;oa;addr;ioa';

  it('rolls over midnight and applies the analyst zone', () => {
    const text = `${head}\n23:59:59.90;0.0;10.0.0.1;10.0.0.2;40000;2404;59;17;0x00000000;;45;1;6;0;1;7\n00:00:00.10;0.2;10.0.0.1;10.0.0.2;40000;2404;59;17;0x00000000;;45;1;6;0;1;7\n`;
    const run = runText(icsProbeCsvImporter, text, { date: '2024-03-01', tz: '+01:00' });
    expect(run.events.map((e) => e.ts_us)).toEqual([Date.UTC(2024, 2, 1, 22, 59, 59, 900) * 1000, Date.UTC(2024, 2, 1, 23, 0, 0, 100) * 1000]);
    expect(run.events[0]?.fields).toMatchObject({ ics_write: true, ics_address: 7, ics_type: 'C_SC_NA_1' });
  });

  it('rejects rows with a bad time or column count by line, refuses other CSVs', () => {
    const text = `${head}\nnoon;0;a;b;1;2;3;4;0x0;;1;1;3;0;1;1\n08:00:00.00;0;a;b\n`;
    const run = runText(icsProbeCsvImporter, text);
    expect(run.rejects.map((r) => r.line)).toEqual([2, 3]);
    expect(run.rejects[0]?.reason).toContain('TimeStamp');
    expect(() => runText(icsProbeCsvImporter, 'a;b;c\n1;2;3\n')).toThrow(/not an ICS probe CSV/);
  });

  it('detects the probe header and needs a date', () => {
    expect(icsProbeCsvImporter.detect(makeDetectSample('x.csv', new TextEncoder().encode(`${head}\n`)))).toBeGreaterThanOrEqual(0.8);
    expect(icsProbeCsvImporter.needsDate).toBe(true);
  });
});
