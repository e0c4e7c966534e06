// The native PDF's later sections, in the print edition's order: scope, collection governance and
// blind spots; the evidence appendix (sources with their hashes, order across captures, the
// queries behind the claims, saved views, the case history folded as in print, the false
// positives) and the evidence manifest. Wide tables of the HTML report are set as one block per
// row: a hash or a path is never cut to fit a column.
import { formatUncertainty } from '../../links/ordering.ts';
import { readDateBasis } from '../../model/date-basis.ts';
import { clip } from '../escape.ts';
import type { ReportManifest } from '../manifest.ts';
import type { FindingSection, IncidentSection, ReportData, SourceSection } from '../model.ts';
import { foldAuditRuns, type FullEditionRef } from '../print-edition.ts';
import { COLOUR, type PdfLayout } from './layout.ts';
import { findingBlock } from './sections.ts';

const MUTED = { color: COLOUR.muted };

function notRecorded(v: string | null): { text: string; color?: string } {
  return v === null ? { text: 'not recorded', ...MUTED } : { text: v };
}

export function scopeSection(pdf: PdfLayout, r: ReportData): void {
  const c = r.coverage;
  const g = c.governance;
  pdf.heading(2, 'Scope, collection governance and blind spots');
  pdf.heading(3, 'Collection governance');
  if (g.updated_at === null) pdf.para([{ text: 'Not recorded for this case (tracebench case set, or the Governance form in the workbench).', ...MUTED }], { size: 8.5 });
  pdf.para([{ text: 'Devices in scope: ', font: 'bold' }, g.devices.length === 0 ? { text: 'none declared', ...MUTED } : { text: '' }], { size: 8.5, gap: 1 });
  for (const d of g.devices) pdf.bullet(`${d.host}${d.role ? ` — ${d.role}` : ''}${d.zone ? ` (zone ${d.zone})` : ''}`, { size: 8.5, gap: 0.5 });
  const rows: [string, string | null][] = [['Trigger of collection', g.trigger], ['Collected by', g.collector], ['Tool', g.tool], ['Tool options', g.tool_options], ['Retention', g.retention], ['Handling', g.handling]];
  for (const [label, v] of rows) pdf.para([{ text: `${label}: `, font: 'bold' }, notRecorded(v)], { size: 8.5, gap: 1, keepNewlines: true });
  pdf.para([{ text: 'Chain of custody: ', font: 'bold' }, g.custody.length === 0 ? { text: 'no notes', ...MUTED } : { text: '' }], { size: 8.5, gap: 1 });
  g.custody.forEach((n, i) => pdf.para(`${i + 1}. ${n.at}${n.author ? ` — ${n.author}` : ''}: ${n.note}`, { size: 8.5, indent: 8, gap: 0.5, keepNewlines: true }));

  pdf.heading(3, 'What was monitored');
  for (const h of c.hosts) {
    const files = h.capture_ids.map((id) => r.sources.find((s) => s.capture_id === id)?.file_name ?? `#${id}`).join(', ');
    pdf.bullet([{ text: h.host, font: 'bold' }, { text: `: ${files}; ${h.kinds.join(', ')}; ${h.first_ts ?? '?'} … ${h.last_ts ?? '?'}` }], { size: 8.5, gap: 1 });
  }
  pdf.heading(3, 'Blind spots');
  for (const b of c.blind_spots) pdf.bullet(b, { size: 8.5, gap: 1 });
  pdf.heading(3, 'Gaps between sources');
  if (c.gaps.length === 0) pdf.para([{ text: 'Every moment between the first and last event is covered by at least one capture.', ...MUTED }], { size: 8.5 });
  for (const gap of c.gaps) pdf.bullet(`${gap.from} … ${gap.to} (${gap.seconds} s)`, { size: 8.5, gap: 0.5 });
  pdf.heading(3, 'Silences inside captures (≥ 60 s without events)');
  if (c.silences.length === 0) pdf.para([{ text: 'None.', ...MUTED }], { size: 8.5 });
  for (const s of c.silences) pdf.bullet(`${s.file_name}: ${s.from} … ${s.to} (${s.seconds} s)`, { size: 8.5, gap: 0.5 });
  pdf.heading(3, 'Files offered but not imported');
  if (c.not_imported.length === 0) pdf.para([{ text: 'None: every file offered to the case was imported.', ...MUTED }], { size: 8.5 });
  for (const f of c.not_imported) {
    pdf.bullet([{ text: f.file_name, font: 'bold' }, { text: ` (${f.size_bytes ?? '?'} bytes, last offered ${f.offered_at}): ${f.reason}; SHA-256 ` }, { text: f.sha256 ?? 'not read', font: 'mono' }], { size: 8.5, gap: 1 });
  }
}

function sourceBlock(pdf: PdfLayout, s: SourceSection): void {
  pdf.para([{ text: `#${s.capture_id} `, font: 'bold' }, { text: s.file_name, font: 'mono' }, { text: s.is_baseline ? ' (baseline)' : '' }, { text: ` — ${s.format}, ${s.importer_version}; host ${s.host ?? '—'}; ${s.events.toLocaleString('en-US')} events, ${s.rejected} rejected; ${s.size_bytes.toLocaleString('en-US')} bytes` }], { size: 8.5, gap: 1, keepWith: 40 });
  pdf.para([{ text: 'SHA-256 ', ...MUTED }, { text: s.sha256, font: 'mono' }], { size: 8, indent: 8, gap: 1 });
  pdf.para([{ text: `Time range (UTC, aligned) ${s.first_ts ?? '—'} … ${s.last_ts ?? '—'}; clock offset ${s.clock_offset_s} s${s.clock_offset_basis ? ` (${s.clock_offset_basis})` : ''}`, ...MUTED }], { size: 8, indent: 8, gap: 1 });
  for (const b of s.date_basis ? readDateBasis(s.date_basis) : []) {
    pdf.para(b.what === 'date' ? `Date of time-of-day stamps: ${b.text}.` : `Start of relative times: ${b.text}${b.assumed ? ' — assumed; correct it with tracebench align' : ''}.`, { size: 8, indent: 8, gap: 1 });
  }
  for (const w of s.warnings) pdf.bullet(w, { size: 8, indent: 8, gap: 0.5 });
  if (s.reject_sample.length > 0) {
    pdf.para(`Rejected lines (${s.rejected}${s.rejected > s.reject_sample.length ? `, first ${s.reject_sample.length} shown` : ''}):`, { size: 8, indent: 8, gap: 0.5 });
    for (const rj of s.reject_sample) pdf.para([{ text: `line ${rj.source_line}: ${rj.reason}: `, ...MUTED }, { text: clip(rj.raw, 300), font: 'mono' }], { size: 7.5, indent: 14, gap: 0.5 });
  }
  pdf.space(3);
}

export function evidenceAppendix(pdf: PdfLayout, r: ReportData, full: FullEditionRef): void {
  pdf.heading(2, 'Evidence appendix');
  pdf.heading(3, 'Sources');
  for (const s of r.sources) sourceBlock(pdf, s);
  if (r.ordering.length > 0) {
    pdf.heading(3, 'Order across captures');
    pdf.para('The clocks of these captures are known against each other only within the stated error (estimated from matched connections, core/links). Events of the two captures closer in time than that may have happened in either order; the report does not assert their order.', { size: 8.5 });
    for (const p of r.ordering) pdf.bullet(`#${p.capture_a} ↔ #${p.capture_b}: order uncertain within ± ${formatUncertainty(p.uncertainty_us)}`, { size: 8.5, gap: 0.5 });
  }
  pdf.heading(3, 'Queries behind the claims');
  pdf.para([{ text: 'Run any of these with tracebench query CASE "…" to reproduce the count or list it stands behind.', ...MUTED }], { size: 8 });
  for (const q of r.queries) {
    pdf.para(q.claim, { size: 8.5, gap: 0.5, keepWith: 30 });
    pdf.para([{ text: q.sql, font: 'mono' }], { size: 7.5, indent: 8, gap: 2, keepNewlines: true });
  }
  if (r.views.length > 0) {
    pdf.heading(3, 'Saved views');
    pdf.para([{ text: 'Views of the case saved in the workbench; open one with its link after the workbench\'s address (a note citing #saved=N means the view below).', ...MUTED }], { size: 8 });
    for (const v of r.views) pdf.bullet([{ text: v.link, font: 'mono' }, { text: ` ${v.name}: ${v.shows} — ${v.author}, ${v.saved_at}` }], { size: 8.5, gap: 0.5 });
  }
  pdf.heading(3, 'Case history (audit chain)');
  pdf.para([{ text: `Every import, annotation, decision and alignment, as recorded in the case file's hash-chained log. Long runs of one action show their first and last entries here; every entry is in ${full.file_name}.`, ...MUTED }], { size: 8 });
  for (const l of foldAuditRuns(r.audit)) {
    if ('entry' in l) pdf.para([{ text: `${l.entry.at} `, font: 'mono' }, { text: l.entry.action, font: 'bold' }, { text: ` ${clip(l.entry.detail, 400)}`, font: 'mono' }], { size: 7.5, indent: 6, gap: 0.5 });
    else pdf.para([{ text: `… ${l.count} more ${l.action} entries, ${l.from} … ${l.to}`, ...MUTED }], { size: 7.5, indent: 6, gap: 0.5 });
  }
}

export function falsePositiveAppendix(pdf: PdfLayout, findings: FindingSection[], incidents: IncidentSection[]): void {
  pdf.heading(2, 'Appendix: false positives');
  if (findings.length + incidents.length === 0) pdf.para([{ text: 'The analyst judged no finding or incident a false positive.', ...MUTED }], { size: 8.5 });
  for (const i of incidents) {
    pdf.heading(3, `I${i.id} — ${i.title} [False positive]`);
    if (i.workflow.note) pdf.para(i.workflow.note, { keepNewlines: true, indent: 6 });
    pdf.para([{ text: `${i.start} … ${i.end}; findings ${i.finding_ids.join(', ')}.`, ...MUTED }], { size: 8 });
  }
  for (const f of findings) findingBlock(pdf, f);
  pdf.para([{ text: 'Every event is cited by event id, source file and line: open the source at that line to check it. SHA-256 values identify the exact bytes that were imported.', ...MUTED }], { size: 8, gap: 4 });
}

/**
 * The evidence manifest as far as a PDF can carry it: everything but its own body hash, which
 * cannot be inside the bytes it hashes — that is in the detached FILE.pdf.manifest.json.
 */
export function manifestSection(pdf: PdfLayout, manifest: Omit<ReportManifest, 'body_sha256'>, pdfFileName: string): void {
  pdf.heading(2, 'Evidence manifest');
  pdf.para([
    { text: 'SHA-256 of each source and of the case state. A PDF cannot carry its own hash: the SHA-256 of this file is in ', ...MUTED },
    { text: `${pdfFileName}.manifest.json`, font: 'mono', ...MUTED },
    { text: ' beside it, with this same manifest. Check with: tracebench verify CASE REPORT.pdf', ...MUTED },
  ], { size: 8 });
  pdf.para([{ text: JSON.stringify(manifest, null, 2), font: 'mono' }], { size: 7.5, keepNewlines: true });
}
