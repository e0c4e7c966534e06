// The Electron backend machinery, run with plain Node standing in for Electron's utilityProcess:
// `tracebench serve` starts as a child, and calls are relayed to it with the token.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../core/testing/temp.ts';
import { launchWithNode, startBackend, type Backend } from './backend.ts';

describe('backend child process', () => {
  const dir = tempDir();
  let backend: Backend | undefined;
  afterAll(() => {
    backend?.stop();
    dir.remove();
  });

  it('starts tracebench serve, relays calls, and passes errors on', async () => {
    backend = await startBackend({
      launch: launchWithNode,
      repoRoot: join(import.meta.dirname, '..'),
      serveArgs: ['--workspace', dir.path],
      env: { TRACEBENCH_HOME: dir.path },
    });
    const session = (await backend.call('session', {})) as { case_path: string | null; workspace: string; shell: string };
    expect(session).toMatchObject({ case_path: null, workspace: dir.path, shell: 'electron' });
    await expect(backend.call('caseInfo', {})).rejects.toThrow(/no case is open/);
  });

  it('registers a chosen file with the grant secret and relays calls with the id', async () => {
    if (!backend) throw new Error('the backend did not start');
    const capture = join(dir.path, 'chosen.jsonl');
    writeFileSync(capture, '{"ts":1700000000,"e":"x"}\n');
    const granted = await backend.grant('capture', capture);
    expect(granted).toMatchObject({ display_name: 'chosen.jsonl', size: 26 });
    await backend.call('newCase', { name: 'electron' });
    expect(await backend.call('probeFormat', { file_id: granted.id })).toMatchObject({ chosen: 'jsonl' });
    await expect(backend.call('probeFormat', { file_id: `cap_${'9'.repeat(32)}` })).rejects.toThrow(/unknown file id/);
    await expect(backend.grant('capture', dir.path)).rejects.toThrow(/not a regular file/);
  });
});
