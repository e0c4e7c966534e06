// The self-contained HTML case report: one file, inline CSS, no script at all, and a CSP that
// forbids scripts even if something slipped through. Every capture string is escaped by `html`.
// Order: summary, figure, incidents and the analyst's notes, findings by state, scope and
// governance, evidence appendix (sources, queries, history, false positives). The print CSS pages
// it with a running header and page numbers (the PDF is this file printed, core/report/pdf.ts).
import { formatUncertainty } from '../links/ordering.ts';
import { readDateBasis } from '../model/date-basis.ts';
import { clip } from './escape.ts';
import { renderTimelineSvg } from './figure.ts';
import { html, SafeHtml } from './html-template.ts';
import {
  explanationBody,
  STATE_LABEL,
  STATE_ORDER,
  type AnnotationSection,
  type EventCitation,
  type FindingSection,
  type IncidentSection,
  type ReportData,
  type SourceSection,
} from './model.ts';
import { summaryLines, figureCaption, type Line } from './summary-text.ts';
import { PRINT_EDITION_CSS, printAnnotationsSection, printAuditSection, printEditionNotice, type FullEditionRef } from './print-edition.ts';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1200px;color:#1d232a;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #d0d7de;padding-bottom:.2rem;margin-top:2.2rem}
h3{margin:1.4rem 0 .4rem}table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:12.5px}
th,td{border:1px solid #d0d7de;padding:.25rem .4rem;text-align:left;vertical-align:top}th{background:#f3f5f7}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.tag{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-weight:600;font-size:12px;background:#eef}
.tag-malicious,.state-confirmed{background:#ffd7d5}.tag-suspicious,.state-needs_review{background:#fff0c2}.tag-benign,.state-false_positive{background:#d8f5dd}.tag-needs-review{background:#e0e7ff}.state-open{background:#eef}
.muted{color:#57606a}.note{white-space:pre-wrap;background:#f6f8fa;border-left:3px solid #8c959f;padding:.4rem .6rem;margin:.4rem 0}
.err{color:#b42318}.anchor td{background:#fffbe6}.score{font-weight:700}ul.tight{margin:.2rem 0;padding-left:1.2rem}
.summary{border:1px solid #d0d7de;border-radius:6px;padding:.2rem 1rem .6rem;background:#fbfcfd}.summary li{margin:.25rem 0}
.cite{color:#57606a;font-size:12px}figure{margin:.5rem 0;overflow-x:auto}figcaption{color:#57606a;font-size:12px}
.args{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;padding:.3rem .5rem;margin:.2rem 0}
@media print{body{margin:0;max-width:none;font-size:11.5px}h2{break-after:avoid}h3{break-after:avoid}table{break-inside:auto}tr{break-inside:avoid}
 section.summary-page{break-after:page}figure{break-inside:avoid}svg{max-width:100%;height:auto}}
`;

/** A CSS string literal: every character but letters, digits and spaces as a \\HEX escape. */
function cssString(text: string): string {
  return `"${[...text].map((c) => (/[\w ]/.test(c) ? c : `\\${c.codePointAt(0)?.toString(16) ?? '20'} `)).join('')}"`;
}

function pageCss(r: ReportData): string {
  return `@page{size:A4;margin:16mm 12mm 16mm 12mm;
@top-left{content:${cssString(`Tracebench case report — ${r.case.name}`)};font:9px system-ui,sans-serif;color:#57606a}
@top-right{content:${cssString(`generated ${r.generated_at}`)};font:9px system-ui,sans-serif;color:#57606a}
@bottom-right{content:"Page " counter(page) " of " counter(pages);font:9px system-ui,sans-serif;color:#57606a}}`;
}

export interface HtmlOptions {
  /** Render the print edition (print-edition.ts), naming the full-context report written beside it. */
  print?: FullEditionRef;
}

export function renderHtml(r: ReportData, options: HtmlOptions = {}): string {
  const print = options.print;
  const title = `Tracebench case report — ${r.case.name}`;
  const falsePositives = r.findings.filter((f) => f.state === 'false_positive');
  const fpIncidents = r.incidents.filter((i) => i.workflow.state === 'false_positive');
  const body = html`
<section class="summary-page">
<h1>${title}</h1>
<p class="muted">Generated ${r.generated_at} by ${r.generator}. All times are UTC. Case file <code>${r.case.path}</code> (schema ${r.case.schema_version}).</p>
${print ? printEditionNotice(print) : ''}
${executiveSummary(r)}
</section>
${figure(r)}
${incidentsSection(r.incidents.filter((i) => i.workflow.state !== 'false_positive'))}
${print ? printAnnotationsSection(r.annotations, print) : annotationsSection(r.annotations)}
${findingsSection(r.findings.filter((f) => f.state !== 'false_positive'))}
${scopeSection(r)}
<h2 id="evidence">Evidence appendix</h2>
${sourcesSection(r.sources)}
${orderingSection(r.ordering)}
${queriesSection(r)}
${viewsSection(r)}
${print ? printAuditSection(r, print) : auditSection(r)}
${falsePositiveAppendix(falsePositives, fpIncidents)}
<p class="muted">Every event is cited by event id, source file and line: open the source at that line to check it. SHA-256 values identify the exact bytes that were imported.</p>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; object-src 'none'; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html`${title}`.value}</title><style>${CSS}${print ? PRINT_EDITION_CSS : ''}${pageCss(r)}</style></head>
<body>${body.value}</body></html>
`;
}

function line(l: Line): SafeHtml {
  return html`<li>${l.text}${l.cite ? html` <span class="cite">[${l.cite}]</span>` : ''}</li>`;
}

function executiveSummary(r: ReportData): SafeHtml {
  const s = summaryLines(r);
  return html`<h2 id="summary">Executive summary</h2>
<div class="summary">
<h3>What happened</h3><ul>${s.what.map(line)}</ul>
<h3>Impact on the physical process</h3><ul>${s.impact.map(line)}</ul>
<h3>Confidence</h3><ul>${s.confidence.map(line)}</ul>
<h3>What is still unknown</h3><ul>${s.unknown.map(line)}</ul>
</div>
<p class="muted">Bracketed references name incidents (I), annotations (A) and events (#id) detailed below; every count is reproduced by a query in the evidence appendix.</p>`;
}

function figure(r: ReportData): SafeHtml {
  const caption = figureCaption(r);
  return html`<h2 id="figure">Timeline</h2>
<figure>${new SafeHtml(renderTimelineSvg(r.timeline, caption))}<figcaption>${caption}</figcaption></figure>`;
}

function stateTag(state: keyof typeof STATE_LABEL): SafeHtml {
  return html`<span class="tag state-${state}">${STATE_LABEL[state]}</span>`;
}

function incidentsSection(list: IncidentSection[]): SafeHtml {
  if (list.length === 0) return html`<h2 id="incidents">Incidents</h2><p class="muted">No incident (false positives are in the appendix).</p>`;
  return html`<h2 id="incidents">Incidents</h2>
<p class="muted">Findings grouped by process ancestry, shared files and endpoints, and time; confirmed first. Each storyline step names the finding it comes from.</p>
${list.map(
  (i) => html`<h3 id="incident-${i.id}">I${i.id} — ${i.title} ${stateTag(i.workflow.state)}</h3>
${i.workflow.note ? html`<div class="note">${i.workflow.note}${i.workflow.author ? ` — ${i.workflow.author}` : ''}</div>` : ''}
<p class="muted">Score ${i.score}; ${i.start} … ${i.end}; root ${i.root.image ?? '?'}${i.root.pid !== null ? ` (pid ${i.root.pid})` : ''}; tactics ${i.tactics.join(', ') || '—'}.
Touched: ${i.touched.files.length} file(s), ${i.touched.endpoints.length} endpoint(s), ${i.touched.controller_writes} controller-write record(s), ${i.touched.alarms} alarm(s).</p>
<ol>${i.steps.map((st) => html`<li><span class="mono">${st.text}</span> <span class="cite">[finding ${st.finding_id}; ${st.event_ids.slice(0, 5).map((e) => `#${e}`).join(', ')}${st.event_ids.length > 5 ? ` +${st.event_ids.length - 5}` : ''}]</span></li>`)}</ol>
${i.touched.files.length + i.touched.endpoints.length > 0 ? html`<p class="muted">Files: <span class="mono">${clip(i.touched.files.join(', '), 600)}</span>${i.touched.endpoints.length > 0 ? html`<br>Endpoints: <span class="mono">${clip(i.touched.endpoints.join(', '), 400)}</span>` : ''}</p>` : ''}`,
)}`;
}

function eventTable(events: EventCitation[], anchorId: number | null, withDelta: boolean): SafeHtml {
  if (events.length === 0) return html`<p class="muted">No events.</p>`;
  return html`<table><thead><tr>${withDelta ? html`<th>Δ s</th>` : ''}<th>time (UTC)</th><th>source:line</th><th>event</th><th>host</th><th>pid</th><th>process</th><th>kind</th><th>op</th><th>target</th><th>args</th><th>result</th></tr></thead><tbody>
${events.map(
  (e) => html`<tr class="${e.event_id === anchorId ? 'anchor' : ''}">${withDelta ? html`<td>${e.delta_s !== undefined ? (e.delta_s > 0 ? `+${e.delta_s}` : e.delta_s) : ''}</td>` : ''}<td class="mono">${e.ts}</td><td class="mono">${e.file_name}:${e.source_line}</td><td>#${e.event_id}</td><td>${e.host ?? ''}</td><td>${e.pid ?? ''}</td><td>${e.process ?? ''}</td><td>${e.kind}${e.level ? ` / ${e.level}` : ''}</td><td class="mono">${e.op}</td><td class="mono">${clip(e.target)}</td><td class="mono">${clip(e.args, 160)}</td><td class="mono ${e.error ? 'err' : ''}">${e.error ?? clip(e.ret, 60)}</td></tr>`,
)}
</tbody></table>`;
}

/** The annotated event in full: every field, the arguments unclipped. */
function eventDetail(e: EventCitation): SafeHtml {
  return html`<table><tbody>
<tr><th>event</th><td>#${e.event_id} — <span class="mono">${e.file_name}:${e.source_line}</span> — ${e.ts}</td></tr>
<tr><th>process</th><td>${e.process ?? '?'}${e.pid !== null ? ` (pid ${e.pid})` : ''}${e.host ? ` on ${e.host}` : ''}</td></tr>
<tr><th>operation</th><td class="mono">${e.kind}${e.level ? ` / ${e.level}` : ''}: ${e.op}</td></tr>
<tr><th>target</th><td class="mono">${e.target ?? '—'}</td></tr>
<tr><th>arguments / command line</th><td><div class="args mono">${e.args ?? '—'}</div></td></tr>
<tr><th>result</th><td class="mono ${e.error ? 'err' : ''}">${e.error ?? e.ret ?? '—'}</td></tr>
</tbody></table>`;
}

function annotationsSection(list: AnnotationSection[]): SafeHtml {
  if (list.length === 0) return html`<h2 id="annotations">The analyst's annotations</h2><p class="muted">The analyst has made no annotations.</p>`;
  return html`<h2 id="annotations">The analyst's annotations</h2>
<p class="muted">In time order. Each shows the annotated event in full and the events around it (±5 s) chosen for relevance: other sources and processes first; repeated activity folded into one line.</p>
${list.map(
  (a) => html`<h3 id="annotation-${a.annotation_id}">A${a.annotation_id} <span class="tag tag-${a.tag.replace(/[^a-z-]/g, '')}">${a.tag}</span> ${a.event ? `event #${a.event.event_id}` : 'time range'} · ${a.from}${a.to !== a.from ? ` … ${a.to}` : ''}${a.incident_ids.length > 0 ? ` · in ${a.incident_ids.map((i) => `I${i}`).join(', ')}` : ''}</h3>
<div class="note">${a.note || '(no note)'}</div>
<p class="muted">by ${a.author}, ${a.created_at}${a.updated_at !== a.created_at ? `, edited ${a.updated_at}` : ''}</p>
${a.event ? eventDetail(a.event) : ''}
<p><strong>Around it</strong>${a.context_truncated ? ' (most relevant shown)' : ''}:</p>
${a.folded.length > 0 ? html`<ul class="tight">${a.folded.map((f) => html`<li>${f.count} × <code>${f.op}</code> by ${f.process ?? '?'}${f.pid !== null ? ` (pid ${f.pid})` : ''} in ${f.file_name}, ${f.first_ts} … ${f.last_ts} <span class="cite">[e.g. #${f.example_event_id}]</span></li>`)}</ul>` : ''}
${eventTable(a.context, null, true)}`,
)}`;
}

function findingBlock(f: FindingSection): SafeHtml {
  return html`<h3 id="finding-${f.finding_id}"><span class="score">${f.score}</span> — ${f.title} ${stateTag(f.state)}</h3>
${f.state_note ? html`<div class="note">${f.state_note}</div>` : ''}
<p>${explanationBody(f)}</p>
<p class="muted">Finding ${f.finding_id}; rule <code>${f.rule}</code>; ATT&amp;CK ${f.attack.join(', ') || '—'}; ${f.first_ts} … ${f.last_ts}; ${f.event_ids.length} event(s)${f.event_ids.length > f.events.length ? `, first ${f.events.length} shown` : ''}.</p>
${f.check_next.length > 0 ? html`<p>Check next:</p><ul class="tight">${f.check_next.map((c) => html`<li>${c}</li>`)}</ul>` : ''}
${eventTable(f.events, null, false)}`;
}

function findingsSection(findings: FindingSection[]): SafeHtml {
  if (findings.length === 0) {
    return html`<h2 id="findings">Findings by triage state</h2><p class="muted">No finding outside the false positives. That does not clear the case: see the scope and blind spots below.</p>`;
  }
  return html`<h2 id="findings">Findings by triage state</h2>
<p class="muted">Confirmed first, then those needing review, then those not yet reviewed; false positives are in the appendix. Within a state, by score (0–100).</p>
${STATE_ORDER.filter((s) => s !== 'false_positive').map((state) => {
  const list = findings.filter((f) => f.state === state);
  return list.length === 0 ? '' : html`<h3 class="state-heading" data-state="${state}">${STATE_LABEL[state]} (${list.length})</h3>${list.map(findingBlock)}`;
})}`;
}

function falsePositiveAppendix(findings: FindingSection[], incidents: IncidentSection[]): SafeHtml {
  return html`<h2 id="false-positives">Appendix: false positives</h2>
${findings.length + incidents.length === 0 ? html`<p class="muted">The analyst judged no finding or incident a false positive.</p>` : ''}
${incidents.map((i) => html`<h3>I${i.id} — ${i.title} ${stateTag('false_positive')}</h3>${i.workflow.note ? html`<div class="note">${i.workflow.note}</div>` : ''}<p class="muted">${i.start} … ${i.end}; findings ${i.finding_ids.join(', ')}.</p>`)}
${findings.map(findingBlock)}`;
}

/** Which captures' events may be in either order when close in time (clock error of the alignment). */
function orderingSection(pairs: ReportData['ordering']): SafeHtml {
  if (pairs.length === 0) return html``;
  return html`<h3 id="ordering">Order across captures</h3>
<p>The clocks of these captures are known against each other only within the stated error (estimated from matched connections, core/links). Events of the two captures closer in time than that may have happened in either order; the report does not assert their order.</p>
<table><thead><tr><th>captures</th><th>order uncertain within</th></tr></thead><tbody>
${pairs.map((p) => html`<tr><td>#${p.capture_a} ↔ #${p.capture_b}</td><td>± ${formatUncertainty(p.uncertainty_us)}</td></tr>`)}
</tbody></table>`;
}

function sourcesSection(sources: SourceSection[]): SafeHtml {
  return html`<h3 id="sources">Sources</h3>
<table><thead><tr><th>#</th><th>file</th><th>format / importer</th><th>SHA-256</th><th>bytes</th><th>host</th><th>events</th><th>rejected</th><th>time range (UTC, aligned)</th><th>clock offset</th></tr></thead><tbody>
${sources.map(
  (s) => html`<tr><td>${s.capture_id}</td><td class="mono">${s.file_name}${s.is_baseline ? html` <span class="tag">baseline</span>` : ''}</td><td>${s.format}<br><span class="muted">${s.importer_version}</span></td><td class="mono">${s.sha256}</td><td>${s.size_bytes.toLocaleString('en-US')}</td><td>${s.host ?? '—'}</td><td>${s.events.toLocaleString('en-US')}</td><td>${s.rejected}</td><td class="mono">${s.first_ts ?? '—'}<br>${s.last_ts ?? '—'}</td><td>${s.clock_offset_s} s${s.clock_offset_basis ? html`<br><span class="muted">${s.clock_offset_basis}</span>` : ''}</td></tr>`,
)}
</tbody></table>
${sources.map((s) => sourceNotes(s))}`;
}

function sourceNotes(s: SourceSection): SafeHtml | string {
  if (s.warnings.length === 0 && s.reject_sample.length === 0 && !s.date_basis) return '';
  return html`<h4>${s.file_name}</h4>
${(s.date_basis ? readDateBasis(s.date_basis) : []).map((b) =>
  b.what === 'date' ? html`<p>Date of time-of-day stamps: ${b.text}.</p>` : html`<p>Start of relative times: ${b.text}${b.assumed ? ' — assumed; correct it with tracebench align' : ''}.</p>`,
)}
${s.warnings.length > 0 ? html`<ul class="tight">${s.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : ''}
${s.reject_sample.length > 0
    ? html`<p>Rejected lines (${s.rejected}${s.rejected > s.reject_sample.length ? `, first ${s.reject_sample.length} shown` : ''}):</p>
<table><thead><tr><th>line</th><th>reason</th><th>text</th></tr></thead><tbody>${s.reject_sample.map(
        (r) => html`<tr><td>${r.source_line}</td><td>${r.reason}</td><td class="mono">${clip(r.raw, 300)}</td></tr>`,
      )}</tbody></table>`
    : ''}`;
}

function governanceTable(r: ReportData): SafeHtml {
  const g = r.coverage.governance;
  const row = (label: string, v: string | null) => html`<tr><th>${label}</th><td>${v ?? html`<span class="muted">not recorded</span>`}</td></tr>`;
  return html`<h3>Collection governance</h3>
${g.updated_at === null ? html`<p class="muted">Not recorded for this case (tracebench case set, or the Governance form in the workbench).</p>` : ''}
<table><tbody>
<tr><th>devices in scope</th><td>${g.devices.length === 0 ? html`<span class="muted">none declared</span>` : html`<ul class="tight">${g.devices.map((d) => html`<li>${d.host}${d.role ? ` — ${d.role}` : ''}${d.zone ? ` (zone ${d.zone})` : ''}</li>`)}</ul>`}</td></tr>
${row('trigger of collection', g.trigger)}${row('collected by', g.collector)}${row('tool', g.tool)}${row('tool options', g.tool_options)}${row('retention', g.retention)}${row('handling', g.handling)}
<tr><th>chain of custody</th><td>${g.custody.length === 0 ? html`<span class="muted">no notes</span>` : html`<ol class="tight">${g.custody.map((c) => html`<li>${c.at}${c.author ? ` — ${c.author}` : ''}: ${c.note}</li>`)}</ol>`}</td></tr>
</tbody></table>`;
}

function scopeSection(r: ReportData): SafeHtml {
  const c = r.coverage;
  return html`<h2 id="scope">Scope, collection governance and blind spots</h2>
${governanceTable(r)}
<h3>What was monitored</h3>
<table><thead><tr><th>host</th><th>sources</th><th>telemetry kinds</th><th>from</th><th>to</th></tr></thead><tbody>
${c.hosts.map((h) => html`<tr><td>${h.host}</td><td>${h.capture_ids.map((id) => r.sources.find((s) => s.capture_id === id)?.file_name ?? `#${id}`).join(', ')}</td><td>${h.kinds.join(', ')}</td><td class="mono">${h.first_ts ?? ''}</td><td class="mono">${h.last_ts ?? ''}</td></tr>`)}
</tbody></table>
<h3>Blind spots</h3>
<ul data-section="blind-spots">${c.blind_spots.map((b) => html`<li>${b}</li>`)}</ul>
<h3>Gaps between sources</h3>
${c.gaps.length === 0 ? html`<p class="muted">Every moment between the first and last event is covered by at least one capture.</p>` : html`<table><thead><tr><th>from</th><th>to</th><th>seconds</th></tr></thead><tbody>${c.gaps.map((g) => html`<tr><td class="mono">${g.from}</td><td class="mono">${g.to}</td><td>${g.seconds}</td></tr>`)}</tbody></table>`}
<h3>Silences inside captures (≥ 60 s without events)</h3>
${c.silences.length === 0 ? html`<p class="muted">None.</p>` : html`<table><thead><tr><th>source</th><th>from</th><th>to</th><th>seconds</th></tr></thead><tbody>${c.silences.map((g) => html`<tr><td>${g.file_name}</td><td class="mono">${g.from}</td><td class="mono">${g.to}</td><td>${g.seconds}</td></tr>`)}</tbody></table>`}
<h3>Files offered but not imported</h3>
${c.not_imported.length === 0 ? html`<p class="muted">None: every file offered to the case was imported.</p>` : html`<table data-section="not-imported"><thead><tr><th>file</th><th>bytes</th><th>SHA-256</th><th>why not</th><th>last offered (UTC)</th></tr></thead><tbody>${c.not_imported.map((f) => html`<tr><td>${f.file_name}</td><td>${f.size_bytes ?? ''}</td><td class="mono">${f.sha256 ?? 'not read'}</td><td>${f.reason}</td><td class="mono">${f.offered_at}</td></tr>`)}</tbody></table>`}`;
}

function queriesSection(r: ReportData): SafeHtml {
  return html`<h3 id="queries">Queries behind the claims</h3>
<p class="muted">Run any of these with <code>tracebench query CASE "…"</code> to reproduce the count or list it stands behind.</p>
<table><thead><tr><th>claim</th><th>SQL</th></tr></thead><tbody>
${r.queries.map((q) => html`<tr><td>${q.claim}</td><td class="mono">${q.sql}</td></tr>`)}
</tbody></table>`;
}

function viewsSection(r: ReportData): SafeHtml {
  if (r.views.length === 0) return html``;
  return html`<h3 id="views">Saved views</h3>
<p class="muted">Views of the case saved in the workbench; open one with its link after the workbench's address (a note citing <code>#saved=N</code> means the view below).</p>
<table><thead><tr><th>link</th><th>name</th><th>shows</th><th>saved by</th><th>saved (UTC)</th></tr></thead><tbody>
${r.views.map((v) => html`<tr><td class="mono">${v.link}</td><td>${v.name}</td><td>${v.shows}</td><td>${v.author}</td><td class="mono">${v.saved_at}</td></tr>`)}
</tbody></table>`;
}

function auditSection(r: ReportData): SafeHtml {
  return html`<h3 id="audit">Case history (audit chain)</h3>
<p class="muted">Every import, annotation, decision and alignment, as recorded in the case file's hash-chained log.</p>
<table><thead><tr><th>time (UTC)</th><th>action</th><th>detail</th></tr></thead><tbody>
${r.audit.map((a) => html`<tr><td class="mono">${a.at}</td><td>${a.action}</td><td class="mono">${clip(a.detail, 400)}</td></tr>`)}
</tbody></table>`;
}
