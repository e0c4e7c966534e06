// The self-contained HTML case report: one file, inline CSS, no script at all, and a CSP that
// forbids scripts even if something slipped through. Every capture string is escaped by `html`.
import { readDateBasis } from '../model/date-basis.ts';
import { clip } from './escape.ts';
import { html, type SafeHtml } from './html-template.ts';
import { explanationBody, type AnnotationSection, type EventCitation, type FindingSection, type ReportData, type SourceSection } from './model.ts';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1200px;color:#1d232a;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #d0d7de;padding-bottom:.2rem;margin-top:2.2rem}
h3{margin:1.4rem 0 .4rem}table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:12.5px}
th,td{border:1px solid #d0d7de;padding:.25rem .4rem;text-align:left;vertical-align:top}th{background:#f3f5f7}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.tag{display:inline-block;padding:0 .45rem;border-radius:.6rem;font-weight:600;font-size:12px;background:#eef}
.tag-malicious{background:#ffd7d5}.tag-suspicious{background:#fff0c2}.tag-benign{background:#d8f5dd}.tag-needs-review{background:#e0e7ff}
.muted{color:#57606a}.note{white-space:pre-wrap;background:#f6f8fa;border-left:3px solid #8c959f;padding:.4rem .6rem;margin:.4rem 0}
.err{color:#b42318}.anchor td{background:#fffbe6}.score{font-weight:700}ul.tight{margin:.2rem 0;padding-left:1.2rem}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table{break-inside:auto}tr{break-inside:avoid}}
`;

export function renderHtml(r: ReportData): string {
  const title = `Tracebench case report — ${r.case.name}`;
  const body = html`
<h1>${title}</h1>
<p class="muted">Generated ${r.generated_at} by ${r.generator}. All times are UTC. Case file <code>${r.case.path}</code> (schema ${r.case.schema_version}).</p>
${summary(r)}
${findingsSection(r.findings)}
${annotationsSection(r.annotations)}
${sourcesSection(r.sources)}
${scopeSection(r)}
${auditSection(r)}
<p class="muted">Every event is cited by event id, source file and line: open the source at that line to check it. SHA-256 values identify the exact bytes that were imported.</p>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; object-src 'none'; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html`${title}`.value}</title><style>${CSS}</style></head>
<body>${body.value}</body></html>
`;
}

function summary(r: ReportData): SafeHtml {
  const rejected = r.sources.reduce((n, s) => n + s.rejected, 0);
  return html`<h2 id="summary">Case summary</h2>
<table><tbody>
<tr><th>Sources</th><td>${r.sources.length} capture file(s)</td></tr>
<tr><th>Events</th><td>${r.case.event_count.toLocaleString('en-US')} (${rejected.toLocaleString('en-US')} source line(s) rejected)</td></tr>
<tr><th>Time span</th><td>${r.case.first_ts ?? '—'} … ${r.case.last_ts ?? '—'}</td></tr>
<tr><th>Hosts</th><td>${r.case.hosts.join(', ') || '—'}</td></tr>
<tr><th>Findings</th><td>${r.findings.length}</td></tr>
<tr><th>Annotations</th><td>${r.annotations.length} (${countTags(r.annotations)})</td></tr>
</tbody></table>`;
}

function countTags(list: AnnotationSection[]): string {
  const counts = new Map<string, number>();
  for (const a of list) counts.set(a.tag, (counts.get(a.tag) ?? 0) + 1);
  return [...counts].map(([t, n]) => `${n} ${t}`).join(', ') || 'none';
}

function eventTable(events: EventCitation[], anchorId: number | null, withDelta: boolean): SafeHtml {
  if (events.length === 0) return html`<p class="muted">No events.</p>`;
  return html`<table><thead><tr>${withDelta ? html`<th>Δ s</th>` : ''}<th>time (UTC)</th><th>source:line</th><th>event</th><th>host</th><th>pid</th><th>process</th><th>kind</th><th>level</th><th>op</th><th>target</th><th>result</th></tr></thead><tbody>
${events.map(
  (e) => html`<tr class="${e.event_id === anchorId ? 'anchor' : ''}">${withDelta ? html`<td>${e.delta_s !== undefined ? (e.delta_s > 0 ? `+${e.delta_s}` : e.delta_s) : ''}</td>` : ''}<td class="mono">${e.ts}</td><td class="mono">${e.file_name}:${e.source_line}</td><td>#${e.event_id}</td><td>${e.host ?? ''}</td><td>${e.pid ?? ''}</td><td>${e.process ?? ''}</td><td>${e.kind}</td><td>${e.level ?? ''}</td><td class="mono">${e.op}</td><td class="mono">${clip(e.target)}</td><td class="mono ${e.error ? 'err' : ''}">${e.error ?? clip(e.ret, 60)}</td></tr>`,
)}
</tbody></table>`;
}

function findingsSection(findings: FindingSection[]): SafeHtml {
  if (findings.length === 0) {
    return html`<h2 id="findings">Findings</h2><p class="muted">No rule produced a finding for this case. That does not clear it: see the scope and blind spots below.</p>`;
  }
  return html`<h2 id="findings">Findings</h2>
<p class="muted">Ranked by score (0–100). Each names the rule that produced it and the events it rests on.</p>
${findings.map(
  (f) => html`<h3><span class="score">${f.score}</span> — ${f.title}</h3>
<p>${explanationBody(f)}</p>
<p class="muted">Rule <code>${f.rule}</code>; ATT&amp;CK ${f.attack.join(', ') || '—'}; ${f.first_ts} … ${f.last_ts}; ${f.event_ids.length} event(s)${f.event_ids.length > f.events.length ? `, first ${f.events.length} shown` : ''}.</p>
${f.check_next.length > 0 ? html`<p>Check next:</p><ul class="tight">${f.check_next.map((c) => html`<li>${c}</li>`)}</ul>` : ''}
${eventTable(f.events, null, false)}`,
)}`;
}

function annotationsSection(list: AnnotationSection[]): SafeHtml {
  if (list.length === 0) return html`<h2 id="annotations">Annotations</h2><p class="muted">The analyst has made no annotations.</p>`;
  return html`<h2 id="annotations">Annotations</h2>
<p class="muted">In time order. Each shows the annotated event and the events from the other captures within ±5 s.</p>
${list.map(
  (a) => html`<h3 id="annotation-${a.annotation_id}"><span class="tag tag-${a.tag.replace(/[^a-z-]/g, '')}">${a.tag}</span> ${a.event ? `event #${a.event.event_id}` : 'time range'} · ${a.from}${a.to !== a.from ? ` … ${a.to}` : ''}</h3>
<div class="note">${a.note || '(no note)'}</div>
<p class="muted">by ${a.author}, ${a.created_at}${a.updated_at !== a.created_at ? `, edited ${a.updated_at}` : ''}</p>
${a.event ? eventTable([a.event], a.event.event_id, false) : ''}
<p><strong>Surrounding events from other captures</strong>${a.context_truncated ? ' (closest shown)' : ''}:</p>
${eventTable(a.context, null, true)}`,
)}`;
}

function sourcesSection(sources: SourceSection[]): SafeHtml {
  return html`<h2 id="sources">Sources</h2>
<table><thead><tr><th>#</th><th>file</th><th>format</th><th>SHA-256</th><th>bytes</th><th>host</th><th>events</th><th>rejected</th><th>time range (UTC, aligned)</th><th>clock offset</th></tr></thead><tbody>
${sources.map(
  (s) => html`<tr><td>${s.capture_id}</td><td class="mono">${s.file_name}${s.is_baseline ? html` <span class="tag">baseline</span>` : ''}</td><td>${s.format}<br><span class="muted">${s.importer_version}</span></td><td class="mono">${s.sha256}</td><td>${s.size_bytes.toLocaleString('en-US')}</td><td>${s.host ?? '—'}</td><td>${s.events.toLocaleString('en-US')}</td><td>${s.rejected}</td><td class="mono">${s.first_ts ?? '—'}<br>${s.last_ts ?? '—'}</td><td>${s.clock_offset_s} s${s.clock_offset_basis ? html`<br><span class="muted">${s.clock_offset_basis}</span>` : ''}</td></tr>`,
)}
</tbody></table>
${sources.map((s) => sourceNotes(s))}`;
}

function sourceNotes(s: SourceSection): SafeHtml | string {
  if (s.warnings.length === 0 && s.reject_sample.length === 0 && !s.date_basis) return '';
  return html`<h3>${s.file_name}</h3>
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

function scopeSection(r: ReportData): SafeHtml {
  const c = r.coverage;
  return html`<h2 id="scope">Scope and blind spots</h2>
<h3>What was monitored</h3>
<table><thead><tr><th>host</th><th>sources</th><th>telemetry kinds</th><th>from</th><th>to</th></tr></thead><tbody>
${c.hosts.map((h) => html`<tr><td>${h.host}</td><td>${h.capture_ids.map((id) => r.sources.find((s) => s.capture_id === id)?.file_name ?? `#${id}`).join(', ')}</td><td>${h.kinds.join(', ')}</td><td class="mono">${h.first_ts ?? ''}</td><td class="mono">${h.last_ts ?? ''}</td></tr>`)}
</tbody></table>
<h3>Gaps between sources</h3>
${c.gaps.length === 0 ? html`<p class="muted">Every moment between the first and last event is covered by at least one capture.</p>` : html`<table><thead><tr><th>from</th><th>to</th><th>seconds</th></tr></thead><tbody>${c.gaps.map((g) => html`<tr><td class="mono">${g.from}</td><td class="mono">${g.to}</td><td>${g.seconds}</td></tr>`)}</tbody></table>`}
<h3>Silences inside captures (≥ 60 s without events)</h3>
${c.silences.length === 0 ? html`<p class="muted">None.</p>` : html`<table><thead><tr><th>source</th><th>from</th><th>to</th><th>seconds</th></tr></thead><tbody>${c.silences.map((g) => html`<tr><td>${g.file_name}</td><td class="mono">${g.from}</td><td class="mono">${g.to}</td><td>${g.seconds}</td></tr>`)}</tbody></table>`}
<h3>Files offered but not imported</h3>
${c.not_imported.length === 0 ? html`<p class="muted">None: every file offered to the case was imported.</p>` : html`<table data-section="not-imported"><thead><tr><th>file</th><th>bytes</th><th>SHA-256</th><th>why not</th><th>last offered (UTC)</th></tr></thead><tbody>${c.not_imported.map((f) => html`<tr><td>${f.file_name}</td><td>${f.size_bytes ?? ''}</td><td class="mono">${f.sha256 ?? 'not read'}</td><td>${f.reason}</td><td class="mono">${f.offered_at}</td></tr>`)}</tbody></table>`}
<h3>Blind spots</h3>
<ul>${c.blind_spots.map((b) => html`<li>${b}</li>`)}</ul>`;
}

function auditSection(r: ReportData): SafeHtml {
  return html`<h2 id="audit">Case history</h2>
<p class="muted">Every import, annotation and alignment, as recorded in the case file.</p>
<table><thead><tr><th>time (UTC)</th><th>action</th><th>detail</th></tr></thead><tbody>
${r.audit.map((a) => html`<tr><td class="mono">${a.at}</td><td>${a.action}</td><td class="mono">${clip(a.detail, 400)}</td></tr>`)}
</tbody></table>`;
}
