// A small log imported into a copy of a big case, in its own process: the import, the derived
// tables, then triage over the new capture (what `tracebench import` does), and for comparison
// a full re-run over the case. Prints one JSON line with each part's time.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { rebuildDerived } from '../core/case/derived.ts';
import { importFile } from '../core/ingest/import-file.ts';
import { CaseStore } from '../core/store/case-store.ts';
import { sql } from '../core/store/sql.ts';
import { runTriage } from '../core/triage/run.ts';

const [bigCase, casePath, file, format, date] = process.argv.slice(2);
if (!bigCase || !casePath || !file) throw new Error('usage: child-small-import BIG_CASE WORK_CASE FILE FORMAT DATE');
for (const p of [casePath, `${casePath}.wal`]) rmSync(p, { force: true });
copyFileSync(bigCase, casePath);
if (existsSync(`${bigCase}.wal`)) copyFileSync(`${bigCase}.wal`, `${casePath}.wal`);
const store = await CaseStore.open(casePath);
const before = (await store.one(sql`SELECT count(*) AS n FROM event_rows`, { n: 'num' }))?.n ?? 0;
const t0 = performance.now();
const s = await importFile(store, file, { format: format || undefined, date: date || undefined });
const t1 = performance.now();
await rebuildDerived(store);
const t2 = performance.now();
const inc = await runTriage(store, { captureIds: [s.capture_id] });
const t3 = performance.now();
await runTriage(store);
const t4 = performance.now();
store.close();
process.stdout.write(
  `${JSON.stringify({
    ms: t3 - t2,
    case_events: before,
    events: s.events,
    import_ms: t1 - t0,
    derived_ms: t2 - t1,
    triage_ms: t3 - t2,
    new_findings: inc.findings.length,
    full_rerun_ms: t4 - t3,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
