// The browser shell treats its neighbours on 127.0.0.1 as hostile: these tests play a page on
// another port, a DNS-rebinding host name and a client that tries cookies or query tokens, all
// over real HTTP against a real server.
import { mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, sendRaw, startTestShell, type TestShell } from './serve-test-client.ts';

describe('browser shell: who may call', () => {
  let shell: TestShell;
  let port: number;
  const post = (path: string, headers: Record<string, string>, body = '{}') => send(port, path, { method: 'POST', headers, body });

  beforeAll(async () => {
    shell = await startTestShell();
    port = shell.server.port;
  });
  afterAll(() => shell.stop());

  it('takes the token only from the X-Tracebench-Token header: never a cookie or the query', async () => {
    const token = shell.server.token;
    const byCookie = await post('/api/newCase', { Cookie: `tb_token=${token}`, 'Content-Type': 'text/plain' }, '{"name":"by cookie"}');
    expect(byCookie.status).toBe(401);
    const byQuery = await post(`/api/newCase?token=${token}`, {}, '{"name":"by query"}');
    expect(byQuery.status).toBe(401);
    const byUpload = await send(port, `/upload?name=x.txt&token=${token}`, { method: 'POST', headers: { Cookie: `tb_token=${token}` }, body: 'bytes' });
    expect(byUpload.status).toBe(401);
    expect(existsSync(shell.uploadsDir) ? readdirSync(shell.uploadsDir) : []).toEqual([]);
    expect((await shell.api('caseInfo', {})).status).toBe(409); // no case was created
    const rightHeader = await shell.api('session', {});
    expect(rightHeader.status).toBe(200);
  });

  it('never sets a cookie and never answers with CORS headers', async () => {
    const answers = [await send(port, '/'), await send(port, '/', { method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1:1' } })];
    answers.push(await post('/api/session', { 'X-Tracebench-Token': shell.server.token }));
    for (const a of answers) {
      expect(a.headers['set-cookie']).toBeUndefined();
      expect(a.headers['access-control-allow-origin']).toBeUndefined();
      expect(a.headers['access-control-allow-headers']).toBeUndefined();
    }
    expect(answers[1]?.status).toBe(405); // no preflight is ever granted
  });

  it('refuses a state-changing call from another origin even with the right token', async () => {
    const token = shell.server.token;
    const hostile: Record<string, string>[] = [
      { Origin: `http://127.0.0.1:${port + 1}` },
      { Origin: `http://localhost:${port}` }, // Host says 127.0.0.1: not the page's own origin
      { Origin: 'null' }, // sandboxed frame, data: URL, file:
      { Origin: `https://127.0.0.1:${port}` },
      { Origin: `http://127.0.0.1:${port}`, 'Sec-Fetch-Site': 'same-site' }, // another port of the same host
      { 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'none' },
    ];
    for (const headers of hostile) {
      const r = await post('/api/newCase', { ...headers, 'X-Tracebench-Token': token, 'Content-Type': 'application/json' }, '{"name":"hostile"}');
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(r.text).toMatch(/another (origin|site)/);
      const up = await send(port, '/upload?name=x.txt', { method: 'POST', headers: { ...headers, 'X-Tracebench-Token': token }, body: 'bytes' });
      expect(up.status, JSON.stringify(headers)).toBe(403);
    }
    expect(existsSync(shell.uploadsDir) ? readdirSync(shell.uploadsDir) : []).toEqual([]);
    expect((await shell.api('caseInfo', {})).status).toBe(409);
  });

  it('accepts its own page (Origin and Sec-Fetch-Site same-origin) and a non-browser client that sends neither', async () => {
    const token = shell.server.token;
    const own = await post('/api/session', { Origin: `http://127.0.0.1:${port}`, 'Sec-Fetch-Site': 'same-origin', 'X-Tracebench-Token': token });
    expect(own.status).toBe(200);
    const ownLocalhost = await post('/api/session', { Host: `localhost:${port}`, Origin: `http://localhost:${port}`, 'X-Tracebench-Token': token });
    expect(ownLocalhost.status).toBe(200);
    const script = await post('/api/session', { 'X-Tracebench-Token': token });
    expect(script.status).toBe(200);
  });

  it('answers only to 127.0.0.1:PORT and localhost:PORT, spelled exactly', async () => {
    const token = shell.server.token;
    const tricks = [
      `evil.example:${port}`,
      `LOCALHOST:${port}`,
      `Localhost:${port}`,
      `localhost.:${port}`,
      `127.0.0.1.:${port}`,
      `127.0.0.1:${port}.`,
      `127.0.0.1:0${port}`,
      `127.1:${port}`,
      `0x7f.0.0.1:${port}`,
      `[::1]:${port}`,
      `[::ffff:127.0.0.1]:${port}`,
      '127.0.0.1',
      'localhost',
      `127.0.0.1 :${port}`,
      `127.0.0.1:${port} evil.example`,
      `user@127.0.0.1:${port}`,
      `127.0.0.1:${port + 1}`,
    ];
    for (const host of tricks) {
      const r = await post('/api/session', { Host: host, 'X-Tracebench-Token': token });
      expect([400, 403], host).toContain(r.status);
    }
    // What no HTTP client library sends: two Host headers, an absolute request target.
    const twoHosts = `POST /api/session HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nHost: evil.example\r\nX-Tracebench-Token: ${token}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`;
    expect([400, 403]).toContain(await sendRaw(port, twoHosts));
    const absolute = `POST http://evil.example/api/session HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Tracebench-Token: ${token}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`;
    expect([400, 403]).toContain(await sendRaw(port, absolute));
    const plain = `POST /api/session HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Tracebench-Token: ${token}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`;
    expect(await sendRaw(port, plain)).toBe(200);
  });

  it('allows only POST on /api and /upload', async () => {
    expect((await send(port, '/api/session', { headers: { 'X-Tracebench-Token': shell.server.token } })).status).toBe(405);
    expect((await send(port, '/api/session', { method: 'PUT', headers: { 'X-Tracebench-Token': shell.server.token }, body: '{}' })).status).toBe(405);
    expect((await send(port, '/upload', { method: 'GET' })).status).toBe(405);
  });
});

describe('browser shell: the app itself', () => {
  let shell: TestShell;
  const INDEX = '<!doctype html><html><head><title>Tracebench</title></head><body><div id="root"></div><script type="module" src="/assets/app.js"></script></body></html>';

  beforeAll(async () => {
    shell = await startTestShell();
    const dist = join(shell.dir, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), INDEX);
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log("app")');
  });
  afterAll(() => shell.stop());

  it('serves the page and its assets without a token, byte for byte as built (no token or case data written in)', async () => {
    await shell.ok('newCase', { name: 'secret case name' });
    const page = await send(shell.server.port, '/');
    expect(page.status).toBe(200);
    expect(page.text).toBe(INDEX);
    expect(page.text).not.toContain(shell.server.token);
    expect(page.headers['content-security-policy']).toMatch(/object-src 'none'.*base-uri 'none'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['cross-origin-resource-policy']).toBe('same-origin');
    const asset = await send(shell.server.port, '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.text).toBe('console.log("app")');
    expect((await send(shell.server.port, '/../../etc/passwd')).status).toBe(404);
  });
});
