import { readFileSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportJob } from '../../core/api.ts';
import { Session } from '../../core/api/session.ts';
import { createWorkbench } from '../../core/api/workbench.ts';
import { fixture } from '../../core/testing/corpus.ts';
import { tempDir } from '../../core/testing/temp.ts';
import { CONTENT_SECURITY_POLICY } from './security.ts';
import { startServer, type RunningServer } from './server.ts';

const SYSMON = fixture('winevent-jsonl/lsass-campaign.slice104504.lines345-365.json');

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A raw HTTP request (fetch would not let the test set a hostile Host header). */
function send(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser shell server', () => {
  const dir = tempDir();
  const dist = join(dir.path, 'dist');
  let server: RunningServer;
  let session: Session;

  const api = async (method: string, body: unknown, token = server.token) => {
    const r = await send(server.port, `/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Tracebench-Token': token },
      body: JSON.stringify(body),
    });
    return { status: r.status, body: JSON.parse(r.text) as { ok: boolean; result?: unknown; error?: string } };
  };
  const ok = async <T>(method: string, body: unknown): Promise<T> => {
    const r = await api(method, body);
    if (!r.body.ok) throw new Error(`${method}: ${r.status} ${r.body.error}`);
    return r.body.result as T;
  };

  beforeAll(async () => {
    session = new Session({ shell: 'browser', home: join(dir.path, 'home'), workspace: join(dir.path, 'cases') });
    server = await startServer({ api: createWorkbench(session), grants: session.grants, distDir: dist, uploadsDir: () => join(dir.path, 'uploads') });
  });
  afterAll(async () => {
    await server.close();
    await session.close();
    dir.remove();
  });

  it('prints a 127.0.0.1 URL carrying a long random token in its fragment', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{32}$/);
  });

  it('refuses a missing token (401) and a wrong one (403), with security headers and no CORS', async () => {
    const missing = await send(server.port, '/api/session', { method: 'POST', body: '{}' });
    expect(missing.status).toBe(401);
    const wrong = await api('session', {}, 'x'.repeat(32));
    expect(wrong.status).toBe(403);
    expect(missing.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
    expect(missing.headers['referrer-policy']).toBe('no-referrer');
    expect(missing.headers['access-control-allow-origin']).toBeUndefined();
    expect(missing.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a foreign Host header even with the right token (DNS rebinding)', async () => {
    const r = await send(server.port, '/api/session', {
      method: 'POST',
      headers: { Host: `evil.example:${server.port}`, 'X-Tracebench-Token': server.token },
      body: '{}',
    });
    expect(r.status).toBe(403);
    const local = await send(server.port, '/api/session', { method: 'POST', headers: { Host: `localhost:${server.port}`, 'X-Tracebench-Token': server.token }, body: '{}' });
    expect(local.status).toBe(200);
  });

  it('answers 404 for an unknown method and 400 naming the bad field', async () => {
    const unknown = await api('dropTables', {});
    expect(unknown.status).toBe(404);
    const bad = await api('eventPage', { filter: {}, offset: -1, limit: 10 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/eventPage: offset/);
    const extra = await api('session', { sneaky: true });
    expect(extra.status).toBe(400);
    const notJson = await send(server.port, '/api/session', { method: 'POST', headers: { 'X-Tracebench-Token': server.token }, body: '{nope' });
    expect(notJson.status).toBe(400);
  });

  it('refuses an API body over the limit', async () => {
    const r = await send(server.port, '/api/newCase', {
      method: 'POST',
      headers: { 'X-Tracebench-Token': server.token },
      body: JSON.stringify({ name: 'x'.repeat(1_100_000) }),
    });
    expect(r.status).toBe(413);
  });

  it('says the renderer is not built (503) when renderer/dist is missing', async () => {
    const r = await send(server.port, '/');
    expect(r.status).toBe(503);
    expect(r.text).toBe('renderer not built: run npm run build');
  });

  // A real capture from the shared corpus (skipped without it; limits.test.ts runs the upload and
  // import path on inline data everywhere).
  it('runs the whole flow: new case, upload, import, lanes, page, annotate, report', async () => {
    expect((await api('caseInfo', {})).status).toBe(409); // nothing open yet
    const info = await ok<{ path: string; captures: unknown[] }>('newCase', { name: 'flow case' });
    expect(info.captures).toEqual([]);
    expect(info.path).toBe(join(dir.path, 'cases', 'flow case.duckdb'));

    const bytes = readFileSync(SYSMON);
    const up = await send(server.port, `/upload?name=${encodeURIComponent('../../etc/sysmon slice.json')}`, {
      method: 'POST',
      headers: { 'X-Tracebench-Token': server.token },
      body: bytes,
    });
    expect(up.status).toBe(200);
    const uploaded = (JSON.parse(up.text) as { result: { file_id: string; display_name: string } }).result;
    expect(uploaded.display_name).toBe('sysmon slice.json');
    expect(uploaded.file_id).toMatch(/^cap_[0-9a-f]{32}$/);
    expect(up.text).not.toContain(dir.path); // an id, not where the upload went
    const stored = readdirSync(join(dir.path, 'uploads'));
    expect(stored).toHaveLength(1);
    expect(readFileSync(join(dir.path, 'uploads', stored[0] ?? '')).equals(bytes)).toBe(true);

    const probe = await ok<{ chosen: string | null; size_bytes: number }>('probeFormat', { file_id: uploaded.file_id, display_name: uploaded.display_name });
    expect(probe.chosen).not.toBeNull();
    expect(probe.size_bytes).toBe(bytes.length);

    let job = await ok<ImportJob>('startImport', { file_id: uploaded.file_id, display_name: uploaded.display_name });
    for (let i = 0; i < 200 && job.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = await ok<ImportJob>('importStatus', { job_id: job.job_id });
    }
    // 21 lines, one Sysmon record each.
    expect(job).toMatchObject({ state: 'done', events: 21, file_name: 'sysmon slice.json' });

    const lanes = await ok<{ lane_id: string; count: number }[]>('lanes', {});
    expect(lanes.reduce((s, l) => s + l.count, 0)).toBe(21);
    const page = await ok<{ total: number; rows: { event_id: number; ts_us: number }[] }>('eventPage', {
      filter: { lane_id: lanes[0]?.lane_id },
      offset: 0,
      limit: 5,
    });
    expect(page.total).toBe(lanes[0]?.count);
    expect(page.rows.length).toBe(Math.min(5, page.total));
    const target = page.rows[0]?.event_id ?? -1;

    const note = await ok<{ annotation_id: number; event_id: number }>('annotate', { event_id: target, tag: 'suspicious', note: 'checked in flow test' });
    expect(note.event_id).toBe(target);
    const report = await ok<{ file_name: string; content: string }>('report', { format: 'md' });
    expect(report.content).toContain('checked in flow test');
  });
});
