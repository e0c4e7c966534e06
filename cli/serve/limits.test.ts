// Body size limits per API method, the upload limits (per file and in total) and the removal of
// uploads once their import has ended, over real HTTP.
import { existsSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportJob } from '../../core/api.ts';
import { API_BODY_LIMITS } from './body-limits.ts';
import { send, startTestShell, type TestShell } from './serve-test-client.ts';

/** A small capture the generic JSON-lines importer reads: one event per line. */
function jsonLines(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(JSON.stringify({ ts: 1_700_000_000 + i, event: 'tick', n: i }));
  return `${lines.join('\n')}\n`;
}

async function upload(shell: TestShell, name: string, body: string | Buffer, chunked = false) {
  const r = await send(shell.server.port, `/upload?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'X-Tracebench-Token': shell.server.token },
    body,
    chunked,
  });
  const parsed = JSON.parse(r.text) as { ok: boolean; result?: { file_id: string; display_name: string }; error?: string };
  // Where the upload went, for the test to watch: the page gets only the id.
  const path = parsed.result ? shell.session.grants.resolve('capture', parsed.result.file_id).path : undefined;
  return { status: r.status, ...parsed, result: parsed.result && { ...parsed.result, path } };
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function finished(shell: TestShell, job: ImportJob): Promise<ImportJob> {
  let current = job;
  for (let i = 0; i < 400 && current.state === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 25));
    current = await shell.ok<ImportJob>('importStatus', { job_id: job.job_id });
  }
  return current;
}

const filesIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);

describe('browser shell limits', () => {
  let shell: TestShell | undefined;
  afterEach(async () => {
    await shell?.stop();
    shell = undefined;
  });

  it('limits each JSON call to what its arguments can need, naming the method and the limit', async () => {
    shell = await startTestShell();
    const padded = (size: number, body: object) => JSON.stringify(body).padEnd(size, ' ');
    const sendBody = (method: string, text: string) =>
      send(shell?.server.port ?? 0, `/api/${method}`, { method: 'POST', headers: { 'X-Tracebench-Token': shell?.server.token ?? '' }, body: text });

    // A small call: one byte over its limit is refused (JSON whitespace counts), at the limit it is read.
    const over = await sendBody('session', padded(API_BODY_LIMITS.session + 1, {}));
    expect(over.status).toBe(413);
    expect(over.text).toContain(`session: request body larger than ${API_BODY_LIMITS.session} bytes refused`);
    expect((await sendBody('session', padded(API_BODY_LIMITS.session, {}))).status).toBe(200);
    // The same size passes the size check of a call that carries a long note (it then needs a case: 409).
    const note = await sendBody('annotate', JSON.stringify({ tag: 'benign', note: 'n'.repeat(90_000), from_us: 0, to_us: 1 }).padEnd(API_BODY_LIMITS.session + 1, ' '));
    expect(note.status).toBe(409);
    expect((await sendBody('annotate', padded(API_BODY_LIMITS.annotate + 1, { tag: 'x', note: '' }))).status).toBe(413);
    expect((await sendBody('eventPage', padded(API_BODY_LIMITS.eventPage + 1, {}))).status).toBe(413);
    // Sent without Content-Length, the body is counted as it arrives.
    const chunked = await send(shell.server.port, '/api/caseInfo', {
      method: 'POST',
      headers: { 'X-Tracebench-Token': shell.server.token },
      body: ' '.repeat(API_BODY_LIMITS.caseInfo * 3),
      chunked: true,
    });
    expect(chunked.status).toBe(413);
  });

  it('refuses an upload over the per-file limit with a message saying what to do, declared or streamed', async () => {
    shell = await startTestShell({ uploadLimits: { perFile: 1000, total: 10_000 } });
    const declared = await upload(shell, 'big.jsonl', 'x'.repeat(1001));
    expect(declared.status).toBe(413);
    expect(declared.error).toMatch(/^upload of "big\.jsonl" refused: 1001 bytes is more than the browser shell accepts \(1000 bytes per file, 10000 bytes for all uploads not yet imported; 0 bytes in use\)\. Import a large capture from disk instead: tracebench import CASE FILE$/);
    const streamed = await upload(shell, 'big.jsonl', 'x'.repeat(200_000), true);
    expect(streamed.status).toBe(413);
    expect(streamed.error).toMatch(/^upload of "big\.jsonl" refused: it is more than the browser shell accepts \(1000 bytes per file, 10000 bytes for all uploads not yet imported; 0 bytes in use\)/);
    expect(filesIn(shell.uploadsDir)).toEqual([]); // no partial file left behind
    expect((await upload(shell, 'small.jsonl', 'x'.repeat(1000))).status).toBe(200);
  });

  it('keeps all uploads waiting for import under a total quota, freed when they are removed', async () => {
    shell = await startTestShell({ uploadLimits: { perFile: 1000, total: 2500 } });
    expect((await upload(shell, 'a.jsonl', 'a'.repeat(1000))).status).toBe(200);
    expect((await upload(shell, 'b.jsonl', 'b'.repeat(1000))).status).toBe(200);
    const third = await upload(shell, 'c.jsonl', 'c'.repeat(600));
    expect(third.status).toBe(413);
    expect(third.error).toContain('2000 bytes in use');
    expect(filesIn(shell.uploadsDir)).toHaveLength(2);
  });

  it('removes an upload once its import has ended, whether it succeeded or failed', async () => {
    shell = await startTestShell({ importPollMs: 20 });
    await shell.ok('newCase', { name: 'uploads' });
    const good = await upload(shell, 'ticks.jsonl', jsonLines(25));
    const bad = await upload(shell, 'other.jsonl', jsonLines(5));
    const kept = await upload(shell, 'kept.jsonl', jsonLines(5));
    expect(filesIn(shell.uploadsDir)).toHaveLength(3);

    const done = await finished(shell, await shell.ok<ImportJob>('startImport', { file_id: good.result?.file_id, display_name: good.result?.display_name }));
    expect(done).toMatchObject({ state: 'done', events: 25 });
    const failed = await finished(shell, await shell.ok<ImportJob>('startImport', { file_id: bad.result?.file_id, format: 'no-such-format' }));
    expect(failed.state).toBe('failed');

    await waitFor(() => !existsSync(good.result?.path ?? '') && !existsSync(bad.result?.path ?? ''), 'both imported uploads to be removed');
    // A removed upload's id is revoked with it.
    expect((await shell.api('probeFormat', { file_id: good.result?.file_id })).status).toBe(404);
    // The upload no import has read yet stays until the server stops.
    expect(existsSync(kept.result?.path ?? '')).toBe(true);
    expect(shell.server.uploads()).toEqual([kept.result?.path]);
    const info = await shell.ok<{ captures: { file_name: string; events: number }[] }>('caseInfo', {});
    expect(info.captures).toMatchObject([{ file_name: 'ticks.jsonl', events: 25 }]);

    await shell.server.close();
    expect(existsSync(kept.result?.path ?? '')).toBe(false);
  });
});
