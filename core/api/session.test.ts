import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectFormat, makeDetectSample } from '../importers/registry.ts';
import { readDetectionHead } from '../ingest/import-file.ts';
import { tempDir } from '../testing/temp.ts';
import { keyedCaptures, KEYED_COLUMNS } from '../query/sort-keys.ts';
import { defaultSamplesDir, Session } from './session.ts';
import { addCapture } from './testing-case.ts';
import { createWorkbench } from './workbench.ts';

describe('session', () => {
  let dir: ReturnType<typeof tempDir>;
  let session: Session;
  beforeEach(() => {
    dir = tempDir();
    session = new Session({ shell: 'browser', home: join(dir.path, 'home'), workspace: join(dir.path, 'cases') });
  });
  afterEach(async () => {
    await session.close();
    dir.remove();
  });

  it('creates cases in the workspace, refuses duplicates, and remembers recent cases', async () => {
    const a = await session.newCase('first');
    expect(a.path).toBe(join(dir.path, 'cases', 'first.duckdb'));
    await expect(session.newCase('first')).rejects.toThrow(/already exists/);
    await session.newCase('second');
    const info = session.info();
    expect(info.case_path).toBe(join(dir.path, 'cases', 'second.duckdb'));
    expect(info.recent.map((r) => [r.name, r.location])).toEqual([
      ['second', join(dir.path, 'cases')],
      ['first', join(dir.path, 'cases')],
    ]);
    const reopened = await session.openCase(a.path);
    expect(reopened.name).toBe('first');
    await expect(session.openCase(join(dir.path, 'missing.duckdb'))).rejects.toThrow(/no case file/);
    expect(session.info().case_path).toBe(a.path); // a failed open leaves the open case alone
  });

  it('an open case builds its missing sort keys in the background, and closing stops the builder', async () => {
    const info = await session.newCase('keys');
    const open = session.requireCase();
    await addCapture(open.store, 'a', [{ ts_us: 1, target: '/b' }, { ts_us: 2, target: '/a' }, { ts_us: 3 }]);
    open.sortKeys?.start();
    await open.sortKeys?.idle();
    for (const col of KEYED_COLUMNS) expect((await keyedCaptures(open.store, col, undefined))?.map((c) => c.capture_id)).toEqual([1]);
    // The page sorted by target now comes from the keys, in the listing's order (NULL last).
    const page = await createWorkbench(session).eventPage({ filter: {}, sort: { column: 'target', desc: false }, offset: 0, limit: 3 });
    expect(page.rows.map((r) => r.target)).toEqual(['/a', '/b', null]);
    await session.close();
    expect(session.info().case_path).toBeNull();
    expect(info.name).toBe('keys');
  });

  it('answers "no case open" until one is opened', async () => {
    const api = createWorkbench(session);
    await expect(api.caseInfo({})).rejects.toThrow(/no case is open/);
    await api.newCase({ name: 'x' });
    expect((await api.caseInfo({})).event_count).toBe(0);
  });
});

// The sample case needs an importer for every shipped capture (the strace importer lands separately).
const samples = defaultSamplesDir();
const undetected = (await Promise.all(['strace.txt', 'app-log.jsonl'].map(async (f) => [f, detectFormat(makeDetectSample(f, await readDetectionHead(join(samples, f)))).status] as const)))
  .filter(([, status]) => status !== 'found')
  .map(([f]) => f);

describe.skipIf(undetected.length > 0)(`sample case${undetected.length ? ` (skipped: no importer recognises ${undetected.join(', ')} yet)` : ''}`, () => {
  it('is built from samples/demo on first open and reused afterwards', async () => {
    const dir = tempDir();
    const session = new Session({ shell: 'browser', home: dir.path, workspace: dir.path });
    try {
      const first = await session.openSampleCase();
      expect(first.captures.map((c) => c.file_name)).toEqual(['strace.txt', 'app-log.jsonl']);
      // app-log.jsonl has 13 lines, one event each (wc -l); the strace capture holds the rest.
      expect(first.captures[1]?.events).toBe(13);
      expect(first.captures[0]?.rejected).toBe(0);
      expect(first.event_count).toBeGreaterThan(13);
      expect(existsSync(join(dir.path, 'sample.duckdb'))).toBe(true);
      await session.close();
      const again = await session.openSampleCase();
      expect(again.captures.map((c) => c.sha256)).toEqual(first.captures.map((c) => c.sha256));
    } finally {
      await session.close();
      dir.remove();
    }
  });
});
