// Derived tables + triage as an import runs them, over a copy of a built case (e.g. the bench's
// bench/out/strace-no-triage.duckdb), in its own process: the three derived steps, then an
// incremental triage of the last capture. Every statement slower than QMIN ms (default 15) is
// printed with the first QLEN characters of its SQL (default 160) — statements started together on
// one connection queue there, so a statement's time may include its wait — then one JSON line
// { ms, cpuMs (all threads), findings, timings }. NODERIVED=1 skips the derived steps.
// Usage: node --import tsx bench/child-derived-triage-profile.ts BUILT_CASE WORK_CASE
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { rebuildLinks } from '../core/links/store.ts';
import { rebuildProcessTree } from '../core/process/store.ts';
import { ensureTargetCounts } from '../core/query/target-counts.ts';
import { CaseSession } from '../core/store/case-session.ts';
import { CaseStore } from '../core/store/case-store.ts';
import { sql, type Sql } from '../core/store/sql.ts';
import { runTriage } from '../core/triage/run.ts';

const [bigCase, casePath] = process.argv.slice(2);
if (!bigCase || !casePath) throw new Error('usage: child-derived-triage-profile BUILT_CASE WORK_CASE');
const MIN_MS = Number(process.env['QMIN'] ?? 15);
const SQL_CHARS = Number(process.env['QLEN'] ?? 160);
for (const p of [casePath, `${casePath}.wal`]) rmSync(p, { force: true });
copyFileSync(bigCase, casePath);
if (existsSync(`${bigCase}.wal`)) copyFileSync(`${bigCase}.wal`, `${casePath}.wal`);

const log: string[] = [];
/** Times one of CaseSession's query methods (all connections go through them). */
function timed<A extends unknown[], R>(run: (this: CaseSession, q: Sql, ...rest: A) => Promise<R>): (this: CaseSession, q: Sql, ...rest: A) => Promise<R> {
  return async function (this: CaseSession, q: Sql, ...rest: A): Promise<R> {
    const t = performance.now();
    try {
      return await run.call(this, q, ...rest);
    } finally {
      const ms = performance.now() - t;
      if (ms >= MIN_MS) log.push(`${ms.toFixed(0).padStart(6)} ms  ${q.render().text.replace(/\s+/g, ' ').slice(0, SQL_CHARS)}`);
    }
  };
}
CaseSession.prototype.exec = timed(CaseSession.prototype.exec);
CaseSession.prototype.rows = timed(CaseSession.prototype.rows) as typeof CaseSession.prototype.rows;
CaseSession.prototype.columns = timed(CaseSession.prototype.columns);

const store = await CaseStore.open(casePath);
const last = (await store.one(sql`SELECT max(capture_id) AS id FROM captures`, { id: 'num' }))?.id ?? 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let lap = t0;
const mark = (name: string): void => {
  const now = performance.now();
  log.push(`== ${name}: ${(now - lap).toFixed(0)} ms`);
  lap = now;
};
if (process.env['NODERIVED'] !== '1') {
  await rebuildProcessTree(store);
  mark('derived: process tree');
  await rebuildLinks(store);
  mark('derived: links');
  await ensureTargetCounts(store);
  mark('derived: target counts');
}
const r = await runTriage(store, { captureIds: [last] });
mark('triage');
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
store.close();
process.stdout.write(`${log.join('\n')}\n`);
const timings = Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [k, Math.round(v)]));
process.stdout.write(`${JSON.stringify({ ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), findings: r.findings.length, timings })}\n`);
