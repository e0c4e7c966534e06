import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { importFile } from './import-file.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

function jsonLine(i: number): string {
  return JSON.stringify({ ts: new Date(Date.UTC(2026, 10, 26, 6, 0, 0) + i).toISOString(), event: 'tick', n: i });
}

async function counts(store: CaseStore) {
  return store.one(
    sql`SELECT (SELECT count(*) FROM captures) AS captures, (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM rejects) AS rejects`,
    { captures: 'num', events: 'num', rejects: 'num' },
  );
}

describe('importFile', () => {
  it('hashes the exact source bytes, keeps good lines and lists bad ones with their line numbers', async () => {
    const file = dir.file('mixed.jsonl');
    writeFileSync(file, [jsonLine(1), 'garbage here', jsonLine(2), '{"no": "time"}', jsonLine(3)].join('\n') + '\n');
    const store = await CaseStore.open(dir.file('c.duckdb'));
    const s = await importFile(store, file, { format: 'jsonl' });
    expect(s.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(s.events).toBe(3);
    expect(s.rejected).toBe(2);
    const rejects = await store.rows(sql`SELECT source_line FROM rejects ORDER BY 1`, { source_line: 'num' });
    expect(rejects.map((r) => r.source_line)).toEqual([2, 4]);
    store.close();
  });

  it('rejects an absurdly long line and goes on with the next', async () => {
    const file = dir.file('long.jsonl');
    writeFileSync(file, `${jsonLine(1)}\n${'x'.repeat(3 * 1024 * 1024)}\n${jsonLine(2)}\n`);
    const store = await CaseStore.open(dir.file('c.duckdb'));
    const s = await importFile(store, file, { format: 'jsonl' });
    expect(s.events).toBe(2);
    const [r] = await store.rows(sql`SELECT source_line, reason FROM rejects`, { source_line: 'num', reason: 'str' });
    expect(r).toEqual({ source_line: 2, reason: expect.stringMatching(/line too long/) });
    store.close();
  });

  it('a cancelled import leaves the case as it was', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    const first = dir.file('first.jsonl');
    writeFileSync(first, `${jsonLine(1)}\n`);
    await importFile(store, first, { format: 'jsonl' });
    const big = dir.file('big.jsonl');
    writeFileSync(big, Array.from({ length: 60_000 }, (_, i) => jsonLine(i)).join('\n'));
    const controller = new AbortController();
    const run = importFile(store, big, { format: 'jsonl' }, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.bytesDone > p.bytesTotal / 3) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/cancelled/);
    expect(await counts(store)).toEqual({ captures: 1, events: 1, rejects: 0 });
    store.close();
  });

  it('killing an import half-way leaves a case that opens with its earlier captures intact', async () => {
    const casePath = dir.file('c.duckdb');
    const store = await CaseStore.open(casePath);
    const first = dir.file('first.jsonl');
    writeFileSync(first, `${jsonLine(1)}\n${jsonLine(2)}\n`);
    await importFile(store, first, { format: 'jsonl' });
    store.close();

    const big = dir.file('big.jsonl');
    writeFileSync(big, Array.from({ length: 100_000 }, (_, i) => jsonLine(i)).join('\n'));
    const script = `
      const { CaseStore } = await import(${JSON.stringify(new URL('../store/case-store.ts', import.meta.url).pathname)});
      const { importFile } = await import(${JSON.stringify(new URL('./import-file.ts', import.meta.url).pathname)});
      const store = await CaseStore.open(${JSON.stringify(casePath)});
      let said = false;
      await importFile(store, ${JSON.stringify(big)}, { format: 'jsonl' }, { onProgress: (p) => {
        if (!said && p.bytesDone > p.bytesTotal / 2) { said = true; console.log('HALF'); }
      } });
      console.log('DONE');`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const outcome = await new Promise<string>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('HALF')) {
          child.kill('SIGKILL');
          resolve('killed');
        }
        if (d.toString().includes('DONE')) resolve('finished before the kill');
      });
      child.on('exit', () => resolve('exited'));
    });
    expect(outcome).toBe('killed');
    await new Promise((r) => child.on('close', r));

    const reopened = await CaseStore.open(casePath);
    expect(await counts(reopened)).toEqual({ captures: 1, events: 2, rejects: 0 });
    reopened.close();
  });

  it('refuses an unknown format and a bad --date with the file named', async () => {
    const file = dir.file('x.jsonl');
    writeFileSync(file, `${jsonLine(1)}\n`);
    const store = await CaseStore.open(dir.file('c.duckdb'));
    await expect(importFile(store, file, { format: 'nope' })).rejects.toThrow(/x\.jsonl: unknown format "nope"/);
    await expect(importFile(store, file, { format: 'jsonl', date: '2026-13-01' })).rejects.toThrow(/x\.jsonl: --date must be YYYY-MM-DD/);
    store.close();
  });
});
