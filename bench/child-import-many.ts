// Imports several files into one fresh case through the import pipeline (core/ingest/import-pipeline.ts)
// with a given number of parses ahead of the writer (0 = one file at a time, as before it), so the
// gain of parsing files in parallel can be measured. Prints one JSON line: { ms, events, maxRssMb, cpuMs }.
import { importFiles } from '../core/ingest/import-pipeline.ts';
import { CaseStore } from '../core/store/case-store.ts';

const [casePath, ahead, date, ...files] = process.argv.slice(2);
if (!casePath || ahead === undefined || files.length === 0) throw new Error('usage: child-import-many CASE PARSE_AHEAD DATE FILE...');
const store = await CaseStore.open(casePath);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const settled = await Promise.all(importFiles(store, files, { date: date || undefined }, undefined, Number(ahead)));
const ms = performance.now() - t0;
store.close();
const failed = settled.filter((r) => r.status === 'rejected');
if (failed.length > 0) throw new Error(`${failed.length} file(s) failed`);
const events = settled.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value.events : 0), 0);
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`${JSON.stringify({ ms, events, maxRssMb: process.resourceUsage().maxRSS / 1024, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
