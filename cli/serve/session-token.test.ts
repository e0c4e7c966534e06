// Idle sessions expire: after the idle time without an accepted request the token is replaced,
// the new URL is handed to the command (which prints it) and the old token gets a clear 401.
// The clock is the test's, so nothing waits for real minutes.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { send, startTestShell, type TestShell } from './serve-test-client.ts';

const MINUTE = 60_000;

describe('browser shell idle expiry', () => {
  let shell: TestShell | undefined;
  afterEach(async () => {
    await shell?.stop();
    shell = undefined;
  });

  it('keeps the token while requests come, replaces it after the idle time and says so', async () => {
    let now = 1_000_000;
    const printed: string[] = [];
    shell = await startTestShell({ idleMs: 30 * MINUTE, now: () => now, onTokenRotated: (url) => printed.push(url) });
    const first = shell.server.token;
    const call = (token: string) => send(shell?.server.port ?? 0, '/api/session', { method: 'POST', headers: { 'X-Tracebench-Token': token }, body: '{}' });

    // Activity refreshes the session: 29 minutes, a call, 29 minutes, a call — still the same token.
    for (let i = 0; i < 3; i++) {
      now += 29 * MINUTE;
      expect((await call(first)).status).toBe(200);
    }
    // A wrong token is no activity and does not keep the session alive.
    now += 29 * MINUTE;
    expect((await call('y'.repeat(32))).status).toBe(403);
    now += 2 * MINUTE;
    const expired = await call(first);
    expect(expired.status).toBe(401);
    expect(expired.text).toContain('session expired after 30 minutes without activity: open the new URL printed by \\"tracebench serve\\"');

    const second = shell.server.token;
    expect(second).not.toBe(first);
    expect(printed).toEqual([`http://127.0.0.1:${shell.server.port}/#token=${second}`]);
    expect(shell.server.url).toBe(printed[0]);
    expect((await call(second)).status).toBe(200);
    expect((await call(first)).status).toBe(401);
  });

  it('does not replace a token nobody has used yet: it is only on the terminal', async () => {
    let now = 0;
    const printed: string[] = [];
    shell = await startTestShell({ idleMs: 30 * MINUTE, now: () => now, onTokenRotated: (url) => printed.push(url) });
    const printedAtStart = shell.server.token;
    now += 24 * 60 * MINUTE;
    const late = await send(shell.server.port, '/api/session', { method: 'POST', headers: { 'X-Tracebench-Token': printedAtStart }, body: '{}' });
    expect(late.status).toBe(200);
    expect(printed).toEqual([]);
  });

  it('removes uploads no import is reading when the session expires', async () => {
    let now = 0;
    shell = await startTestShell({ idleMs: 10 * MINUTE, now: () => now });
    const up = await send(shell.server.port, '/upload?name=waiting.jsonl', { method: 'POST', headers: { 'X-Tracebench-Token': shell.server.token }, body: '{"ts":1}\n' });
    const path = shell.session.grants.resolve('capture', (JSON.parse(up.text) as { result: { file_id: string } }).result.file_id).path;
    expect(existsSync(path)).toBe(true);
    now += 11 * MINUTE;
    expect((await send(shell.server.port, '/api/session', { method: 'POST', headers: { 'X-Tracebench-Token': shell.server.token }, body: '{}' })).status).toBe(401);
    expect(existsSync(path)).toBe(false);
  });

  it('never expires with idle time 0 (the Electron backend)', async () => {
    let now = 0;
    shell = await startTestShell({ idleMs: 0, now: () => now });
    const token = shell.server.token;
    now += 365 * 24 * 60 * MINUTE;
    expect((await send(shell.server.port, '/api/session', { method: 'POST', headers: { 'X-Tracebench-Token': token }, body: '{}' })).status).toBe(200);
  });
});
