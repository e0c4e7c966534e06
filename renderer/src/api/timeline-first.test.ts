import { describe, expect, it } from 'vitest';
import type { WorkbenchApi } from '../../../core/api.ts';
import { timelineFirst } from './timeline-first.ts';

/** An API whose calls record their order and answer at once. */
function recordingApi(log: string[]): WorkbenchApi {
  return new Proxy({} as WorkbenchApi, {
    get: (_target, name) => async () => {
      log.push(String(name));
      return name;
    },
  });
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('timeline-first start-up', () => {
  it('holds the table page, findings and annotations until the timeline has drawn', async () => {
    const log: string[] = [];
    const { api, timelineDrawn } = timelineFirst(recordingApi(log), 10_000);
    const page = api.eventPage({ offset: 0, limit: 10, filter: {} });
    const findings = api.findings({});
    const overview = api.buckets({ from_us: 0, to_us: 1, bucket_us: 1, total_only: true });
    await api.lanes({});
    await api.buckets({ from_us: 0, to_us: 1, bucket_us: 1 });
    await tick();
    expect(log).toEqual(['lanes', 'buckets']);
    timelineDrawn();
    expect(await page).toBe('eventPage');
    expect(await findings).toBe('findings');
    await overview;
    expect(log).toEqual(['lanes', 'buckets', 'eventPage', 'findings', 'buckets']);
    // Once open, nothing waits.
    await api.annotations({});
    expect(log.at(-1)).toBe('annotations');
  });

  it('asks for the lane list with the first caseInfo and gives that answer to the first lanes() call', async () => {
    const log: string[] = [];
    const { api } = timelineFirst(recordingApi(log), 10_000);
    await api.caseInfo({});
    expect(log).toEqual(['lanes', 'caseInfo']);
    expect(await api.lanes({})).toBe('lanes');
    expect(log).toEqual(['lanes', 'caseInfo']);
    await api.lanes({});
    await api.caseInfo({});
    expect(log).toEqual(['lanes', 'caseInfo', 'lanes', 'caseInfo']);
  });

  it('lets them go after the longest wait when the timeline never draws', async () => {
    const log: string[] = [];
    const { api } = timelineFirst(recordingApi(log), 30);
    const page = api.eventPage({ offset: 0, limit: 10, filter: {} });
    await tick(5);
    expect(log).toEqual([]);
    await page;
    expect(log).toEqual(['eventPage']);
  });
});
