// The Procmon CSV importer alone, without the store: reads, hashes, decodes and splits the file
// exactly as an import's parse worker does (core/ingest/parse-source.ts) and counts the events;
// with --pack it also packs them into DuckDB-layout chunks as the worker does. The difference to
// a full import is the time spent writing events (CaptureWriter / DuckDB) and handing them over.
// Prints one JSON line: { ms, events, rejected, maxRssMb }.
import { statSync } from 'node:fs';
import { procmonCsvImporter } from '../core/importers/procmon-csv.ts';
import type { ImportSink } from '../core/importers/types.ts';
import { parseSource } from '../core/ingest/parse-source.ts';
import { EventChunkPacker } from '../core/store/event-chunk.ts';

const [file, flag] = process.argv.slice(2);
if (!file) throw new Error('usage: procmon-child-parse FILE [--pack]');
const packer = flag === '--pack' ? new EventChunkPacker(null) : null;
let events = 0;
let rejected = 0;
const sink: ImportSink = {
  event: (e) => {
    events++;
    if (!packer) return;
    packer.add(e);
    if (packer.full) packer.recycle(packer.take().buffer);
  },
  reject: () => void rejected++,
  continuation: () => undefined,
  skip: () => undefined,
  warn: () => undefined,
  usedDate: () => undefined,
  usedStart: () => undefined,
};
const ctx = { fileName: file, date: '2020-01-01', dateBasis: 'user', tz: 'UTC', host: null, startUs: null, fileModifiedUs: 0, map: {} };
const t0 = performance.now();
await parseSource(file, statSync(file).size, procmonCsvImporter, ctx, sink, {
  progress: () => undefined,
  pause: async () => undefined,
  aborted: () => false,
});
const ms = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ ms, events, rejected, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
