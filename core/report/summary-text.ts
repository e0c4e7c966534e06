// The executive summary in plain language, one list of lines per heading, shared by the HTML and
// Markdown layouts. Each line carries what it rests on (incidents I…, annotations A…, events #…).
import { clip } from './escape.ts';
import type { ControllerWrite, ReportData } from './model.ts';

export interface Line {
  text: string;
  cite?: string;
}

/** Lines of the summary's longer lists kept on its one page. */
const SUMMARY_LIST_MAX = 6;

export function summaryLines(r: ReportData): { what: Line[]; impact: Line[]; confidence: Line[]; unknown: Line[] } {
  const s = r.summary;
  const incidents = r.incidents;
  const what: Line[] = [];
  const span = s.span.from && s.span.to ? `${s.span.from} … ${s.span.to} (${duration(s.span.from, s.span.to)})` : 'no time span (the case holds no events)';
  if (incidents.length === 0) {
    what.push({ text: `No incident was found by the rules. The case covers ${span} on host(s) ${s.hosts.join(', ') || 'not named by the sources'}.` });
  } else {
    what.push({
      text: `${incidents.length} incident(s) between ${span}, on host(s) ${s.hosts.join(', ') || 'not named by the sources'}.`,
      cite: incidents.map((i) => `I${i.id}`).join(', '),
    });
    for (const i of incidents.slice(0, SUMMARY_LIST_MAX)) {
      what.push({
        text: `I${i.id}: ${i.title} — ${i.start.slice(11, 19)} … ${i.end.slice(11, 19)}, started by ${i.root.image ?? 'an unknown process'}${i.root.pid !== null ? ` (pid ${i.root.pid})` : ''}; ${i.steps.length} step(s)${i.tactics.length > 0 ? `; ${i.tactics.join(', ')}` : ''}.`,
        cite: `I${i.id}; findings ${i.finding_ids.slice(0, 6).join(', ')}${i.finding_ids.length > 6 ? '…' : ''}`,
      });
    }
    if (incidents.length > SUMMARY_LIST_MAX) what.push({ text: `… and ${incidents.length - SUMMARY_LIST_MAX} more incident(s), listed below.` });
    const procs = s.processes.slice(0, 12).map((p) => `${p.process ?? '?'}${p.pid !== null ? ` (${p.pid})` : ''}`);
    if (procs.length > 0) what.push({ text: `Processes involved: ${procs.join(', ')}${s.processes.length > 12 ? `, and ${s.processes.length - 12} more` : ''}.` });
  }
  if (r.annotations.length > 0) {
    const tags = new Map<string, number>();
    for (const a of r.annotations) tags.set(a.tag, (tags.get(a.tag) ?? 0) + 1);
    what.push({
      text: `The analyst annotated ${r.annotations.length} moment(s): ${[...tags].map(([t, n]) => `${n} ${t}`).join(', ')}.`,
      cite: `A${r.annotations[0]?.annotation_id ?? ''}${r.annotations.length > 1 ? ` … A${r.annotations[r.annotations.length - 1]?.annotation_id ?? ''}` : ''}`,
    });
  }

  const impact: Line[] = [];
  const writes = s.impact.writes_in_incidents;
  if (writes.length > 0) {
    const registers = writes.filter((w) => w.what === 'register').length;
    const coils = writes.filter((w) => w.what === 'coil').length;
    impact.push({
      text: `${writes.length} write(s) to a controller during the incidents: ${registers} register (setpoint or value) change(s), ${coils} coil (on/off output) change(s)${coils > 0 ? ' — a coil switched off can mean equipment stopped' : ''}, ${writes.length - registers - coils} other.`,
    });
    for (const w of writes.slice(0, SUMMARY_LIST_MAX)) impact.push(writeLine(w));
    if (writes.length > SUMMARY_LIST_MAX) impact.push({ text: `… and ${writes.length - SUMMARY_LIST_MAX} more write(s), in the timeline.` });
  } else {
    impact.push({ text: incidents.length > 0 ? 'No controller write was recorded during the incidents\' spans.' : 'No incident: no controller write is attributed to one.' });
  }
  const alarms = s.impact.alarms_in_incidents;
  if (alarms.length > 0) {
    const kinds = [...new Set(alarms.map((a) => a.op))];
    impact.push({ text: `${alarms.length} alarm record(s) during the incidents: ${clip(kinds.join('; '), 300)}.`, cite: alarms.slice(0, 8).map((a) => `#${a.event_id}`).join(', ') });
  } else if (incidents.length > 0) impact.push({ text: 'No alarm was recorded during the incidents\' spans.' });
  if (s.impact.writes_elsewhere + s.impact.alarms_elsewhere > 0) {
    impact.push({ text: `Outside the incidents' spans: ${s.impact.writes_elsewhere} controller write(s) and ${s.impact.alarms_elsewhere} alarm record(s) (the process's own operation, or activity no rule flagged).` });
  }

  const confidence: Line[] = s.confidence.map((text) => ({ text }));
  const unknown: Line[] = s.unknowns.length > 0 ? s.unknowns.map((text) => ({ text })) : [{ text: 'Nothing the report can name; see the blind spots for what no capture covers.' }];
  return { what, impact, confidence, unknown };
}

function writeLine(w: ControllerWrite): Line {
  // The device's own record says what changed ("550->950"), where one exists.
  const detail = w.records.find((e) => /->/.test(e.args ?? '')) ?? w.records[0];
  // A device log's text often starts with the operation: say it once.
  const said = detail ? (detail.args?.startsWith(detail.op) ? detail.args : `${detail.op} ${detail.args ?? ''}`.trim()) : '';
  const text = `${w.ts.slice(11, 23)} ${w.what} write: ${clip(said, 110)}${w.incident_ids.length > 0 ? ` (during ${w.incident_ids.map((i) => `I${i}`).join(', ')})` : ''}`;
  return { text, cite: w.records.map((e) => `#${e.event_id}`).join(', ') };
}

function duration(from: string, to: string): string {
  const s = Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function figureCaption(r: ReportData): string {
  return `Timeline ${r.timeline.from} … ${r.timeline.to} (UTC): one lane per process of the incidents, then controller writes and alarms; shaded bands are the incidents (I), dashed lines the analyst's annotations (A).`;
}
