// ImportJobs' hand-over to triage: afterImports gets the captures imported since it last ran, and
// the progress it reports is what importStatus shows while it runs.
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportJob } from '../api.ts';
import { CaseStore } from '../store/case-store.ts';
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
});
