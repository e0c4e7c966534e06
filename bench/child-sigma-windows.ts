// SigmaHQ's rules/windows over a generated Windows case, in its own process: the import of the
// XML export, loading the rules, then triage (every loaded rule plus the built-in checks) with the
// time of each part. Prints one JSON line: { ms (triage), triage_cpu_ms (all threads), import_ms,
// load_ms, rule counts, findings, a digest of the (rule, events) pairs, timings }.
import { importFile } from '../core/ingest/import-file.ts';
import { CaseStore } from '../core/store/case-store.ts';
import { loadRuleFolders } from '../core/triage/rules-load.ts';
import { createHash } from 'node:crypto';
import type { NewFinding } from '../core/triage/findings-build.ts';
import { runTriage } from '../core/triage/run.ts';

/** A digest of the (rule, events) pairs found: equal digests, equal findings. */
function pairsHash(findings: NewFinding[]): string {
  const pairs = findings.map((f) => `${f.rule} ${[...f.event_ids].sort((a, b) => a - b).join(',')}`).sort();
  return createHash('sha256').update(pairs.join('\n')).digest('hex').slice(0, 16);
}

const [casePath, xmlPath, rulesDir, variant] = process.argv.slice(2);
if (!casePath || !xmlPath || !rulesDir) throw new Error('usage: child-sigma-windows CASE XML RULES_DIR [before]');
// "before": every rule evaluated and parsing e.fields itself (no logsource gate, no field cache), to compare.
const before = variant === 'before';
const store = await CaseStore.open(casePath);
const t0 = performance.now();
const imported = await importFile(store, xmlPath, { format: 'winevent-xml' });
const t1 = performance.now();
const loaded = loadRuleFolders([rulesDir]);
const t2 = performance.now();
const cpu0 = process.cpuUsage();
const r = await runTriage(store, { rules: loaded.rules, noLogsourceGate: before, noFieldCache: before });
const t3 = performance.now();
const cpu = process.cpuUsage(cpu0);
store.close();
const timings = Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [k, Math.round(v)]));
process.stdout.write(
  `${JSON.stringify({
    ms: t3 - t2,
    triage_cpu_ms: (cpu.user + cpu.system) / 1000,
    import_ms: t1 - t0,
    load_ms: t2 - t1,
    events: imported.events,
    rejected: imported.rejected,
    rule_files_checked: loaded.checks.length,
    rules_loaded: loaded.rules.length,
    rules_not_loadable: loaded.skipped.length,
    rules_no_source: r.notSupplied,
    rules_failed: r.skipped.length,
    rules_with_findings: new Set(r.findings.map((f) => f.rule)).size,
    findings: r.findings.length,
    finding_pairs_hash: pairsHash(r.findings),
    timings,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
