// Measures incidents against a scenario's ground truth (truth.json in the hmi-dev layout) on a case
// already imported and triaged (tracebench import …): how many incidents and loose findings, and
// per suspicious entry whether an incident's storyline reaches it — a step event in the entry's
// capture, by its process or a descendant (the truth's pid scope), inside its window ±50 ms.
// Reads truth.json only to score; nothing here feeds back into the grouping. Usage:
//   node --import tsx bench/incidents-eval.ts CASE TRUTH_JSON [--json]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { listIncidents } from '../core/incidents/store.ts';
import { readProcessTree } from '../core/process/store.ts';
import { CaseStore } from '../core/store/case-store.ts';
import { sql } from '../core/store/sql.ts';
import { listFindings } from '../core/triage/findings.ts';

interface TruthEntry { id: string; label: string; start_epoch_us: number; end_epoch_us: number; capture: string; pids: number[] }
const SLACK_US = 50_000;

const { values, positionals } = parseArgs({ allowPositionals: true, options: { json: { type: 'boolean' } } });
const [casePath, truthPath] = positionals;
if (!casePath || !truthPath) throw new Error('usage: incidents-eval.ts CASE TRUTH_JSON [--json]');
const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as { suspicious: TruthEntry[]; benign?: TruthEntry[] };

const store = await CaseStore.open(casePath, { create: false });
const incidents = await listIncidents(store);
const findings = await listFindings(store);
const grouped = new Set(incidents.flatMap((i) => i.finding_ids));
const loose = findings.filter((f) => !grouped.has(f.finding_id));
const nodes = await readProcessTree(store);
const captures = new Map((await store.rows(sql`SELECT capture_id, file_name FROM captures`, { capture_id: 'num', file_name: 'str' })).map((c) => [c.capture_id, c.file_name]));

// Step events: capture file, pid, time, incident.
const stepEvents: { incident: number; file: string; pid: number | null; ts: number }[] = [];
for (const i of incidents) {
  // Findings' steps only: a reverse shell's end (kind shell_end) is context, not a detection.
  const ids = i.steps.filter((s) => s.kind !== 'shell_end').flatMap((s) => s.event_ids);
  const rows = await store.rows(
    sql`SELECT capture_id, pid, ts_us FROM event_rows WHERE list_contains(CAST(CAST(${JSON.stringify(ids)} AS JSON) AS BIGINT[]), event_id)`,
    { capture_id: 'num', pid: 'num?', ts_us: 'num' },
  );
  for (const r of rows) stepEvents.push({ incident: i.id, file: captures.get(r.capture_id) ?? '', pid: r.pid, ts: r.ts_us });
}

/** The entry's pids and every descendant's, as the process tree knows them in that capture. */
function scope(e: TruthEntry): Set<number> {
  const inCapture = nodes.filter((n) => n.members.some((m) => captures.get(m.capture_id) === e.capture));
  const ids = new Set(inCapture.filter((n) => e.pids.includes(n.pid)).map((n) => n.proc_id));
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of inCapture) {
      if (n.parent_id !== null && ids.has(n.parent_id) && !ids.has(n.proc_id)) {
        ids.add(n.proc_id);
        grew = true;
      }
    }
  }
  return new Set([...e.pids, ...inCapture.filter((n) => ids.has(n.proc_id)).flatMap((n) => n.members.map((m) => m.pid))]);
}

const perEntry = truth.suspicious.map((e) => {
  const pids = scope(e);
  const hits = stepEvents.filter((x) => x.file.endsWith(e.capture) && x.pid !== null && pids.has(x.pid) && x.ts >= e.start_epoch_us - SLACK_US && x.ts <= e.end_epoch_us + SLACK_US);
  return { id: e.id, label: e.label, reachable: hits.length > 0, incidents: [...new Set(hits.map((h) => h.incident))] };
});
// Benign activity an incident swept in (a step inside a benign entry's window and pid scope).
const benignInIncidents = (truth.benign ?? []).filter((e) => {
  const pids = scope(e);
  return stepEvents.some((x) => x.file.endsWith(e.capture) && x.pid !== null && pids.has(x.pid) && x.ts >= e.start_epoch_us && x.ts <= e.end_epoch_us);
}).map((e) => e.id);
store.close();

const summary = {
  findings: findings.length,
  incidents: incidents.map((i) => ({
    id: i.id, score: i.score, findings: i.finding_ids.length, steps: i.steps.length, tactics: i.tactics.length, title: i.title, start: i.start, end: i.end,
    shell_ends: i.steps.filter((s) => s.kind === 'shell_end').map((s) => s.text),
  })),
  loose_findings: loose.length,
  reachable: perEntry.filter((p) => p.reachable).length,
  suspicious: perEntry.length,
  benign: (truth.benign ?? []).length,
  benign_in_incidents: benignInIncidents,
  per_entry: perEntry,
};
if (values.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
else {
  const out = [`${findings.length} findings → ${incidents.length} incidents + ${loose.length} loose findings`];
  for (const i of summary.incidents) {
    out.push(`  incident ${i.id} [${i.score}] ${i.findings} findings, ${i.tactics} tactics, ${i.start} … ${i.end}: ${i.title}`);
    for (const end of i.shell_ends) out.push(`    ${end}`);
  }
  for (const p of perEntry) out.push(`  ${p.id.padEnd(6)} ${p.label.padEnd(40)} ${p.reachable ? `reachable (incident ${p.incidents.join(', ')})` : 'NOT reachable'}`);
  out.push(`${summary.reachable}/${summary.suspicious} suspicious actions reachable from an incident's steps`);
  out.push(`${benignInIncidents.length}/${summary.benign} benign activities inside an incident${benignInIncidents.length ? `: ${benignInIncidents.join(', ')}` : ''}`);
  process.stdout.write(`${out.join('\n')}\n`);
}
