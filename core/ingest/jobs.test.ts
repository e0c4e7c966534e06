import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { ImportJobs } from './jobs.ts';

const SYSMON = fixture('winevent-jsonl/lsass-campaign.slice104504.lines345-365.json');

async function finished(jobs: ImportJobs, id: string) {
  await jobs.idle();
  return jobs.status(id);
}

describe('import jobs', () => {
  const dir = tempDir();
  let store: CaseStore;
  let bigFile: string;
  const eventCount = async () => (await store.one(sql`SELECT count(*) AS n FROM event_rows`, { n: 'num' }))?.n ?? 0;

  beforeAll(async () => {
    store = await CaseStore.open(dir.file('jobs.duckdb'));
    // ~50 MB of JSON lines: big enough that the import takes many event-loop turns.
    bigFile = dir.file('big.jsonl');
    const line = (i: number) => `${JSON.stringify({ ts: 1_700_000_000 + i / 1000, event: 'tick', n: i, pad: 'x'.repeat(100) })}\n`;
    const parts: string[] = [];
    for (let i = 0; i < 370_000; i++) parts.push(line(i));
    writeFileSync(bigFile, parts.join(''));
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('imports a real capture and reports the capture id and counts', async () => {
    let changed = 0;
    const jobs = new ImportJobs(store, () => changed++);
    const started = await jobs.start({ path: SYSMON });
    expect(started.state).toBe('running');
    const job = await finished(jobs, started.job_id);
    // 21 lines in the excerpt, one Sysmon record each.
    expect(job).toMatchObject({ state: 'done', events: 21, rejected: 0, error: null, capture_id: 1 });
    expect(job.bytes_done).toBe(job.bytes_total);
    expect(changed).toBe(1);
  });

  it('a failed job leaves the case as it was', async () => {
    const before = await eventCount();
    const jobs = new ImportJobs(store);
    const job = await finished(jobs, (await jobs.start({ path: SYSMON, format: 'no-such-format' })).job_id);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/unknown format "no-such-format"/);
    expect(await eventCount()).toBe(before);
  });

  it('refuses a path that is not a file before queueing anything', async () => {
    const jobs = new ImportJobs(store);
    await expect(jobs.start({ path: dir.path })).rejects.toThrow(/not a readable file/);
  });

  it('answers queries while a 50 MB import runs, and a cancel leaves the case unchanged', async () => {
    const before = await eventCount();
    const jobs = new ImportJobs(store);
    const job = await jobs.start({ path: bigFile });
    let answered = 0;
    let sawProgress = false;
    while (jobs.status(job.job_id).bytes_done < jobs.status(job.job_id).bytes_total / 2) {
      await store.one(sql`SELECT 1 AS one`, { one: 'num' });
      answered++;
      const s = jobs.status(job.job_id);
      if (s.bytes_done > 0 && s.bytes_done < s.bytes_total) sawProgress = true;
      await new Promise((r) => setTimeout(r, 5));
    }
    jobs.cancel(job.job_id);
    const end = await finished(jobs, job.job_id);
    expect(answered).toBeGreaterThan(3);
    expect(sawProgress).toBe(true);
    expect(end.state).toBe('cancelled');
    expect(await eventCount()).toBe(before);
  });

  it('runs jobs one at a time, in order', async () => {
    const jobs = new ImportJobs(store);
    const a = await jobs.start({ path: SYSMON, display_name: 'first.json' });
    const b = await jobs.start({ path: SYSMON, display_name: 'second.json' });
    expect(jobs.busy).toBe(true);
    await jobs.idle();
    const [ja, jb] = [jobs.status(a.job_id), jobs.status(b.job_id)];
    expect(ja.state).toBe('done');
    expect(jb.state).toBe('done');
    expect(jb.capture_id).toBe((ja.capture_id ?? 0) + 1);
  });
});
