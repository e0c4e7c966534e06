// `tracebench annotate` with several --tag options (or commas) and --author, run in-process.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { listAnnotations } from '../../core/annotations/annotations.ts';
import { addCapture } from '../../core/api/testing-case.ts';
import { CaseStore } from '../../core/store/case-store.ts';
import { tempDir } from '../../core/testing/temp.ts';
import { annotateCommand } from './annotate.ts';

let dir: ReturnType<typeof tempDir>;
let casePath: string;
beforeEach(async () => {
  dir = tempDir();
  casePath = dir.file('case.duckdb');
  const store = await CaseStore.open(casePath, { create: true });
  await addCapture(store, 'calls.txt', [{ ts_us: 1_000, op: 'execve' }]);
  store.close();
});
afterEach(() => {
  vi.restoreAllMocks();
  dir.remove();
});

describe('annotate command', () => {
  it('keeps every --tag (repeated or comma-separated) and the given --author', async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const code = await annotateCommand.run([casePath, '--event', '1', '--tag', 'malicious', '--tag', 'initial-access, T0855', '--tag', 'Malicious', '--author', 'night shift']);
    expect(code).toBe(0);
    expect(out.join('')).toMatch(/\[malicious, initial-access, T0855\] event 1/);
    const store = await CaseStore.open(casePath);
    try {
      const [a] = await listAnnotations(store);
      expect(a).toMatchObject({ tags: ['malicious', 'initial-access', 'T0855'], tag: 'malicious, initial-access, T0855', author: 'night shift' });
    } finally {
      store.close();
    }
  });

  it('refuses a missing or empty tag', async () => {
    await expect(annotateCommand.run([casePath, '--event', '1'])).rejects.toThrow(/--tag is required/);
    await expect(annotateCommand.run([casePath, '--event', '1', '--tag', ' , '])).rejects.toThrow(/--tag is required/);
  });
});
