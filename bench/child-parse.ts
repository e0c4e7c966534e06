// An importer alone, without the store: reads, hashes, decodes, splits and parses the file exactly
// as an import's parse worker does (core/ingest/parse-source.ts) and packs the events into
// DuckDB-layout chunks as the worker does (unless --no-pack). The difference to a full import is
// the time spent handing chunks over and writing them (CaptureWriter / DuckDB).
// Prints one JSON line: { ms, events, rejected, maxRssMb }.
import { statSync } from 'node:fs';
import { importerByFormat } from '../core/importers/registry.ts';
import type { ImportSink } from '../core/importers/types.ts';
import { parseSource } from '../core/ingest/parse-source.ts';
import { EventChunkPacker } from '../core/store/event-chunk.ts';

const [file, format, date, flag] = process.argv.slice(2);
if (!file || !format) throw new Error('usage: child-parse FILE FORMAT [DATE] [--no-pack]');
const importer = importerByFormat(format);
if (!importer) throw new Error(`unknown format ${format}`);
const packer = flag === '--no-pack' ? null : new EventChunkPacker(null);
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
const ctx = { fileName: file, date: date || '2020-01-01', dateBasis: 'user', tz: 'UTC', host: null, startUs: null, fileModifiedUs: 0, map: {} };
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await parseSource(file, statSync(file).size, importer, ctx, sink, {
  progress: () => undefined,
  pause: async () => undefined,
  aborted: () => false,
});
const ms = performance.now() - t0; const cu = process.cpuUsage(cpu0);
process.stdout.write(`${JSON.stringify({ ms, events, rejected, maxRssMb: process.resourceUsage().maxRSS / 1024, cpuMs: (cu.user + cu.system) / 1000 })}\n`);
