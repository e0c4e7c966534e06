// coalesceReads: identical reads in flight share one request; writes end the sharing; each
// caller gets its own copy; failures reach every caller.
import { describe, expect, it } from 'vitest';
import type { WorkbenchApi } from '../../../core/api.ts';
import { coalesceReads } from './coalesce-reads.ts';
import { WORKBENCH_METHOD_NAMES } from './methods.ts';

/** A fake API whose calls stay pending until released, counting the calls that reached it. */
function pendingApi(): { api: WorkbenchApi; calls: string[]; release: (answer?: unknown) => void; fail: (message: string) => void } {
  const calls: string[] = [];
  const waiting: { resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  const api: Record<string, (args: unknown) => Promise<unknown>> = {};
  for (const method of WORKBENCH_METHOD_NAMES) {
    api[method] = (args) => {
      calls.push(`${method} ${JSON.stringify(args)}`);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    };
  }
  return {
    api: api as unknown as WorkbenchApi,
    calls,
    release: (answer = { lanes: [{ id: 'a' }] }) => waiting.splice(0).forEach((w) => w.resolve(structuredClone(answer))),
    fail: (message) => waiting.splice(0).forEach((w) => w.reject(new Error(message))),
  };
}

const call = (api: WorkbenchApi, method: string, args: unknown): Promise<unknown> => (api as unknown as Record<string, (a: unknown) => Promise<unknown>>)[method]!(args);

describe('coalesceReads', () => {
  it('identical reads in flight make one request; each caller gets an equal, separate answer', async () => {
    const fake = pendingApi();
    const api = coalesceReads(fake.api);
    const a = call(api, 'lanes', { mode: 'process' });
    const b = call(api, 'lanes', { mode: 'process' });
    const c = call(api, 'lanes', { mode: 'host' });
    expect(fake.calls).toEqual(['lanes {"mode":"process"}', 'lanes {"mode":"host"}']);
    fake.release();
    const [ra, rb] = await Promise.all([a, b, c]);
    expect(rb).toEqual(ra);
    expect(rb).not.toBe(ra);
  });

  it('a read asked after the first answered is a new request', async () => {
    const fake = pendingApi();
    const api = coalesceReads(fake.api);
    const first = call(api, 'caseInfo', {});
    fake.release();
    await first;
    void call(api, 'caseInfo', {});
    expect(fake.calls).toHaveLength(2);
  });

  it('a write ends the sharing: a read asked after it never gets an answer computed before it', async () => {
    const fake = pendingApi();
    const api = coalesceReads(fake.api);
    const before = call(api, 'annotations', {});
    void call(api, 'annotate', { event_id: 1, note: 'x' });
    const after = call(api, 'annotations', {});
    expect(fake.calls.filter((c) => c.startsWith('annotations'))).toHaveLength(2);
    fake.release();
    await Promise.all([before, after]);
  });

  it('writes are never shared', async () => {
    const fake = pendingApi();
    const api = coalesceReads(fake.api);
    void call(api, 'setPinned', { event_id: 1, pinned: true });
    void call(api, 'setPinned', { event_id: 1, pinned: true });
    expect(fake.calls).toHaveLength(2);
  });

  it('a failure reaches every caller that shared the request', async () => {
    const fake = pendingApi();
    const api = coalesceReads(fake.api);
    const a = call(api, 'findings', {});
    const b = call(api, 'findings', {});
    fake.fail('case closed');
    await expect(a).rejects.toThrow('case closed');
    await expect(b).rejects.toThrow('case closed');
  });
});
