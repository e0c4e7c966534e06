// The print edition of the HTML report, the one the PDF is printed from (core/report/pdf.ts).
// Same sections in the same order as the screen edition (html.ts), but what runs to hundreds of
// pages on paper is folded: each annotation keeps its few most relevant context events (other
// sources, then other processes, then nearest in time) and its largest folded activities, and
// long lists are laid out as blocks rather than tables — Chromium paginates a report of a
// thousand tables many times slower than the same text in blocks (docs/benchmarks.md). The
// print edition says so on its first page and names the full-context report saved beside it.
import { clip } from './escape.ts';
import { html, type SafeHtml } from './html-template.ts';
import type { AnnotationSection, EventCitation, FoldedActivity, ReportData } from './model.ts';

/** Context events an annotation keeps in print (the screen edition keeps REPORT_CONTEXT_LIMIT). */
export const PRINT_CONTEXT_ROWS = 3;
/** Folded activities ("N × op by process") an annotation keeps in print, the most repeated first. */
export const PRINT_FOLDED_LINES = 2;

/** The full-context report written with the print edition, as the print edition names it. */
export interface FullEditionRef {
  /** Its file name, as written beside the PDF. */
  file_name: string;
  /** SHA-256 of its body, as its own embedded manifest states. */
  body_sha256: string;
}

export interface PrintContext {
  shown: EventCitation[];
  /** Context events left out here (beyond those the full report itself left out). */
  omitted: number;
  folded: FoldedActivity[];
  omitted_folded: number;
}

/**
 * The context one annotation keeps in print: the PRINT_CONTEXT_ROWS most relevant events — from
 * other captures first, then other processes, then the annotated process, each nearest in time
 * first (context.ts's own order) — shown in time order.
 */
export function printContext(a: AnnotationSection): PrintContext {
  const anchor = a.event;
  const rank = (e: EventCitation): number => (anchor === null ? 0 : e.capture_id !== anchor.capture_id ? 0 : e.pid !== anchor.pid ? 1 : 2);
  const kept = [...a.context]
    .sort((x, y) => rank(x) - rank(y) || Math.abs(x.delta_s ?? 0) - Math.abs(y.delta_s ?? 0) || x.event_id - y.event_id)
    .slice(0, PRINT_CONTEXT_ROWS);
  const keptIds = new Set(kept.map((e) => e.event_id));
  return {
    shown: a.context.filter((e) => keptIds.has(e.event_id)),
    omitted: a.context.length - kept.length,
    folded: a.folded.slice(0, PRINT_FOLDED_LINES),
    omitted_folded: Math.max(0, a.folded.length - PRINT_FOLDED_LINES),
  };
}

/** The first-page notice: this is the print edition, and where the full context is. */
export function printEditionNotice(full: FullEditionRef): SafeHtml {
  return html`<div class="print-edition" data-edition="print"><strong>Print edition.</strong> Each annotation below shows at most ${PRINT_CONTEXT_ROWS} of the events around it (the most relevant: other sources and processes first) and its ${PRINT_FOLDED_LINES} largest repeated activities; long lists are set as text rather than tables.
The full context of every annotation is in the HTML report written beside this PDF, <code>${full.file_name}</code> (body SHA-256 <code>${full.body_sha256}</code>, as its embedded manifest states; <code>tracebench verify CASE FILE</code> checks it), and in the JSON report (<code>tracebench report CASE --format json</code>) of the same case state.</div>`;
}

function delta(e: EventCitation): string {
  if (e.delta_s === undefined) return '';
  return `${e.delta_s > 0 ? '+' : ''}${e.delta_s} s `;
}

/**
 * One event on one printed line (cut at the margin, never wrapped): when, where from, who, what, on
 * what, with what result. Plain text in one font: Chromium's print time grows with the text runs
 * it lays out (docs/benchmarks.md), and every context event is in full in the full report.
 */
export function eventLine(e: EventCitation): SafeHtml {
  return html`<div class="ev">${delta(e)}${e.ts} #${e.event_id} ${e.file_name}:${e.source_line} — ${e.process ?? '?'}${e.pid !== null ? ` (pid ${e.pid})` : ''}${e.host ? ` on ${e.host}` : ''}: ${e.kind}${e.level ? ` / ${e.level}` : ''} ${e.op}${e.target ? ` ${clip(e.target)}` : ''}${e.args ? ` ${clip(e.args, 160)}` : ''} → ${e.error ? html`<span class="err">${e.error}</span>` : clip(e.ret, 60)}</div>`;
}

/**
 * The annotated event in full (every field, the arguments unclipped) in a few lines rather than a
 * table, in one font but for the arguments (fewer text runs for Chromium to lay out and print).
 */
function eventDetailBlock(e: EventCitation): SafeHtml {
  return html`<div class="detail">#${e.event_id} ${e.file_name}:${e.source_line} ${e.ts} — ${e.process ?? '?'}${e.pid !== null ? ` (pid ${e.pid})` : ''}${e.host ? ` on ${e.host}` : ''} — ${e.kind}${e.level ? ` / ${e.level}` : ''}: <strong>${e.op}</strong>
<br>target ${e.target ?? '—'}; result ${e.error ? html`<span class="err">${e.error}</span>` : (e.ret ?? '—')}${e.args === null ? '; no arguments recorded' : ''}
${e.args !== null ? html`<div class="args mono">${e.args}</div>` : ''}</div>`;
}

/** A folded activity as one line of plain text (the native PDF's, pdf-native/sections.ts). */
export function foldedActivityText(f: FoldedActivity): string {
  return `${f.count} × ${f.op} by ${f.process ?? '?'}${f.pid !== null ? ` (pid ${f.pid})` : ''} in ${f.file_name}, ${f.first_ts} … ${f.last_ts} [e.g. #${f.example_event_id}]`;
}

function foldedLine(f: FoldedActivity): SafeHtml {
  return html`<div class="ev">${f.count} × <code>${f.op}</code> by ${f.process ?? '?'}${f.pid !== null ? ` (pid ${f.pid})` : ''} in ${f.file_name}, ${f.first_ts} … ${f.last_ts} [e.g. #${f.example_event_id}]</div>`;
}

/** What print leaves out of one annotation's context ("4 more events and 1 more repeated activity"), '' when nothing. */
export function printOmittedText(c: PrintContext): string {
  const parts: string[] = [];
  if (c.omitted > 0) parts.push(`${c.omitted} more event${c.omitted === 1 ? '' : 's'}`);
  if (c.omitted_folded > 0) parts.push(`${c.omitted_folded} more repeated activit${c.omitted_folded === 1 ? 'y' : 'ies'}`);
  return parts.join(' and ');
}

export function printAnnotation(a: AnnotationSection, full: FullEditionRef): SafeHtml {
  const c = printContext(a);
  const nothing = c.folded.length === 0 && c.shown.length === 0;
  return html`<section class="ann" data-annotation="${a.annotation_id}"><h3 id="annotation-${a.annotation_id}">A${a.annotation_id} <span class="tag tag-${a.tag.replace(/[^a-z-]/g, '')}">${a.tag}</span> ${a.event ? `event #${a.event.event_id}` : 'time range'} · ${a.from}${a.to !== a.from ? ` … ${a.to}` : ''}${a.incident_ids.length > 0 ? ` · in ${a.incident_ids.map((i) => `I${i}`).join(', ')}` : ''}</h3>
<div class="note">${a.note || '(no note)'} — ${a.author}, ${a.created_at}${a.updated_at !== a.created_at ? `, edited ${a.updated_at}` : ''}</div>
${a.event ? eventDetailBlock(a.event) : ''}
<div class="around"><strong>Around it</strong> (±5 s, most relevant first)${nothing ? ': no other events.' : ''}${c.omitted + c.omitted_folded > 0 ? html`<span class="more muted"> — ${printOmittedText(c)} in ${full.file_name}</span>` : ''}${nothing ? '' : ':'}</div>
<div class="context" data-context-rows="${c.shown.length}" data-folded-lines="${c.folded.length}">${c.folded.map(foldedLine)}${c.shown.map(eventLine)}</div></section>`;
}

export function printAnnotationsSection(list: AnnotationSection[], full: FullEditionRef): SafeHtml {
  if (list.length === 0) return html`<h2 id="annotations">The analyst's annotations</h2><p class="muted">The analyst has made no annotations.</p>`;
  return html`<h2 id="annotations">The analyst's annotations</h2>
<p class="muted">In time order. Each shows the annotated event in full and up to ${PRINT_CONTEXT_ROWS} events around it (±5 s) chosen for relevance; repeated activity is folded into one line. The full context is in ${full.file_name}.</p>
${list.map((a) => printAnnotation(a, full))}`;
}

type AuditEntry = ReportData['audit'][number];
/** A run of one action in the case history, as print shows it: its first and last entries and how many between. */
export type AuditLine = { entry: AuditEntry } | { action: string; count: number; from: string; to: string };

/** Entries of a run of one action print keeps at each end; the entries between are counted. */
export const PRINT_AUDIT_RUN_ENDS = 2;

/** The case history with long runs of one action (a thousand "annotate" entries) folded to their ends. */
export function foldAuditRuns(audit: readonly AuditEntry[]): AuditLine[] {
  const out: AuditLine[] = [];
  for (let i = 0; i < audit.length; ) {
    let j = i;
    while (j < audit.length && audit[j]?.action === audit[i]?.action) j++;
    const run = audit.slice(i, j);
    if (run.length <= 2 * PRINT_AUDIT_RUN_ENDS + 1) {
      out.push(...run.map((entry) => ({ entry })));
    } else {
      const hidden = run.slice(PRINT_AUDIT_RUN_ENDS, -PRINT_AUDIT_RUN_ENDS);
      out.push(...run.slice(0, PRINT_AUDIT_RUN_ENDS).map((entry) => ({ entry })));
      out.push({ action: run[0]?.action ?? '', count: hidden.length, from: hidden[0]?.at ?? '', to: hidden[hidden.length - 1]?.at ?? '' });
      out.push(...run.slice(-PRINT_AUDIT_RUN_ENDS).map((entry) => ({ entry })));
    }
    i = j;
  }
  return out;
}

/** The case history as lines (a thousand-row table pages slowly), long runs of one action folded. */
export function printAuditSection(r: ReportData, full: FullEditionRef): SafeHtml {
  return html`<h3 id="audit">Case history (audit chain)</h3>
<p class="muted">Every import, annotation, decision and alignment, as recorded in the case file's hash-chained log. Long runs of one action show their first and last entries here; every entry is in ${full.file_name}.</p>
<div class="audit">${foldAuditRuns(r.audit).map((l) =>
    'entry' in l
      ? html`<div class="ev wrap"><span class="mono">${l.entry.at}</span> <strong>${l.entry.action}</strong> <span class="mono">${clip(l.entry.detail, 400)}</span></div>`
      : html`<div class="ev wrap muted" data-folded-audit="${l.count}">… ${l.count} more <strong>${l.action}</strong> entries, ${l.from} … ${l.to}</div>`,
  )}</div>`;
}

/**
 * CSS the print edition adds to the report's own. It is laid out for print only: on screen its body
 * is not displayed, which spares Chromium a full screen layout of the document before it lays it
 * out again in pages (the print edition is only ever printed; the HTML report beside it is the one
 * to read on screen). Context lines are one line each, cut at the margin.
 */
export const PRINT_EDITION_CSS = `
@media screen{body{display:none}}
.print-edition{border:2px solid #8c959f;border-radius:6px;padding:.4rem .8rem;margin:.8rem 0;background:#f6f8fa}
.ev{font-size:10px;margin:0 0 0 1rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.ev.wrap{white-space:normal;font-size:11px}
.detail{font-size:11.5px;margin:.2rem 0;word-break:break-all}.detail .args{margin:.1rem 0}section.ann .tag{display:inline;padding:0 .2rem;border-radius:0}
section.ann{margin-bottom:.5rem}section.ann h3{margin:.6rem 0 .1rem;font-size:12.5px}section.ann .note{margin:.2rem 0}.around,.more{font-size:11px;margin-top:.1rem}
@media print{section.ann h3{break-after:avoid}}
`;
