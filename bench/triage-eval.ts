// Measures triage against a scenario's ground truth (truth.json in the hmi-dev layout): imports
// the scenario's captures into a temporary case, runs triage, and reports per suspicious entry
// whether a finding names events inside its time window and pid set (recall), plus the findings
// that land on benign activity (noise). Usage:
//   node --import tsx bench/triage-eval.ts [SCENARIO_DIR] [--json] [--keep CASE]
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { importFile } from '../core/ingest/import-file.ts';
import { CaseStore } from '../core/store/case-store.ts';
import { sql } from '../core/store/sql.ts';
import { listFindings, runTriage, type StoredFinding } from '../core/triage/findings.ts';

interface TruthEntry { id: string; label: string; start_epoch_us: number; end_epoch_us: number; capture: string; pids: number[] }
interface Truth {
  session?: { host?: string };
  suspicious: TruthEntry[];
  benign: TruthEntry[];
  verification?: { entries?: Record<string, Record<string, unknown>> };
}

const SLACK_US = 50_000; // as generator/verify.py: ±50 ms around each window

const { values, positionals } = parseArgs({ allowPositionals: true, options: { json: { type: 'boolean' }, keep: { type: 'string' } } });
const dir = positionals[0] ?? join(import.meta.dirname, '..', '..', 'shared', 'captures', 'linux', 'hmi-dev');
const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;
const casePath = values.keep ?? join(tmpdir(), `triage-eval-${process.pid}.duckdb`);
if (existsSync(casePath)) rmSync(casePath);

const files = [
  ...['strace.txt', 'strace_epoch.txt', 'ltrace.txt', 'net.csv'].map((f) => join(dir, f)),
  ...listFiles(join(dir, 'logs')),
].filter((f) => existsSync(f));

const store = await CaseStore.open(casePath);
const imported: { file: string; format: string; events: number; rejected: number }[] = [];
const skipped: { file: string; reason: string }[] = [];
for (const f of files) {
  try {
    const s = await importFile(store, f, { host: truth.session?.host, displayName: f.slice(dir.length + 1) });
    imported.push({ file: s.file_name, format: s.format, events: s.events, rejected: s.rejected });
  } catch (err) {
    skipped.push({ file: f.slice(dir.length + 1), reason: (err as Error).message.split('\n')[0] ?? '' });
  }
}
const t0 = Date.now();
const result = await runTriage(store);
const triageMs = Date.now() - t0;
const findings = await listFindings(store);

// Where each finding's events are: capture file, pid, time.
const located = new Map<number, { file: string; pid: number | null; ts: number }[]>();
for (const f of findings) {
  const rows = await store.rows(
    sql`SELECT c.file_name, e.pid, e.ts_us FROM event_rows e JOIN captures c USING (capture_id)
        WHERE list_contains(CAST(CAST(${JSON.stringify(f.event_ids)} AS JSON) AS BIGINT[]), e.event_id)`,
    { file_name: 'str', pid: 'num?', ts_us: 'num' },
  );
  located.set(f.finding_id, rows.map((r) => ({ file: r.file_name, pid: r.pid, ts: r.ts_us })));
}

function pidSet(e: TruthEntry): Set<number> {
  const v = truth.verification?.entries?.[e.id] ?? {};
  const derived = Object.entries(v).find(([k]) => k.endsWith('_pids_derived'))?.[1];
  return new Set([...e.pids, ...(Array.isArray(derived) ? (derived as number[]) : [])].filter((p) => p > 0));
}
function touches(f: StoredFinding, e: TruthEntry, slack = SLACK_US): boolean {
  const pids = pidSet(e);
  return (located.get(f.finding_id) ?? []).some(
    (x) => x.file === e.capture && x.pid !== null && pids.has(x.pid) && x.ts >= e.start_epoch_us - slack && x.ts <= e.end_epoch_us + slack,
  );
}

const perEntry = truth.suspicious.map((e) => {
  const hits = findings.filter((f) => touches(f, e));
  // Strict: an event inside the window itself (no slack), so a neighbour's event cannot count.
  const strict = findings.filter((f) => touches(f, e, 0));
  return { id: e.id, label: e.label, detected: hits.length > 0, detected_strict: strict.length > 0, best_score: Math.max(0, ...hits.map((h) => h.score)), rules: [...new Set(hits.map((h) => h.rule))] };
});
const onBenign = truth.benign.map((e) => {
  const hits = findings.filter((f) => touches(f, e) && !truth.suspicious.some((s) => touches(f, s)));
  return { id: e.id, label: e.label, findings: hits.length, max_score: Math.max(0, ...hits.map((h) => h.score)), rules: [...new Set(hits.map((h) => h.rule))] };
});
const unmatched = findings.filter((f) => !truth.suspicious.some((s) => touches(f, s)));
const detected = perEntry.filter((p) => p.detected).length;
const detectedStrict = perEntry.filter((p) => p.detected_strict).length;
const report = {
  scenario: dir,
  imported,
  skipped,
  baseline: result.baseline.description,
  rules: result.rules,
  triage_ms: triageMs,
  findings: findings.length,
  recall: `${detected}/${perEntry.length}`,
  recall_strict: `${detectedStrict}/${perEntry.length}`,
  per_suspicious: perEntry,
  on_benign_windows: onBenign,
  not_on_any_suspicious_entry: unmatched.map((f) => ({ score: f.score, rule: f.rule, first: new Date(f.first_us / 1000).toISOString(), pids: f.pids })),
};
store.close();
if (!values.keep) rmSync(casePath, { force: true });

if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
else {
  const out: string[] = [];
  out.push(`imported: ${imported.map((i) => `${i.file} (${i.format}, ${i.events} events, ${i.rejected} rejects)`).join('; ')}`);
  if (skipped.length) out.push(`not imported: ${skipped.map((s) => `${s.file}: ${s.reason}`).join('; ')}`);
  out.push(`baseline: ${report.baseline}`, `rules: ${report.rules}, findings: ${report.findings}, triage ${triageMs} ms`, `recall: ${report.recall} (±${SLACK_US / 1000} ms slack), ${report.recall_strict} inside the windows`);
  for (const p of perEntry) out.push(`  ${p.detected ? (p.detected_strict ? 'HIT ' : 'HIT~') : 'MISS'} ${p.id.padEnd(5)} ${p.label.padEnd(38)} best ${String(p.best_score).padStart(3)}  ${p.rules.join(', ')}`);
  out.push('benign windows (findings touching only benign activity):');
  for (const b of onBenign) out.push(`  ${b.id.padEnd(4)} ${b.label.padEnd(34)} ${b.findings} finding(s), max score ${b.max_score}  ${b.rules.join(', ')}`);
  out.push(`findings on no suspicious entry: ${unmatched.length}`);
  for (const u of report.not_on_any_suspicious_entry) out.push(`  ${String(u.score).padStart(3)} ${u.rule} ${u.first} pids ${u.pids.slice(0, 5).join(',')}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

function listFiles(d: string): string[] {
  if (!existsSync(d)) return [];
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}
