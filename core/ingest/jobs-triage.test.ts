// ImportJobs' hand-over to triage: afterImports gets the captures imported since it last ran, and
// the progress it reports is what importStatus shows while it runs.
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportJob } from '../api.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { ImportJobs } from './jobs.ts';

const SYSMON = fixture('winevent-jsonl/lsass-campaign.slice104504.lines345-365.json');

describe('import jobs → triage', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('passes the new capture ids to afterImports and shows its progress on the job until it ends', async () => {
    const store = await CaseStore.open(dir.file('jobs.duckdb'));
    const calls: number[][] = [];
    const seen: (ImportJob['triage'] | undefined)[] = [];
    let jobId = '';
    const jobs = new ImportJobs(store, () => undefined, async (ids, onProgress) => {
      calls.push(ids);
      onProgress({ phase: 'rules', done: 2, total: 5 });
      seen.push(jobs.status(jobId).triage);
      await Promise.resolve();
      onProgress({ phase: 'incidents', done: 5, total: 5 });
      seen.push(jobs.status(jobId).triage);
    });
    jobId = (await jobs.start({ path: SYSMON })).job_id;
    await jobs.idle();
    const first = jobs.status(jobId);
    jobId = (await jobs.start({ path: SYSMON, display_name: 'again.json' })).job_id;
    await jobs.idle();
    const second = jobs.status(jobId);

    expect(calls).toEqual([[first.capture_id], [second.capture_id]]);
    expect(seen.slice(0, 2)).toEqual([{ phase: 'rules', done: 2, total: 5 }, { phase: 'incidents', done: 5, total: 5 }]);
    expect(first).toMatchObject({ state: 'done', triage: null, error: null });
    store.close();
  });

  it('writes a job started during triage only after that triage ended (its file may parse meanwhile)', async () => {
    const store = await CaseStore.open(dir.file('jobs-during-triage.duckdb'));
    const captureCounts: number[] = [];
    let secondId = '';
    let releaseTriage: () => void = () => undefined;
    const triageHeld = new Promise<void>((r) => (releaseTriage = r));
    const captures = async () => (await store.one(sql`SELECT count(*) AS n FROM captures`, { n: 'num' }))?.n ?? 0;
    const jobs = new ImportJobs(store, () => undefined, async () => {
      if (secondId !== '') return;
      // The second job is started while this triage runs; it must not be written before it ends.
      secondId = (await jobs.start({ path: SYSMON, display_name: 'during-triage.json' })).job_id;
      await triageHeld;
      captureCounts.push(await captures());
    });
    const first = (await jobs.start({ path: SYSMON })).job_id;
    while (secondId === '') await new Promise((r) => setTimeout(r, 20));
    // Give the second import every chance to be written early.
    await new Promise((r) => setTimeout(r, 1500));
    captureCounts.push(await captures());
    releaseTriage();
    await jobs.idle();
    expect(captureCounts).toEqual([1, 1]);
    expect(jobs.status(first)).toMatchObject({ state: 'done', capture_id: 1 });
    expect(jobs.status(secondId)).toMatchObject({ state: 'done', capture_id: 2 });
    store.close();
  });
});
