// Capabilities, not paths: every contract method that reads a file takes an id the host issued,
// and refuses a path or an id it did not issue, before anything is opened.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportJob, WorkbenchApi } from '../api.ts';
import { tempDir } from '../testing/temp.ts';
import { statusForError } from './errors.ts';
import { validateArgs, WORKBENCH_METHODS } from './schemas.ts';
import { Session } from './session.ts';
import { createWorkbench } from './workbench.ts';

const MADE_UP_CAPTURE = `cap_${'a1'.repeat(16)}`;
const MADE_UP_CASE = `case_${'b2'.repeat(16)}`;
const HOSTILE_PATHS = ['/etc/passwd', '/etc/shadow', '/proc/self/environ', '../../home/user/.ssh/id_rsa', 'C:\\Windows\\System32\\config\\SAM'];

/** Every method that opens a file, with the payload shape that names the file. */
const FILE_METHODS = {
  openCase: (ref: string) => ({ case_id: ref }),
  probeFormat: (ref: string) => ({ file_id: ref }),
  startImport: (ref: string) => ({ file_id: ref, display_name: 'x' }),
} as const;

async function call(api: WorkbenchApi, method: keyof typeof FILE_METHODS, ref: string): Promise<unknown> {
  const args = validateArgs(method, FILE_METHODS[method](ref));
  return (api[method] as (a: unknown) => Promise<unknown>)(args);
}

async function finished(api: WorkbenchApi, job: ImportJob): Promise<ImportJob> {
  let current = job;
  for (let i = 0; i < 400 && current.state === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 20));
    current = await api.importStatus({ job_id: job.job_id });
  }
  return current;
}

describe('file capabilities over the workbench', () => {
  let dir: ReturnType<typeof tempDir>;
  let session: Session;
  let api: WorkbenchApi;
  beforeEach(async () => {
    dir = tempDir();
    session = new Session({ shell: 'browser', home: join(dir.path, 'home'), workspace: join(dir.path, 'cases') });
    api = createWorkbench(session);
    await api.newCase({ name: 'open' }); // so probe and import get past "no case open"
  });
  afterEach(async () => {
    await session.close();
    dir.remove();
  });

  it('no contract method accepts a path argument', () => {
    for (const method of WORKBENCH_METHODS) {
      expect(() => validateArgs(method, { path: '/etc/passwd' }), method).toThrow(/invalid arguments/);
    }
  });

  it.each(Object.keys(FILE_METHODS) as (keyof typeof FILE_METHODS)[])('%s refuses paths in place of ids, before the backend sees them', async (method) => {
    for (const path of HOSTILE_PATHS) await expect(call(api, method, path), path).rejects.toThrow(new RegExp(`invalid arguments for ${method}`));
  });

  it.each(Object.keys(FILE_METHODS) as (keyof typeof FILE_METHODS)[])('%s refuses an id the host did not issue (404)', async (method) => {
    const made = method === 'openCase' ? MADE_UP_CASE : MADE_UP_CAPTURE;
    const err = await call(api, method, made).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/unknown (file|case) id/);
    expect(statusForError(err)).toBe(404);
  });

  it('probes and imports a granted capture, and keeps capture and case ids apart', async () => {
    const capture = join(dir.path, 'ticks.jsonl');
    writeFileSync(capture, `${JSON.stringify({ ts: 1_700_000_000, event: 'tick' })}\n${JSON.stringify({ ts: 1_700_000_001, event: 'tick' })}\n`);
    const fileId = session.grants.grant('capture', capture, 'ticks.jsonl');
    const probe = await api.probeFormat({ file_id: fileId });
    expect(probe).toMatchObject({ file_id: fileId, display_name: 'ticks.jsonl', chosen: 'jsonl' });
    expect(JSON.stringify(probe)).not.toContain(dir.path);
    const job = await finished(api, await api.startImport({ file_id: fileId }));
    expect(job).toMatchObject({ state: 'done', events: 2, file_name: 'ticks.jsonl' });
    // a capture's id does not open it as a case, nor a case's id import it
    await expect(call(api, 'openCase', fileId)).rejects.toThrow(/unknown case id/);
    const caseId = (await api.listCases({}))[0]?.case_id ?? '';
    await expect(call(api, 'probeFormat', caseId)).rejects.toThrow(/unknown file id/);
  });

  it('lists the workspace cases by id and opens them by id', async () => {
    await api.newCase({ name: 'second' });
    writeFileSync(join(dir.path, 'cases', 'notes.txt'), 'not a case');
    mkdirSync(join(dir.path, 'cases', 'folder.duckdb'));
    const listed = await api.listCases({});
    expect(listed.map((c) => c.name).sort()).toEqual(['open', 'second']);
    for (const entry of listed) expect(entry.case_id).toMatch(/^case_[0-9a-f]{32}$/);
    const first = listed.find((c) => c.name === 'open');
    const info = await api.openCase({ case_id: first?.case_id ?? '' });
    expect(info.name).toBe('open');
    // the same case keeps its id between listings
    expect((await api.listCases({})).find((c) => c.name === 'open')?.case_id).toBe(first?.case_id);
  });

  it('offers a recent case outside the workspace only when the host granted it this session', async () => {
    const outside = join(dir.path, 'elsewhere', 'cli.duckdb');
    await session.openCase(outside, true); // as `tracebench serve CASE` does
    expect(session.info().recent.map((r) => r.name)).toContain('cli');
    await session.close();
    // A later session reads the same recent.json, but nobody named that file to it.
    const later = new Session({ shell: 'browser', home: join(dir.path, 'home'), workspace: join(dir.path, 'cases') });
    try {
      expect(later.info().recent.map((r) => r.name)).toEqual(['open']);
      await later.openCase(outside); // named again on the command line: offered again
      expect(later.info().recent.map((r) => r.name)).toEqual(['cli', 'open']);
    } finally {
      await later.close();
    }
  });
});
