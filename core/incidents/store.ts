// Incidents kept in the case (tables incidents and incident_findings, migration 9): rebuilt from
// the findings and the process tree after every triage run (run.ts calls rebuildIncidents), read
// with the analysts' workflow states joined in.
import { type Incident, type IncidentStep, type WorkflowState, type WorkflowUpdate } from '../model/incident.ts';
import { readProcessTree } from '../process/store.ts';
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, sql } from '../store/sql.ts';
import { usToIso } from '../util/time.ts';
import { buildIncidents, type IncidentDraft, type IncidentEvent, type IncidentFinding } from './build.ts';
import { closeShellSpans } from './shell-end-read.ts';
import { findingKey, readWorkflowStates, stateOf, writeWorkflowState } from './workflow.ts';
import { appendTo } from '../util/multimap.ts';

/** The case's findings with their events, as incident building needs them. */
async function readIncidentFindings(store: CaseStore): Promise<IncidentFinding[]> {
  const rows = await store.rows(
    sql`SELECT finding_id, rule, title, score, to_json(event_ids)::VARCHAR AS event_ids, to_json(attack)::VARCHAR AS attack,
               epoch_us(first_ts) AS first_us, epoch_us(last_ts) AS last_us, host
        FROM findings ORDER BY finding_id`,
    { finding_id: 'num', rule: 'str', title: 'str', score: 'num', event_ids: 'str', attack: 'str', first_us: 'num', last_us: 'num', host: 'str?' },
  );
  const events = await store.rows(
    sql`SELECT f.finding_id, e.event_id, e.capture_id, e.ts_us, e.host, e.pid, e.category, e.op, e.target, e.process
        FROM (SELECT finding_id, unnest(event_ids) AS event_id FROM findings) f JOIN event_rows e ON e.event_id = f.event_id
        ORDER BY f.finding_id, e.ts_us, e.event_id`,
    { finding_id: 'num', event_id: 'num', capture_id: 'num', ts_us: 'num', host: 'str?', pid: 'num?', category: 'str', op: 'str', target: 'str?', process: 'str?' },
  );
  const byFinding = new Map<number, IncidentEvent[]>();
  for (const { finding_id, ...e } of events) appendTo(byFinding, finding_id, e);
  return rows.map((r) => {
    const ids = JSON.parse(r.event_ids) as number[];
    return { ...r, event_ids: ids, attack: JSON.parse(r.attack) as string[], key: findingKey(r.rule, ids), events: byFinding.get(r.finding_id) ?? [] };
  });
}

/** Builds the incidents from the case without writing (read-only cases, tests). */
export async function computeIncidents(store: CaseStore): Promise<IncidentDraft[]> {
  const findings = await readIncidentFindings(store);
  // Incidents are groups of findings: with none there is nothing to group, and reading the
  // process tree of a 1.5 M-call capture for nothing cost an import's triage ~0.45 s.
  if (findings.length === 0) return [];
  const nodes = await readProcessTree(store);
  return closeShellSpans(store, buildIncidents(findings, nodes), nodes);
}

/** Rebuilds the kept incidents in one transaction. */
export async function rebuildIncidents(store: CaseStore): Promise<IncidentDraft[]> {
  const drafts = await computeIncidents(store);
  const context = await spanContexts(store, drafts);
  await store.transaction(async () => {
    await store.exec(sql`DELETE FROM incidents`);
    await store.exec(sql`DELETE FROM incident_findings`);
    await store.exec(sql`DELETE FROM incidents_built`);
    await store.exec(sql`INSERT INTO incidents_built VALUES (now()::TIMESTAMP)`);
    // Multi-row INSERTs: a statement costs about as much for one row as for hundreds.
    for (let first = 0; first < drafts.length; first += ROWS_PER_INSERT) {
      const chunk = drafts.slice(first, first + ROWS_PER_INSERT);
      const rows = chunk.map((d, k) => {
        const ctx = context[first + k] ?? { controller_writes: 0, alarms: 0 };
        return sql`(${first + k + 1}, ${d.key}, ${d.title}, ${d.score}, ${d.start_us}, ${d.end_us},
          ${d.root.proc_id}, ${d.root.pid}, ${d.root.image}, ${list(d.tactics)}, ${JSON.stringify(d.steps)},
          ${list(d.files)}, ${list(d.endpoints)}, ${list(d.hosts)}, ${ctx.controller_writes}, ${ctx.alarms})`;
      });
      await store.exec(sql`INSERT INTO incidents VALUES ${joinSql(rows, ', ')}`);
      const links = chunk.flatMap((d, k) => d.finding_ids.map((f) => sql`(${first + k + 1}, ${f})`));
      for (let i = 0; i < links.length; i += ROWS_PER_INSERT * 4) {
        await store.exec(sql`INSERT INTO incident_findings VALUES ${joinSql(links.slice(i, i + ROWS_PER_INSERT * 4), ', ')}`);
      }
    }
  });
  return drafts;
}

/** Incidents per INSERT statement (16 bound values each). */
const ROWS_PER_INSERT = 200;

/** A VARCHAR[] literal from bound values. */
function list(values: string[]): ReturnType<typeof sql> {
  return sql`CAST(CAST(${JSON.stringify(values)} AS JSON) AS VARCHAR[])`;
}

/** A BIGINT[] literal from bound values. */
function numbers(values: number[]): ReturnType<typeof sql> {
  return sql`CAST(CAST(${JSON.stringify(values)} AS JSON) AS BIGINT[])`;
}

/**
 * Controller writes and alarms anywhere in the case within each incident's span (traffic to a
 * controller is often seen off-host), in draft order: one statement for every incident, over the
 * few events that are either (not one scan of the case per incident).
 */
async function spanContexts(store: CaseStore, drafts: IncidentDraft[]): Promise<{ controller_writes: number; alarms: number }[]> {
  if (drafts.length === 0) return [];
  const rows = await store.rows(
    sql`WITH d AS (SELECT unnest(${numbers(drafts.map((_, i) => i))}) AS i, unnest(${numbers(drafts.map((d) => d.start_us))}) AS s,
                          unnest(${numbers(drafts.map((d) => d.end_us))}) AS t),
             x AS (SELECT ts_us, category = 'ics' AND op ILIKE '%write%' AS w, category = 'alarm' OR level = 'alarm' AS a
                   FROM event_rows WHERE (category = 'ics' AND op ILIKE '%write%') OR category = 'alarm' OR level = 'alarm')
        SELECT d.i, count(*) FILTER (WHERE x.w) AS writes, count(*) FILTER (WHERE x.a) AS alarms
        FROM d LEFT JOIN x ON x.ts_us BETWEEN d.s AND d.t GROUP BY d.i`,
    { i: 'num', writes: 'num', alarms: 'num' },
  );
  const out = drafts.map(() => ({ controller_writes: 0, alarms: 0 }));
  for (const r of rows) out[r.i] = { controller_writes: r.writes, alarms: r.alarms };
  return out;
}

const INCIDENT_SPEC = {
  incident_id: 'num', incident_key: 'str', title: 'str', score: 'num', start_us: 'num', end_us: 'num', root_proc_id: 'num?', root_pid: 'num?',
  root_image: 'str?', tactics: 'str', steps: 'str', files: 'str', endpoints: 'str', controller_writes: 'num', alarms: 'num', finding_ids: 'str',
} as const;

/** The kept incidents, best first, each with its workflow state (built first on a writable case that never built them). */
export async function listIncidents(store: CaseStore): Promise<Incident[]> {
  const read = async (): Promise<Incident[]> => {
    const rows = await store.rows(
      sql`SELECT i.incident_id, i.incident_key, i.title, i.score, i.start_us, i.end_us, i.root_proc_id, i.root_pid, i.root_image,
                 to_json(i.tactics)::VARCHAR AS tactics, i.steps, to_json(i.files)::VARCHAR AS files, to_json(i.endpoints)::VARCHAR AS endpoints,
                 i.controller_writes, i.alarms,
                 to_json(coalesce((SELECT list(finding_id ORDER BY finding_id) FROM incident_findings f WHERE f.incident_id = i.incident_id), []))::VARCHAR AS finding_ids
          FROM incidents i ORDER BY i.score DESC, i.start_us, i.incident_id`,
      INCIDENT_SPEC,
    );
    const states = await readWorkflowStates(store, 'incident');
    return rows.map((r) => toIncident(r, stateOf(states, r.incident_key)));
  };
  const built = await store.one(sql`SELECT count(*) AS n FROM incidents_built`, { n: 'num' });
  if ((built?.n ?? 0) === 0 && !store.readOnly) await rebuildIncidents(store);
  return read();
}

type IncidentRow = { [K in keyof typeof INCIDENT_SPEC]: (typeof INCIDENT_SPEC)[K] extends 'num?' ? number | null : (typeof INCIDENT_SPEC)[K] extends 'str?' ? string | null : (typeof INCIDENT_SPEC)[K] extends 'num' ? number : string };

function toIncident(r: IncidentRow, workflow: WorkflowState): Incident {
  const steps: IncidentStep[] = (JSON.parse(r.steps) as Omit<IncidentStep, 'ts'>[]).map((s) => ({ ts: usToIso(s.ts_us), ...s }));
  const entry = steps[0] ?? { ts: usToIso(r.start_us), ts_us: r.start_us, finding_id: 0, event_ids: [], text: r.title };
  return {
    id: r.incident_id,
    key: r.incident_key,
    title: r.title,
    score: r.score,
    start: usToIso(r.start_us),
    end: usToIso(r.end_us),
    start_us: r.start_us,
    end_us: r.end_us,
    root_pid: r.root_pid,
    root: { proc_id: r.root_proc_id, pid: r.root_pid, image: r.root_image },
    entry,
    tactics: JSON.parse(r.tactics) as string[],
    steps,
    touched: { files: JSON.parse(r.files) as string[], endpoints: JSON.parse(r.endpoints) as string[], controller_writes: r.controller_writes, alarms: r.alarms },
    finding_ids: JSON.parse(r.finding_ids) as number[],
    workflow,
  };
}

/** Sets the workflow state of a finding or an incident named by its current id. */
export async function setWorkflowState(store: CaseStore, update: WorkflowUpdate): Promise<WorkflowState> {
  let key: string | undefined;
  if (update.subject === 'finding') {
    const row = await store.one(sql`SELECT rule, to_json(event_ids)::VARCHAR AS ids FROM findings WHERE finding_id = ${update.id}`, { rule: 'str', ids: 'str' });
    if (row) key = findingKey(row.rule, JSON.parse(row.ids) as number[]);
  } else {
    const row = await store.one(sql`SELECT incident_key FROM incidents WHERE incident_id = ${update.id}`, { incident_key: 'str' });
    key = row?.incident_key;
  }
  if (key === undefined) throw new NoSuchSubjectError(update.subject, update.id);
  return writeWorkflowState(store, update.subject, key, update);
}

export class NoSuchSubjectError extends Error {
  constructor(subject: string, id: number) {
    super(`no ${subject} with id ${id} in this case`);
    this.name = 'NoSuchSubjectError';
  }
}

