// A/B of the ingest line splitter before and after line endings were read from the content
// (CR-only files): both split the generated Procmon CSV (bench/out/procmon-160mb.csv) in the
// parse worker's 64 Ki-character chunks and feed each line to the Procmon CSV record reader, as
// an import does; alternated BENCH_RUNS times (default 5). Usage:
//   node --import tsx bench/line-splitter-ab.ts OLD_SPLITTER.ts
// where OLD_SPLITTER.ts is the earlier line-splitter.ts (git show a88debe:core/ingest/line-splitter.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CsvRecordReader, RFC4180 } from '../core/importers/csv-split.ts';
import { LineSplitter, type LineHandler } from '../core/ingest/line-splitter.ts';

type Splitter = { push(chunk: string): void; end(): void };
type SplitterClass = new (handler: LineHandler) => Splitter;

const oldPath = process.argv[2];
if (!oldPath) throw new Error('usage: line-splitter-ab.ts OLD_SPLITTER.ts');
const { LineSplitter: OldSplitter } = (await import(pathToFileURL(oldPath).href)) as { LineSplitter: SplitterClass };
const text = readFileSync(join(import.meta.dirname, 'out', 'procmon-160mb.csv'), 'utf8');
const chunks: string[] = [];
for (let i = 0; i < text.length; i += 64 * 1024) chunks.push(text.slice(i, i + 64 * 1024));

function run(Splitter: SplitterClass): { ms: number; records: number } {
  const reader = new CsvRecordReader(RFC4180);
  let records = 0;
  const t0 = performance.now();
  const s = new Splitter({ line: (l) => void (reader.push(l) && records++), overlong: () => undefined });
  for (const c of chunks) s.push(c);
  s.end();
  return { ms: performance.now() - t0, records };
}

const times: Record<string, number[]> = { before: [], after: [] };
run(OldSplitter);
run(LineSplitter);
for (let r = 0; r < Number(process.env['BENCH_RUNS'] ?? 5); r++) {
  times['before']?.push(run(OldSplitter).ms);
  times['after']?.push(run(LineSplitter).ms);
}
for (const [side, list] of Object.entries(times)) {
  const sorted = [...list].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
  process.stdout.write(`${side}: median ${median.toFixed(0)} ms; runs ${list.map((t) => t.toFixed(0)).join(' / ')}\n`);
}
