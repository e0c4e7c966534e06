// The executive summary and the timeline figure's data, read from the case: the incidents (span,
// processes, states), the controller writes and alarms within their spans, and what the case
// cannot say. Every count the summary states is read by a query logged in the ClaimLog.
import { WORKFLOW_STATES, type Incident, type WorkflowStateValue } from '../model/incident.ts';
import type { StoredEvent } from '../model/event.ts';
import { hostResolver } from '../model/host-attribution.ts';
import type { CaseStore } from '../store/case-store.ts';
import { EVENT_SELECT, readEvents } from '../store/event-rows.ts';
import { sql } from '../store/sql.ts';
import { usToIso } from '../util/time.ts';
import type { ClaimLog } from './claims.ts';
import { citeEvent, type AnnotationSection, type ControllerWrite, type CoverageSection, type EventCitation, type ExecutiveSummary, type FindingSection, type TimelineFigure } from './model.ts';

/** Records of one controller write seen by several sources (wire request/response, device log) lie this close. */
export const SAME_WRITE_US = 50_000;
/** Most alarms or writes the report reads (a flood is summarised by its count). */
const IMPACT_READ_LIMIT = 5000;
/** Lanes of processes the figure draws at most; the rest are named below it. */
export const FIGURE_PROCESS_LANES = 12;

const CONTROLLER_WRITE = sql`e.category = 'ics' AND e.op ILIKE '%write%'`;
const ALARM = sql`(e.category = 'alarm' OR e.level = 'alarm')`;

export interface SummaryInput {
  incidents: Incident[];
  findings: FindingSection[];
  annotations: AnnotationSection[];
  coverage: CoverageSection;
  caseSpan: { first_us: number | null; last_us: number | null };
  fileOf: (captureId: number) => string;
}

export async function gatherSummary(store: CaseStore, input: SummaryInput, claims: ClaimLog): Promise<{ summary: ExecutiveSummary; timeline: TimelineFigure }> {
  const { incidents, findings, coverage, fileOf } = input;
  const within = (us: number): number[] => incidents.filter((i) => us >= i.start_us && us <= i.end_us).map((i) => i.id);

  const writeEvents = await readEvents(
    store,
    claims.add('Controller writes in the case (every record: wire request and response, device log)', sql`SELECT ${EVENT_SELECT} FROM event_rows e WHERE ${CONTROLLER_WRITE} ORDER BY e.ts_us, e.event_id LIMIT ${IMPACT_READ_LIMIT}`),
  );
  const writes = groupWrites(writeEvents, fileOf, within);
  const alarmEvents = await readEvents(
    store,
    claims.add('Alarms in the case', sql`SELECT ${EVENT_SELECT} FROM event_rows e WHERE ${ALARM} ORDER BY e.ts_us, e.event_id LIMIT ${IMPACT_READ_LIMIT}`),
  );
  const alarmsIn = alarmEvents.filter((e) => within(e.ts_us).length > 0);

  // The incidents' processes: each step's events, by host/pid/process.
  const stepIds = [...new Set(incidents.flatMap((i) => i.steps.flatMap((s) => s.event_ids)))];
  const stepEvents = stepIds.length === 0 ? [] : await readEvents(
    store,
    claims.add('Events of the incidents\' steps', sql`SELECT ${EVENT_SELECT} FROM event_rows e WHERE e.event_id IN (SELECT unnest(${JSON.stringify(stepIds)}::BIGINT[])) ORDER BY e.ts_us`),
  );
  const resolve = hostResolver(coverage.hosts.map((h) => h.host).filter((h) => h !== '(unknown host)'));
  const processes = new Map<string, ExecutiveSummary['processes'][number] & { first_us: number; events: StoredEvent[] }>();
  // The figure draws one lane per program (all its pids), so a burst of short-lived children
  // does not use up every lane in its first second.
  const programs = new Map<string, ProgramLane>();
  for (const e of stepEvents) {
    const host = resolve(e.host) || null;
    const key = `${host ?? ''}|${e.pid ?? ''}|${e.process ?? ''}`;
    const p = processes.get(key) ?? { host, pid: e.pid, process: e.process, incident_ids: [], first_us: e.ts_us, events: [] };
    const laneKey = `${host ?? ''}|${e.process ?? ''}`;
    const lane = programs.get(laneKey) ?? { host, process: e.process, pids: new Set<number>(), first_us: e.ts_us, events: [] };
    if (e.pid !== null) lane.pids.add(e.pid);
    lane.events.push(e);
    programs.set(laneKey, lane);
    for (const id of within(e.ts_us)) if (!p.incident_ids.includes(id)) p.incident_ids.push(id);
    p.events.push(e);
    processes.set(key, p);
  }
  const processList = [...processes.values()].sort((a, b) => a.first_us - b.first_us);

  const spanFrom = incidents.length > 0 ? Math.min(...incidents.map((i) => i.start_us)) : input.caseSpan.first_us;
  const spanTo = incidents.length > 0 ? Math.max(...incidents.map((i) => i.end_us)) : input.caseSpan.last_us;
  const hosts = incidents.length > 0 ? [...new Set(processList.map((p) => p.host).filter((h): h is string => h !== null))].sort() : coverage.hosts.map((h) => h.host);

  const incidentStates = countStates(incidents.map((i) => i.workflow.state));
  const findingStates = countStates(findings.map((f) => f.state));
  const summary: ExecutiveSummary = {
    span: { from: spanFrom === null ? null : usToIso(spanFrom), to: spanTo === null ? null : usToIso(spanTo), basis: incidents.length > 0 ? 'incidents' : 'case' },
    hosts,
    processes: processList.map(({ host, pid, process, incident_ids }) => ({ host, pid, process, incident_ids })),
    incidents: { total: incidents.length, by_state: incidentStates },
    findings: { total: findings.length, by_state: findingStates },
    impact: {
      writes_in_incidents: writes.filter((w) => w.incident_ids.length > 0),
      writes_elsewhere: writes.filter((w) => w.incident_ids.length === 0).length,
      alarms_in_incidents: alarmsIn.map((e) => citeEvent(e, fileOf(e.capture_id), usToIso)),
      alarms_elsewhere: alarmEvents.length - alarmsIn.length,
    },
    confidence: confidence(incidents.length, incidentStates, findingStates, coverage),
    unknowns: unknowns(coverage, processList.some((p) => p.host === null), incidentStates, writes.length, IMPACT_READ_LIMIT),
  };

  const timeline = figureData(incidents, [...programs.values()], writes, alarmEvents, input.annotations, spanFrom, spanTo);
  return { summary, timeline };
}

function countStates(states: WorkflowStateValue[]): Record<WorkflowStateValue, number> {
  const out = Object.fromEntries(WORKFLOW_STATES.map((s) => [s, 0])) as Record<WorkflowStateValue, number>;
  for (const s of states) out[s] += 1;
  return out;
}

/** Records within SAME_WRITE_US of a write's first record are that write, seen by another source. */
export function groupWrites(events: StoredEvent[], fileOf: (id: number) => string, within: (us: number) => number[]): ControllerWrite[] {
  const out: ControllerWrite[] = [];
  let startUs = -Infinity;
  for (const e of events) {
    const last = out[out.length - 1];
    const cite = citeEvent(e, fileOf(e.capture_id), usToIso);
    if (last && e.ts_us - startUs <= SAME_WRITE_US) {
      last.records.push(cite);
      if (last.what === 'other') last.what = writeKind(e);
      continue;
    }
    startUs = e.ts_us;
    out.push({ ts: usToIso(e.ts_us), what: writeKind(e), records: [cite], incident_ids: within(e.ts_us) });
  }
  return out;
}

/** Register (a setpoint or value) or coil (an on/off output) for Modbus-style names; other otherwise. */
function writeKind(e: StoredEvent): ControllerWrite['what'] {
  const text = `${e.op} ${e.args ?? ''}`;
  if (/coil|\bfc=(5|15)\b/i.test(text)) return 'coil';
  if (/regist|\bfc=(6|16)\b|\bhr=/i.test(text)) return 'register';
  return 'other';
}

function confidence(total: number, incidents: Record<WorkflowStateValue, number>, findings: Record<WorkflowStateValue, number>, coverage: CoverageSection): string[] {
  const out: string[] = [];
  if (total === 0) out.push('No incident was found by the rules; that does not clear the case (see scope and blind spots).');
  else {
    out.push(
      `${incidents.confirmed} of ${total} incident(s) confirmed by the analyst, ${incidents.needs_review} need review, ${incidents.open} not yet reviewed, ${incidents.false_positive} judged false positive.`,
    );
  }
  out.push(`${findings.confirmed} finding(s) confirmed, ${findings.needs_review} need review, ${findings.open} not yet reviewed, ${findings.false_positive} false positive.`);
  const unaligned = coverage.blind_spots.some((b) => /have not been aligned/.test(b));
  out.push(unaligned ? 'Clocks of the hosts were not aligned: the order of events across hosts rests on their clocks agreeing.' : 'Sources are ordered on one clock (aligned, or one host).');
  return out;
}

function unknowns(coverage: CoverageSection, hostless: boolean, incidents: Record<WorkflowStateValue, number>, writes: number, limit: number): string[] {
  const out: string[] = [];
  if (incidents.open + incidents.needs_review > 0) out.push(`${incidents.open + incidents.needs_review} incident(s) are not yet confirmed or dismissed.`);
  if (hostless) out.push('Some of the incidents\' processes ran on a host the sources do not name.');
  if (writes >= limit) out.push(`More than ${limit} controller-write records: only the first ${limit} were read for this summary.`);
  const spots = coverage.blind_spots.filter((b) => !b.startsWith('Only the processes'));
  if (spots.length > 0) out.push(`${spots.length} blind spot(s) limit what the case can show (listed under scope).`);
  if (coverage.gaps.length > 0) out.push(`${coverage.gaps.length} period(s) are covered by no capture.`);
  return out;
}

interface ProgramLane {
  host: string | null;
  process: string | null;
  pids: Set<number>;
  first_us: number;
  events: StoredEvent[];
}

function figureData(
  incidents: Incident[],
  programs: ProgramLane[],
  writes: ControllerWrite[],
  alarms: StoredEvent[],
  annotations: AnnotationSection[],
  fromUs: number | null,
  toUs: number | null,
): TimelineFigure {
  const from = fromUs ?? 0;
  const to = toUs ?? from;
  // A readable margin around the incidents: a tenth of their span, at least 5 s.
  const pad = Math.max(5_000_000, Math.round((to - from) / 10));
  const lo = from - pad;
  const hi = to + pad;
  const inRange = (iso: string) => {
    const us = Date.parse(iso) * 1000;
    return us >= lo && us <= hi;
  };
  const mark = (e: EventCitation | StoredEvent, label: string) => ({ ts: 'ts' in e && typeof e.ts === 'string' ? e.ts : usToIso((e as StoredEvent).ts_us), event_id: e.event_id, label });
  const pidText = (pids: Set<number>) => (pids.size === 0 ? '' : pids.size === 1 ? ` (pid ${[...pids][0] ?? ''})` : ` (${pids.size} pids)`);
  const lanes: TimelineFigure['lanes'] = programs.sort((a, b) => a.first_us - b.first_us).slice(0, FIGURE_PROCESS_LANES).map((p) => ({
    name: `${p.process ?? '?'}${pidText(p.pids)}${p.host ? ` @ ${p.host}` : ''}`,
    kind: 'process' as const,
    marks: p.events.map((e) => mark(e, `${e.op} ${e.target ?? ''}`.trim())),
  }));
  lanes.push({ name: 'controller writes', kind: 'ics', marks: writes.filter((w) => inRange(w.ts)).map((w) => ({ ts: w.ts, event_id: w.records[0]?.event_id ?? 0, label: `${w.what} write: ${w.records[0]?.op ?? ''}` })) });
  lanes.push({ name: 'alarms', kind: 'alarm', marks: alarms.filter((e) => e.ts_us >= lo && e.ts_us <= hi).map((e) => mark(e, e.op)) });
  return {
    from: usToIso(lo),
    to: usToIso(hi),
    lanes,
    incidents: incidents.map((i) => ({ id: i.id, title: i.title, from: i.start, to: i.end })),
    annotations: annotations.filter((a) => inRange(a.from)).map((a) => ({ annotation_id: a.annotation_id, ts: a.event?.ts ?? a.from, tag: a.tag })),
  };
}
