// Capabilities, not paths, against the real server: the browser shell's file methods refuse a
// path and an id they did not issue; only uploads and the workspace's cases get ids; the grant
// endpoint exists only for Electron's backend and only for the holder of its second secret.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseEntry } from '../../core/api.ts';
import { send, startTestShell, type TestShell } from './serve-test-client.ts';

let shell: TestShell | undefined;
afterEach(async () => {
  await shell?.stop();
  shell = undefined;
});

const FILE_CALLS: Array<[method: string, args: (ref: string) => Record<string, string>, madeUp: string]> = [
  ['probeFormat', (ref) => ({ file_id: ref }), `cap_${'0f'.repeat(16)}`],
  ['startImport', (ref) => ({ file_id: ref }), `cap_${'1e'.repeat(16)}`],
  ['openCase', (ref) => ({ case_id: ref }), `case_${'2d'.repeat(16)}`],
];

describe('file ids over HTTP', () => {
  it.each(FILE_CALLS)('%s refuses /etc/passwd, a path-shaped field and a made-up id', async (method, args, madeUp) => {
    shell = await startTestShell();
    await shell.ok('newCase', { name: 'open' });
    const byPath = await shell.api(method, args('/etc/passwd'));
    expect(byPath.status).toBe(400);
    expect(byPath.body.error).toMatch(/not a file id the host issued/);
    expect((await shell.api(method, { path: '/etc/passwd' })).status).toBe(400);
    const made = await shell.api(method, args(madeUp));
    expect(made.status).toBe(404);
    expect(made.body.error).toMatch(/unknown (file|case) id/);
  });

  it('answers an upload with an id that probes, and lists workspace cases by id', async () => {
    shell = await startTestShell();
    await shell.ok('newCase', { name: 'first' });
    const up = await send(shell.server.port, '/upload?name=ticks.jsonl', { method: 'POST', headers: { 'X-Tracebench-Token': shell.server.token }, body: '{"ts":1700000000,"e":"x"}\n' });
    const { file_id } = (JSON.parse(up.text) as { result: { file_id: string } }).result;
    expect(await shell.ok('probeFormat', { file_id })).toMatchObject({ file_id, display_name: 'ticks.jsonl' });
    // an upload's id is a capture id, not a case id
    expect((await shell.api('openCase', { case_id: file_id })).status).toBe(404);

    const cases = await shell.ok<CaseEntry[]>('listCases', {});
    expect(cases.map((c) => c.name)).toEqual(['first']);
    expect(await shell.ok('openCase', { case_id: cases[0]?.case_id })).toMatchObject({ name: 'first' });
  });

  it('has no grant endpoint in the browser shell', async () => {
    shell = await startTestShell();
    const r = await send(shell.server.port, '/grant', {
      method: 'POST',
      headers: { 'X-Tracebench-Token': shell.server.token, 'X-Tracebench-Grant': 'anything' },
      body: JSON.stringify({ kind: 'capture', path: '/etc/passwd' }),
    });
    expect(r.status).toBe(405);
  });

  it("grants a regular file to Electron's main (the second secret) and nothing to the token alone", async () => {
    shell = await startTestShell({ grantSecret: 'grant-secret-for-tests' });
    const capture = join(shell.dir, 'chosen.jsonl');
    writeFileSync(capture, '{"ts":1700000000,"e":"x"}\n');
    mkdirSync(join(shell.dir, 'a-folder'));
    const grant = (body: unknown, secret?: string) =>
      send(shell?.server.port ?? 0, '/grant', {
        method: 'POST',
        headers: { 'X-Tracebench-Token': shell?.server.token ?? '', ...(secret === undefined ? {} : { 'X-Tracebench-Grant': secret }) },
        body: JSON.stringify(body),
      });
    expect((await grant({ kind: 'capture', path: capture })).status).toBe(403); // the token alone (what a renderer could hold)
    expect((await grant({ kind: 'capture', path: capture }, 'wrong')).status).toBe(403);
    expect((await grant({ kind: 'capture', path: join(shell.dir, 'a-folder') }, 'grant-secret-for-tests')).status).toBe(400);
    expect((await grant({ kind: 'capture', path: join(shell.dir, 'missing') }, 'grant-secret-for-tests')).status).toBe(400);
    const ok = await grant({ kind: 'capture', path: capture }, 'grant-secret-for-tests');
    expect(ok.status).toBe(200);
    const granted = (JSON.parse(ok.text) as { result: { id: string; display_name: string } }).result;
    expect(granted).toMatchObject({ display_name: 'chosen.jsonl' });
    await shell.ok('newCase', { name: 'open' });
    expect(await shell.ok('probeFormat', { file_id: granted.id })).toMatchObject({ chosen: 'jsonl' });
  });
});
