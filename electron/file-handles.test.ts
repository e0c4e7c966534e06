// Main's side of the capability hand-over: only regular files are registered, and the renderer
// gets the backend's ids, never the paths.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../core/testing/temp.ts';
import type { Backend } from './backend.ts';
import { droppedPathsSchema, grantCaptures, grantCase } from './file-handles.ts';

describe('file handles', () => {
  let dir: ReturnType<typeof tempDir>;
  let grant: ReturnType<typeof vi.fn<Backend['grant']>>;
  beforeEach(() => {
    dir = tempDir();
    let n = 0;
    grant = vi.fn<Backend['grant']>(async (kind, path) => ({ id: `${kind === 'case' ? 'case' : 'cap'}_${String(++n).padStart(32, '0')}`, display_name: path.split('/').pop() ?? '', size: 3, modified_ms: 1_700_000_000_000 }));
  });
  afterEach(() => dir.remove());

  it('registers chosen captures and hands back ids without paths', async () => {
    const a = join(dir.path, 'a.txt');
    const b = join(dir.path, 'b.jsonl');
    writeFileSync(a, 'abc');
    writeFileSync(b, 'abc');
    const handles = await grantCaptures(grant, [a, b]);
    expect(grant.mock.calls).toEqual([
      ['capture', a],
      ['capture', b],
    ]);
    expect(handles).toEqual([
      { file_id: `cap_${'0'.repeat(31)}1`, display_name: 'a.txt', last_modified: 1_700_000_000_000 },
      { file_id: `cap_${'0'.repeat(31)}2`, display_name: 'b.jsonl', last_modified: 1_700_000_000_000 },
    ]);
    expect(JSON.stringify(handles)).not.toContain(dir.path);
  });

  it('refuses folders, missing files, devices and path-less drops without registering any', async () => {
    const good = join(dir.path, 'good.txt');
    writeFileSync(good, 'abc');
    mkdirSync(join(dir.path, 'folder'));
    await expect(grantCaptures(grant, [good, join(dir.path, 'folder')])).rejects.toThrow(/folder is not a regular file/);
    await expect(grantCaptures(grant, [join(dir.path, 'missing')])).rejects.toThrow(/not a regular file/);
    await expect(grantCaptures(grant, ['/dev/null'])).rejects.toThrow(/null is not a regular file/);
    await expect(grantCaptures(grant, [''])).rejects.toThrow(/no file on disk/);
    expect(grant).not.toHaveBeenCalled();
  });

  it('registers a chosen case file as a case', async () => {
    const file = join(dir.path, 'incident.duckdb');
    writeFileSync(file, 'x');
    expect(await grantCase(grant, file)).toEqual({ case_id: `case_${'0'.repeat(31)}1`, name: 'incident' });
    expect(grant).toHaveBeenCalledWith('case', file);
    await expect(grantCase(grant, dir.path)).rejects.toThrow(/not a regular file/);
  });

  it('checks the dropped paths payload', () => {
    expect(droppedPathsSchema.safeParse(['/a', '/b']).success).toBe(true);
    expect(droppedPathsSchema.safeParse([]).success).toBe(false);
    expect(droppedPathsSchema.safeParse('/etc/passwd').success).toBe(false);
    expect(droppedPathsSchema.safeParse([{ path: '/a' }]).success).toBe(false);
  });
});
