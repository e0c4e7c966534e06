// The Markdown case report: the same content and order as the HTML one, for tickets and wikis
// (GitHub-flavoured). Capture text is escaped once (escape.ts) so it cannot inject HTML, links or
// table breaks; the timeline figure is a separate .svg file it links to, since GitHub renders
// neither inline SVG nor data: images.
import { formatUncertainty } from '../links/ordering.ts';
import { clip, escapeMarkdown as md } from './escape.ts';
import { explanationBody, STATE_LABEL, STATE_ORDER, type EventCitation, type FindingSection, type IncidentSection, type ReportData } from './model.ts';
import { figureCaption, summaryLines, type Line } from './summary-text.ts';

function eventRows(events: EventCitation[], withDelta: boolean): string[] {
  if (events.length === 0) return ['_No events._', ''];
  const head = `| ${withDelta ? 'Δ s | ' : ''}time (UTC) | source:line | event | pid | process | level | op | target | args | result |`;
  const sep = `|${withDelta ? '---|' : ''}---|---|---|---|---|---|---|---|---|---|`;
  const rows = events.map(
    (e) =>
      `| ${withDelta ? `${e.delta_s ?? ''} | ` : ''}${e.ts} | ${md(e.file_name)}:${e.source_line} | #${e.event_id} | ${e.pid ?? ''} | ${md(e.process)} | ${md(e.level)} | ${md(e.op)} | ${md(clip(e.target, 120))} | ${md(clip(e.args, 120))} | ${md(e.error ?? clip(e.ret, 40))} |`,
  );
  return [head, sep, ...rows, ''];
}

function line(l: Line): string {
  return `- ${md(l.text)}${l.cite ? ` \\[${md(l.cite)}\\]` : ''}`;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

export function renderMarkdown(r: ReportData, figure: { file_name: string; sha256: string }): string {
  const out: string[] = [];
  out.push(`# Tracebench case report — ${md(r.case.name)}`, '');
  out.push(`Generated ${r.generated_at} by ${r.generator}. All times UTC. Case file ${code(r.case.path)}.`, '');
  const s = summaryLines(r);
  out.push('## Executive summary', '', '### What happened', '', ...s.what.map(line), '', '### Impact on the physical process', '', ...s.impact.map(line), '');
  out.push('### Confidence', '', ...s.confidence.map(line), '', '### What is still unknown', '', ...s.unknown.map(line), '');
  out.push('_Bracketed references name incidents (I), annotations (A) and events (#id) detailed below; every count is reproduced by a query in the evidence appendix._', '');

  out.push('## Timeline', '', `![Timeline of the incidents](${encodeURI(figure.file_name)})`, '', `_${md(figureCaption(r))}_ Figure file ${code(figure.file_name)}, SHA-256 ${figure.sha256}.`, '');

  const fpIncidents = r.incidents.filter((i) => i.workflow.state === 'false_positive');
  out.push('## Incidents', '');
  const incidents = r.incidents.filter((i) => i.workflow.state !== 'false_positive');
  if (incidents.length === 0) out.push('_No incident (false positives are in the appendix)._', '');
  for (const i of incidents) out.push(...incidentBlock(i));

  out.push("## The analyst's annotations", '');
  if (r.annotations.length === 0) out.push('_None._', '');
  for (const a of r.annotations) {
    out.push(`### A${a.annotation_id} \\[${md(a.tag)}\\] ${a.event ? `event #${a.event.event_id}` : 'time range'} · ${a.from}${a.to !== a.from ? ` … ${a.to}` : ''}${a.incident_ids.length > 0 ? ` · in ${a.incident_ids.map((i) => `I${i}`).join(', ')}` : ''}`, '');
    out.push(`> ${md(a.note || '(no note)')}`, '', `by ${md(a.author)}, ${a.created_at}`, '');
    if (a.event) {
      const e = a.event;
      out.push(
        `- Event #${e.event_id}, ${md(e.file_name)}:${e.source_line}, ${e.ts}`,
        `- Process: ${md(e.process ?? '?')}${e.pid !== null ? ` (pid ${e.pid})` : ''}${e.host ? ` on ${md(e.host)}` : ''}`,
        `- Operation: ${md(`${e.kind}: ${e.op}`)}`,
        `- Target: ${md(e.target ?? '—')}`,
        `- Arguments / command line: ${md(e.args ?? '—')}`,
        `- Result: ${md(e.error ?? e.ret ?? '—')}`,
        '',
      );
    }
    out.push(`Around it (±5 s; other sources and processes first)${a.context_truncated ? ', most relevant shown' : ''}:`, '');
    for (const f of a.folded) out.push(`- ${f.count} × ${md(f.op)} by ${md(f.process ?? '?')}${f.pid !== null ? ` (pid ${f.pid})` : ''} in ${md(f.file_name)}, ${f.first_ts} … ${f.last_ts} \\[e.g. #${f.example_event_id}\\]`);
    if (a.folded.length > 0) out.push('');
    out.push(...eventRows(a.context, true));
  }

  out.push('## Findings by triage state', '');
  const open = r.findings.filter((f) => f.state !== 'false_positive');
  if (open.length === 0) out.push('_No finding outside the false positives. See scope and blind spots._', '');
  for (const state of STATE_ORDER.filter((x) => x !== 'false_positive')) {
    const list = open.filter((f) => f.state === state);
    if (list.length === 0) continue;
    out.push(`### ${STATE_LABEL[state]} (${list.length})`, '');
    for (const f of list) out.push(...findingBlock(f));
  }

  out.push('## Scope, collection governance and blind spots', '', '### Collection governance', '');
  const g = r.coverage.governance;
  if (g.updated_at === null) out.push('_Not recorded for this case (tracebench case set, or the Governance form in the workbench)._', '');
  out.push(`- Devices in scope: ${g.devices.length === 0 ? 'none declared' : g.devices.map((d) => `${md(d.host)}${d.role ? ` — ${md(d.role)}` : ''}${d.zone ? ` (zone ${md(d.zone)})` : ''}`).join('; ')}`);
  for (const [label, v] of [['Trigger of collection', g.trigger], ['Collected by', g.collector], ['Tool', g.tool], ['Tool options', g.tool_options], ['Retention', g.retention], ['Handling', g.handling]] as const) {
    out.push(`- ${label}: ${v === null ? '_not recorded_' : md(v)}`);
  }
  out.push(`- Chain of custody: ${g.custody.length === 0 ? '_no notes_' : ''}`);
  for (const c of g.custody) out.push(`  ${c.seq}. ${c.at}${c.author ? ` — ${md(c.author)}` : ''}: ${md(c.note)}`);
  out.push('', '### What was monitored', '');
  for (const h of r.coverage.hosts) out.push(`- ${md(h.host)}: ${h.kinds.map(md).join(', ')} from ${h.first_ts ?? '—'} to ${h.last_ts ?? '—'}`);
  out.push('', '### Blind spots', '', ...r.coverage.blind_spots.map((b) => `- ${md(b)}`), '');
  for (const gap of r.coverage.gaps) out.push(`- Gap: ${gap.from} … ${gap.to} (${gap.seconds} s) covered by no capture`);
  for (const gap of r.coverage.silences) out.push(`- Silence in ${md(gap.file_name)}: ${gap.from} … ${gap.to} (${gap.seconds} s)`);
  if (r.coverage.not_imported.length > 0) {
    out.push('', '### Files offered but not imported', '', '| file | bytes | SHA-256 | why not | last offered (UTC) |', '|---|---|---|---|---|');
    for (const f of r.coverage.not_imported) out.push(`| ${md(f.file_name)} | ${f.size_bytes ?? ''} | ${f.sha256 ?? 'not read'} | ${md(f.reason)} | ${f.offered_at} |`);
  }

  out.push('', '## Evidence appendix', '', '### Sources', '', '| # | file | format | importer | SHA-256 | bytes | events | rejected | from | to | offset s |', '|---|---|---|---|---|---|---|---|---|---|---|');
  for (const src of r.sources) {
    out.push(`| ${src.capture_id} | ${md(src.file_name)} | ${md(src.format)} | ${md(src.importer_version)} | ${src.sha256} | ${src.size_bytes} | ${src.events} | ${src.rejected} | ${src.first_ts ?? ''} | ${src.last_ts ?? ''} | ${src.clock_offset_s} |`);
  }
  out.push('');
  if (r.ordering.length > 0) {
    out.push('### Order across captures', '', 'The clocks of these captures are known against each other only within the stated error (estimated from matched connections). Events of the two captures closer in time than that may have happened in either order; the report does not assert their order.', '', '| captures | order uncertain within |', '|---|---|');
    for (const p of r.ordering) out.push(`| #${p.capture_a} ↔ #${p.capture_b} | ± ${formatUncertainty(p.uncertainty_us)} |`);
    out.push('');
  }
  for (const src of r.sources) {
    for (const w of src.warnings) out.push(`- ${md(src.file_name)}: ${md(w)}`);
    for (const rj of src.reject_sample) out.push(`- ${md(src.file_name)} line ${rj.source_line} rejected: ${md(rj.reason)}`);
  }
  out.push('', '### Queries behind the claims', '', 'Run any of these with `tracebench query CASE "…"` to reproduce the count or list.', '');
  for (const q of r.queries) out.push(`- ${md(q.claim)}:`, '', '  ```sql', `  ${q.sql.replace(/```/g, "'''")}`, '  ```', '');
  if (r.views.length > 0) {
    out.push('### Saved views', '', 'Views of the case saved in the workbench (a note citing `#saved=N` means the view below).', '', '| link | name | shows | saved by | saved (UTC) |', '|---|---|---|---|---|');
    for (const v of r.views) out.push(`| ${v.link} | ${md(v.name)} | ${md(v.shows)} | ${md(v.author)} | ${v.saved_at} |`);
    out.push('');
  }
  out.push('### Case history (audit chain)', '', '| time (UTC) | action | detail |', '|---|---|---|');
  for (const a of r.audit) out.push(`| ${a.at} | ${md(a.action)} | ${md(clip(a.detail, 400))} |`);
  out.push('', '## Appendix: false positives', '');
  const fps = r.findings.filter((f) => f.state === 'false_positive');
  if (fps.length + fpIncidents.length === 0) out.push('_The analyst judged no finding or incident a false positive._', '');
  for (const i of fpIncidents) out.push(`### I${i.id} — ${md(i.title)} (${STATE_LABEL.false_positive})`, '', ...(i.workflow.note ? [`> ${md(i.workflow.note)}`, ''] : []));
  for (const f of fps) out.push(...findingBlock(f));
  return `${out.join('\n')}\n`;
}

function incidentBlock(i: IncidentSection): string[] {
  const out = [`### I${i.id} — ${md(i.title)} (${STATE_LABEL[i.workflow.state]})`, ''];
  if (i.workflow.note) out.push(`> ${md(i.workflow.note)}${i.workflow.author ? ` — ${md(i.workflow.author)}` : ''}`, '');
  out.push(`Score ${i.score}; ${i.start} … ${i.end}; root ${md(i.root.image ?? '?')}${i.root.pid !== null ? ` (pid ${i.root.pid})` : ''}; tactics ${i.tactics.map(md).join(', ') || '—'}.`, '');
  i.steps.forEach((st, n) => out.push(`${n + 1}. ${md(st.text)} \\[finding ${st.finding_id}; ${st.event_ids.slice(0, 5).map((e) => `#${e}`).join(', ')}${st.event_ids.length > 5 ? ` +${st.event_ids.length - 5}` : ''}\\]`));
  out.push('');
  if (i.touched.files.length > 0) out.push(`Files: ${md(clip(i.touched.files.join(', '), 600))}`, '');
  if (i.touched.endpoints.length > 0) out.push(`Endpoints: ${md(clip(i.touched.endpoints.join(', '), 400))}`, '');
  return out;
}

function findingBlock(f: FindingSection): string[] {
  const out = [`#### ${f.score} — ${md(f.title)} (${STATE_LABEL[f.state]})`, ''];
  if (f.state_note) out.push(`> ${md(f.state_note)}`, '');
  out.push(md(explanationBody(f)), '', `Finding ${f.finding_id}; rule ${code(f.rule)}; ATT&CK ${f.attack.map(md).join(', ') || '—'}; ${f.first_ts} … ${f.last_ts}.`, '');
  for (const c of f.check_next) out.push(`- Check: ${md(c)}`);
  out.push('', ...eventRows(f.events, false));
  return out;
}
