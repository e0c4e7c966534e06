// Triage over a copy of a built case, in its own process, with the time of each part of the run
// (run.ts timings): an incremental run over the case's last capture, or a full run. Prints one
// JSON line: { ms, findings, timings… }. A fourth argument `no-prefilter` turns the single-event
// rules' tuple pre-filter off (tuple-prefilter.ts), to compare.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { CaseStore } from '../core/store/case-store.ts';
import { sql } from '../core/store/sql.ts';
import { runTriage } from '../core/triage/run.ts';

const [bigCase, casePath, mode, variant] = process.argv.slice(2);
if (!bigCase || !casePath || (mode !== 'incremental' && mode !== 'full')) throw new Error('usage: child-triage-profile BUILT_CASE WORK_CASE incremental|full [no-prefilter]');
for (const p of [casePath, `${casePath}.wal`]) rmSync(p, { force: true });
copyFileSync(bigCase, casePath);
if (existsSync(`${bigCase}.wal`)) copyFileSync(`${bigCase}.wal`, `${casePath}.wal`);
const store = await CaseStore.open(casePath);
const last = (await store.one(sql`SELECT max(capture_id) AS id FROM captures`, { id: 'num' }))?.id ?? 0;
const t0 = performance.now();
const r = await runTriage(store, { ...(mode === 'incremental' ? { captureIds: [last] } : {}), noTuplePrefilter: variant === 'no-prefilter' });
const ms = performance.now() - t0;
store.close();
const timings = Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [k, Math.round(v)]));
process.stdout.write(`${JSON.stringify({ ms, findings: r.findings.length, timings, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
