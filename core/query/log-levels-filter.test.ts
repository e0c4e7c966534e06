// After importing logs with stated levels into a case, the table's filters find their alarms,
// select by level, and the free-text filter finds the messages (fixtures/logs/SOURCES.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventFilter } from '../api.ts';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { EventCountCache, eventPage } from './event-page.ts';

let dir: ReturnType<typeof tempDir>;
let store: CaseStore;

beforeAll(async () => {
  dir = tempDir();
  store = await CaseStore.open(dir.file('levels.duckdb'));
  for (const name of ['hmi-levels.jsonl', 'levels.csv', 'levels-syslog.log']) {
    await importFile(store, fixture(`logs/${name}`), { date: '2026-11-26' });
  }
}, 60_000);
afterAll(() => {
  store.close();
  dir.remove();
});

async function page(filter: EventFilter): Promise<{ file: string; level: string | null; args: string | null }[]> {
  const result = await eventPage(store, new EventCountCache(), { filter, offset: 0, limit: 1000 });
  expect(result.total).toBe(result.rows.length);
  const names = await store.rows(sql`SELECT capture_id, file_name FROM captures`, { capture_id: 'num', file_name: 'str' });
  const fileOf = new Map(names.map((n) => [n.capture_id, n.file_name]));
  return result.rows.map((e) => ({ file: fileOf.get(e.capture_id) ?? '?', level: e.level, args: e.args }));
}

describe('filters over imported log levels', () => {
  it('the alarm kind filter finds every alarm-level record of the three formats and nothing else', async () => {
    const alarms = await page({ kinds: ['alarm'] });
    const perFile = (file: string): number => alarms.filter((a) => a.file === file).length;
    expect([perFile('hmi-levels.jsonl'), perFile('levels.csv'), perFile('levels-syslog.log')]).toEqual([9, 4, 4]);
    expect(new Set(alarms.map((a) => a.level))).toEqual(new Set(['alarm', 'crit', 'emerg', 'fatal', 'alert']));
    expect(alarms.filter((a) => a.args === 'HIGH LEVEL tank T-100').map((a) => a.file).sort()).toEqual(['hmi-levels.jsonl', 'levels-syslog.log', 'levels.csv']);
  });

  it('error and warning records stay log events and keep their level for the level filter', async () => {
    const errors = await page({ levels: ['err', 'warning'] });
    expect(errors.length).toBe(6);
    const kinds = await store.rows(sql`SELECT DISTINCT kind FROM events WHERE level IN ('err', 'warning')`, { kind: 'str' });
    expect(kinds.map((k) => k.kind)).toEqual(['log']);
    expect(await page({ kinds: ['alarm'], levels: ['err'] })).toEqual([]);
  });

  it('the free-text filter finds the message whichever field held it', async () => {
    expect((await page({ text: 'high level tank' })).length).toBe(3);
    expect((await page({ text: 'reactor pressure' })).map((r) => r.file)).toEqual(['hmi-levels.jsonl']); // from an "event" field
    expect((await page({ text: 'plc comm lost' })).map((r) => r.level)).toEqual(['alert']); // from "MESSAGE"
  });

  it('the events view shows the level column', async () => {
    const row = await store.one(sql`SELECT level FROM events WHERE args = 'controller halted'`, { level: 'str?' });
    expect(row?.level).toBe('emerg');
  });
});
