// The Procmon CSV importer alone, without the store: streams and decodes the file as
// import-file.ts does and feeds the lines to the parser with a counting sink. The difference to a
// full import is the time spent writing events (CaptureWriter / DuckDB).
// Prints one JSON line: { ms, events, rejected, maxRssMb }.
import { createReadStream } from 'node:fs';
import { procmonCsvImporter } from '../core/importers/procmon-csv.ts';
import type { ImportSink } from '../core/importers/types.ts';
import { LineSplitter } from '../core/ingest/line-splitter.ts';

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: procmon-child-parse FILE');
let events = 0;
let rejected = 0;
const sink: ImportSink = {
  event: () => void events++,
  reject: () => void rejected++,
  continuation: () => undefined,
  skip: () => undefined,
  warn: () => undefined,
  usedDate: () => undefined,
};
const ctx = { fileName: file, date: '2020-01-01', dateBasis: 'user', tz: 'UTC', host: null, startUs: null, map: {} };
const t0 = performance.now();
const parser = procmonCsvImporter.open(ctx, sink);
const splitter = new LineSplitter({ line: (text, n) => parser.line(text, n), overlong: () => void rejected++ });
const decoder = new TextDecoder('utf-8', { fatal: false }); // drops the BOM like sniffEncoding
for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
  splitter.push(decoder.decode(chunk, { stream: true }));
}
splitter.push(decoder.decode());
splitter.end();
parser.end();
const ms = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ ms, events, rejected, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
