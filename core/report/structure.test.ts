// The report of a built case (the shipped demo capture, imported and triaged as the CLI does, plus
// a controller write and an alarm inside the incident): the summary states the facts the case
// holds, the figure is valid SVG with named lanes, annotations come before findings, findings
// are ordered by triage state with false positives in the appendix, every format keeps hostile
// capture text inert, and governance decides the blind spots.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnnotation } from '../annotations/annotations.ts';
import { addCapture } from '../api/testing-case.ts';
import { writeGovernance } from '../case/governance.ts';
import { rebuildDerived } from '../case/derived.ts';
import { listIncidents, setWorkflowState } from '../incidents/store.ts';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { runTriage } from '../triage/run.ts';
import { listFindings } from '../triage/findings.ts';
import { buildReport } from './build.ts';
import { renderTimelineSvg } from './figure.ts';
import type { ReportData } from './model.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>=cmd|calc](javascript:alert(3))';

const dir = tempDir();
let store: CaseStore;
let data: ReportData;

beforeAll(async () => {
  store = await CaseStore.open(dir.file('demo.duckdb'));
  for (const f of ['strace.txt', 'app-log.jsonl']) await importFile(store, join(ROOT, 'samples', 'demo', f), { host: 'demo-hmi' });
  await rebuildDerived(store);
  await runTriage(store);
  const [incident] = await listIncidents(store);
  if (!incident) throw new Error('the demo case should yield an incident');
  // A controller write, an alarm and a hostile log line inside the incident's span, one outside.
  const mid = Math.round((incident.start_us + incident.end_us) / 2);
  await addCapture(store, 'plc.log', [
    { ts_us: mid, kind: 'ics', category: 'ics', op: 'WRITE fc=6 unit=1 hr=1', args: 'hr=1 500->950', host: 'plc-1' },
    { ts_us: mid + 1000, kind: 'alarm', category: 'alarm', level: 'alarm', op: 'alarm: SETPOINT MISMATCH', host: 'plc-1' },
    { ts_us: incident.end_us + 60_000_000, kind: 'ics', category: 'ics', op: 'WRITE fc=5 unit=1 coil=0', host: 'plc-1' },
    { ts_us: mid + 2000, kind: 'log', category: 'log', op: HOSTILE, target: HOSTILE, args: HOSTILE, host: 'plc-1' },
  ], 'plc-1');
  const findings = await listFindings(store);
  const [first, second] = findings;
  if (!first || !second) throw new Error('the demo case should yield two findings at least');
  await setWorkflowState(store, { subject: 'finding', id: second.finding_id, state: 'confirmed', note: 'seen by the operator' });
  await setWorkflowState(store, { subject: 'finding', id: first.finding_id, state: 'false_positive', note: `benign ${HOSTILE}` });
  const [hostile] = await store.rows(sql`SELECT event_id FROM event_rows WHERE op = ${HOSTILE}`, { event_id: 'num' });
  await createAnnotation(store, { event_id: first.event_ids[0] ?? 1, tag: 'malicious', note: `the intruder's first step ${HOSTILE}` }, `ana${HOSTILE}`);
  await createAnnotation(store, { event_id: hostile?.event_id ?? 1, tag: 'suspicious', note: 'odd log line' }, 'ana');
  data = JSON.parse((await buildReport(store, { format: 'json' })).content) as ReportData;
}, 180_000);
afterAll(() => {
  store.close();
  dir.remove();
});

describe('report of a built case', () => {
  it("states the summary's facts: hosts, span, incidents, the controller write and alarm inside them", async () => {
    const incidents = await listIncidents(store);
    expect(data.summary.incidents.total).toBe(incidents.length);
    expect(data.summary.span.from).toBe(incidents.reduce((a, i) => (i.start < a ? i.start : a), incidents[0]?.start ?? ''));
    expect(data.summary.hosts).toContain('demo-hmi');
    expect(data.summary.impact.writes_in_incidents.map((w) => [w.what, w.records.map((r) => r.op)])).toEqual([['register', ['WRITE fc=6 unit=1 hr=1']]]);
    expect(data.summary.impact.writes_elsewhere).toBeGreaterThanOrEqual(1);
    expect(data.summary.impact.alarms_in_incidents.map((a) => a.op)).toEqual(['alarm: SETPOINT MISMATCH']);
    const html = (await buildReport(store, { format: 'html' })).content;
    const summary = html.slice(html.indexOf('id="summary"'), html.indexOf('id="figure"'));
    expect(summary).toContain(`${incidents.length} incident(s) between ${data.summary.span.from}`);
    expect(summary).toMatch(/1 write\(s\) to a controller during the incidents: 1 register/);
    expect(summary).toContain('500-&gt;950');
  });

  it('draws the figure as valid SVG with its lanes named, inline in HTML and beside the Markdown', async () => {
    const html = (await buildReport(store, { format: 'html' })).content;
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + 6);
    const lanes = [...svg.matchAll(/data-lane="([^"]*)"/g)].map((m) => m[1]);
    expect(lanes.slice(-2)).toEqual(['controller writes', 'alarms']);
    expect(lanes.length).toBeGreaterThan(2);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    // Well-formed: every opened element is closed, in order.
    const stack: string[] = [];
    for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
      if (m[3] === '/') continue;
      if (m[1] === '/') expect(stack.pop()).toBe(m[2]);
      else stack.push(m[2] ?? '');
    }
    expect(stack).toEqual([]);
    const md = await buildReport(store, { format: 'md' });
    const figure = md.companions?.find((c) => c.mime === 'image/svg+xml');
    expect(figure?.content).toContain(svg);
    expect(md.content).toContain(`![Timeline of the incidents](${figure?.file_name ?? '?'})`);
  });

  it('puts the annotations before the findings, findings by state, false positives in the appendix', async () => {
    for (const format of ['html', 'md'] as const) {
      const text = (await buildReport(store, { format })).content;
      const at = (needle: string) => text.indexOf(needle);
      const heading = format === 'html' ? (id: string) => at(`id="${id}"`) : (title: string) => at(`## ${title}`);
      const order = format === 'html'
        ? ['summary', 'figure', 'incidents', 'annotations', 'findings', 'scope', 'evidence', 'false-positives'].map(heading)
        : ['Executive summary', 'Timeline', 'Incidents', "The analyst's annotations", 'Findings by triage state', 'Scope, collection governance', 'Evidence appendix', 'Appendix: false positives'].map(heading);
      expect(order.every((p) => p >= 0), format).toBe(true);
      expect([...order].sort((a, b) => a - b), format).toEqual(order);
      const confirmed = at(format === 'html' ? 'data-state="confirmed"' : '### Confirmed');
      const open = at(format === 'html' ? 'data-state="open"' : '### Open');
      expect(confirmed).toBeGreaterThan(order[4] ?? 0);
      expect(open).toBeGreaterThan(confirmed);
      expect(text.lastIndexOf('False positive')).toBeGreaterThan(order[7] ?? 0);
    }
    expect(data.findings.map((f) => f.state).indexOf('false_positive')).toBe(data.findings.length - 1);
    expect(data.findings[0]?.state).toBe('confirmed');
  });

  it('keeps hostile capture text inert in HTML, Markdown, JSON and the figure', async () => {
    const html = (await buildReport(store, { format: 'html' })).content;
    expect(html).not.toMatch(/<script|<img/i);
    for (const tag of html.match(/<[a-zA-Z][^>]*>/g) ?? []) expect(tag).not.toMatch(/\son\w+\s*=|javascript:/i);
    const md = await buildReport(store, { format: 'md' });
    expect(md.content).not.toMatch(/<script|<img|\]\(javascript:/i);
    expect(md.content).not.toMatch(/&amp;(lt|gt|amp|quot|#39);|&quot;|&#39;/);
    for (const c of md.companions ?? []) expect(c.content).not.toMatch(/<script|<img/i);
    const json = (await buildReport(store, { format: 'json' })).content;
    // JSON carries the text as data: parsed back, it is the very string the capture held.
    const parsed = JSON.parse(json) as ReportData;
    expect(parsed.annotations.some((a) => a.note.endsWith(HOSTILE))).toBe(true);
    const fig = renderTimelineSvg({ ...parsed.timeline, lanes: [{ name: HOSTILE, kind: 'process', marks: [{ ts: parsed.timeline.from, event_id: 1, label: HOSTILE }] }] }, HOSTILE);
    expect(fig).not.toMatch(/<script|<img/i);
  });

  it('shows each annotated event in full, with folded context, in time order', () => {
    const times = data.annotations.map((a) => a.event?.ts ?? a.from);
    expect([...times].sort()).toEqual(times);
    const withArgs = data.annotations.find((a) => a.event?.args);
    expect(withArgs?.event?.args).toBeTruthy();
  });
});

describe('blind spots from the governance record', () => {
  it('a device in scope lacking a kind of capture is a blind spot; a host-less source beside one host is not a missing capture', async () => {
    const g = await CaseStore.open(dir.file('scope.duckdb'));
    try {
      await addCapture(g, 'trace.txt', [{ ts_us: 1_000_000, pid: 7, op: 'openat' }], null);
      await addCapture(g, 'syslog', [{ ts_us: 2_000_000, kind: 'log', category: 'log', op: 'cron', host: 'hmi-1' }], 'hmi-1');
      let spots = JSON.parse((await buildReport(g, { format: 'json' })).content).coverage.blind_spots.join('\n') as string;
      expect(spots).toMatch(/No devices in scope were declared/);
      await writeGovernance(g, { devices: [{ host: 'hmi-1', role: 'HMI', zone: 'L2' }, { host: 'plc-9', role: 'PLC', zone: 'L1' }] });
      spots = JSON.parse((await buildReport(g, { format: 'json' })).content).coverage.blind_spots.join('\n');
      // The host-less trace is hmi-1's (the one host named): no "no API-call capture" for it.
      expect(spots).not.toMatch(/hmi-1 \(HMI\): no API-call/);
      expect(spots).not.toMatch(/without a host name/);
      expect(spots).toMatch(/hmi-1 \(HMI\): no network or ICS-protocol capture/);
      expect(spots).toMatch(/hmi-1 \(HMI\): no alarm records/);
      expect(spots).toMatch(/plc-9 \(PLC\): no capture of any kind/);
      await addCapture(g, 'eng.log', [{ ts_us: 3_000_000, kind: 'log', category: 'log', op: 'x', host: 'eng-7' }], 'eng-7');
      spots = JSON.parse((await buildReport(g, { format: 'json' })).content).coverage.blind_spots.join('\n');
      expect(spots).toMatch(/eng-7 appear in the captures but were not declared in scope/);
      // Two named hosts now: the trace is nobody's, and the report says "may be from it", not "no capture".
      expect(spots).toMatch(/Sources without a host name \(trace\.txt\)/);
      expect(spots).toMatch(/hmi-1 \(HMI\): no capture of this kind \(api\) names it; the sources without a host name may be from it/);
    } finally {
      g.close();
    }
  });
});
