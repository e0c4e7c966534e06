// One import as `tracebench import` runs it, in its own process: the capture, then (unless
// "no-triage") the derived tables and triage over the new capture. Prints one JSON line with the
// parts' times: { ms, import_ms, derived_ms, triage_ms, events, rejected, findings, timings (triage's
// parts, run.ts), cpuMs (the process's CPU time, all threads: steadier than wall time on a shared
// machine), maxRssMb }.
import { rebuildDerived } from '../core/case/derived.ts';
import { importFile } from '../core/ingest/import-file.ts';
import { CaseStore } from '../core/store/case-store.ts';
import { runTriage } from '../core/triage/run.ts';

const [casePath, file, format, date, mode] = process.argv.slice(2);
if (!casePath || !file || (mode !== 'triage' && mode !== 'no-triage')) throw new Error('usage: child-import-triage CASE FILE FORMAT DATE triage|no-triage');
const store = await CaseStore.open(casePath);
const t0 = performance.now();
const s = await importFile(store, file, { format: format || undefined, date: date || undefined });
const t1 = performance.now();
let derivedMs = 0;
let triageMs = 0;
let findings = 0;
let timings: Record<string, number> = {};
if (mode === 'triage') {
  await rebuildDerived(store);
  const t2 = performance.now();
  derivedMs = t2 - t1;
  const r = await runTriage(store, { captureIds: [s.capture_id] });
  findings = r.findings.length;
  timings = Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [k, Math.round(v)]));
  triageMs = performance.now() - t2;
}
const ms = performance.now() - t0;
store.close();
const cpu = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, import_ms: t1 - t0, derived_ms: derivedMs, triage_ms: triageMs, events: s.events, rejected: s.rejected, findings, timings, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
