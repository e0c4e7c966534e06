// End to end: web access logs imported into a case the way the CLI and the UI import them
// (format detected from content, parsed in the worker, stored), then found with the event filter
// an analyst types into.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventFilter } from '../api.ts';
import { EventCountCache, eventPage } from '../query/event-page.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { importFile } from './import-file.ts';

const FILES = ['nginx-combined.log', 'nginx-json.log', 'apache-vhost.log', 'iis-w3c.log'];

describe('importing access logs into a case', () => {
  const dir = tempDir();
  let store: CaseStore;
  const counts = new EventCountCache();
  const find = async (filter: EventFilter) => (await eventPage(store, counts, { filter, offset: 0, limit: 100 })).rows;

  beforeAll(async () => {
    store = await CaseStore.open(dir.file('web.duckdb'));
    for (const file of FILES) await importFile(store, fixture(`access-log/${file}`), { host: 'hmi-dev' });
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('detects every file as access-log and stores every request, nothing rejected', async () => {
    const captures = await store.rows(sql`SELECT file_name, format, events, rejected FROM captures ORDER BY capture_id`, {
      file_name: 'str',
      format: 'str',
      events: 'num',
      rejected: 'num',
    });
    expect(captures).toEqual([
      { file_name: 'nginx-combined.log', format: 'access-log', events: 12, rejected: 0 },
      { file_name: 'nginx-json.log', format: 'access-log', events: 12, rejected: 0 },
      { file_name: 'apache-vhost.log', format: 'access-log', events: 12, rejected: 0 },
      { file_name: 'iis-w3c.log', format: 'access-log', events: 9, rejected: 0 },
    ]);
  });

  it('the free-text filter finds the command injection, raw or percent-encoded, in every log', async () => {
    const plain = await find({ text: '127.0.0.1;id' });
    expect(plain.map((e) => [e.op, e.target, e.ret])).toEqual(Array(4).fill(['http.get', '/cgi-bin/diag?host=127.0.0.1;id', '404']));
    // Sent as %3Bcat%20: found by what the server decoded…
    const decoded = await find({ text: ';cat /etc/passwd' });
    expect(decoded).toHaveLength(3);
    // …and by what was on the wire.
    expect(await find({ text: '%3bcat%20' })).toHaveLength(3);
    expect((await find({ text: '|whoami' })).map((e) => e.host)).toEqual(['hmi-dev']);
    expect(await find({ text: '<script>' })).toHaveLength(3);
    expect(await find({ text: '../' })).toHaveLength(4); // three --path-as-is traversals, one encoded in IIS
  });

  it('failed requests are the ones with a 4xx/5xx status, and hosts come from the log where it names one', async () => {
    const failed = await find({ failed_only: true, kinds: ['network'] });
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((e) => Number(e.error) >= 400 && e.error === e.ret)).toBe(true);
    const hosts = await store.rows(sql`SELECT DISTINCT host FROM events ORDER BY host`, { host: 'str' });
    expect(hosts.map((h) => h.host)).toEqual(['HMI-IIS', 'hmi-dev', 'hmi-web']);
  });
});
