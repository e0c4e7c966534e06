// Remakes core/importers/fixtures/case-crash/ (SOURCES.md there): a case killed during the COMMIT
// of a 600,000-call import made with the commit as it was before the fix (plain COMMIT, through
// the WAL). The parent polls the WAL and kills the importer once the WAL holds the event_rows
// entry (ROW_GROUP_DATA) and before DuckDB writes the commit marker.
//   node --import tsx torture/make-wal-orphan-fixture.ts OUT_DIR
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { importFile } from '../core/ingest/import-file.ts';
import { CaseStore } from '../core/store/case-store.ts';
import type { CaseSession } from '../core/store/case-session.ts';
import { writeUniformStrace } from './captures.ts';

const IMPORT = { format: 'strace', date: '2026-11-26' };

async function child(casePath: string, capture: string): Promise<void> {
  // The commit before the fix: straight through the WAL.
  CaseStore.prototype.commitThroughCheckpoint = async (session: CaseSession) => {
    await session.conn.run('COMMIT');
  };
  const store = await CaseStore.open(casePath);
  await importFile(store, capture, IMPORT);
  store.close();
}

async function parent(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const work = join(outDir, 'work');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work);
  const casePath = join(work, 'crashed.duckdb');
  const small = join(work, 'small.txt');
  const big = join(work, 'big.txt');
  await writeUniformStrace(small, 20);
  await writeUniformStrace(big, 600_000);
  const store = await CaseStore.open(casePath);
  await importFile(store, small, IMPORT);
  store.close();

  const wal = `${casePath}.wal`;
  const proc = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', casePath, big], { stdio: 'inherit' });
  const poll = setInterval(() => {
    if (existsSync(wal) && statSync(wal).size > 0 && readFileSync(wal).includes('event_rows')) proc.kill('SIGKILL');
  }, 0);
  const signal = await new Promise((resolve) => proc.on('exit', (_code, sig) => resolve(sig)));
  clearInterval(poll);
  if (signal !== 'SIGKILL' || !existsSync(wal)) throw new Error('the importer finished before the kill: run again');
  writeFileSync(join(outDir, 'wal-orphans.duckdb.gz'), gzipSync(readFileSync(casePath), { level: 9 }));
  writeFileSync(join(outDir, 'wal-orphans.duckdb.wal.gz'), gzipSync(readFileSync(wal), { level: 9 }));
  rmSync(work, { recursive: true, force: true });
  process.stdout.write(`written to ${outDir}; check it with core/store/crash-recovery.test.ts (600,000 orphans expected)\n`);
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1]!, args[2]!);
else await parent(args[0] ?? 'core/importers/fixtures/case-crash');
