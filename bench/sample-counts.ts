// Imports every file under ../shared/captures (public samples and the hmi-dev scenario), each
// into a fresh case with format detection, and prints a Markdown table of format, events and
// rejects: the figures docs/formats.md quotes. `node --import tsx bench/sample-counts.ts`.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importFile } from '../core/ingest/import-file.ts';
import { CaseStore } from '../core/store/case-store.ts';
import { tempDir } from '../core/testing/temp.ts';

const ROOT = join(import.meta.dirname, '..', '..', 'shared', 'captures');
const SKIP = /(README|SOURCES)\.md$|truth\.json$|\.pcap$|\/generator\//;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : SKIP.test(p) ? [] : [p];
  });
}

const dir = tempDir('tracebench-counts-');
const rows: string[] = ['| file | format | events | rejected | note |', '|---|---|---|---|---|'];
for (const file of files(ROOT).sort()) {
  const casePath = dir.file('c.duckdb');
  rmSync(casePath, { force: true });
  const store = await CaseStore.open(casePath);
  try {
    const s = await importFile(store, file, { date: '2026-11-26' });
    rows.push(`| ${relative(ROOT, file)} | ${s.format} | ${s.events} | ${s.rejected} | ${s.warnings.length > 0 ? `${s.warnings.length} warning(s)` : ''} |`);
  } catch (err) {
    rows.push(`| ${relative(ROOT, file)} | — | — | — | ${(err instanceof Error ? err.message : String(err)).replace(/\|/g, '/').slice(0, 120)} |`);
  } finally {
    store.close();
  }
}
dir.remove();
process.stdout.write(`${rows.join('\n')}\n`);
