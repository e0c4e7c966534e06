// The native PDF's first sections, in the print edition's order and with its folding
// (print-edition.ts): title page with the executive summary, the timeline figure, incidents, the
// analyst's annotations in time order (each annotated event in full, its most relevant context),
// and the findings by triage state. Capture strings are written as they are (layout.ts makes
// them visible); only context lines are clipped, as in the HTML print edition.
import { clip } from '../escape.ts';
import { explanationBody, STATE_LABEL, STATE_ORDER, type AnnotationSection, type EventCitation, type FindingSection, type IncidentSection, type ReportData } from '../model.ts';
import { foldedActivityText, PRINT_CONTEXT_ROWS, PRINT_FOLDED_LINES, printContext, printOmittedText, type FullEditionRef } from '../print-edition.ts';
import { figureCaption, summaryLines, type Line } from '../summary-text.ts';
import { drawTimeline } from './figure.ts';
import { COLOUR, type PdfLayout, type Run } from './layout.ts';

const TAG_COLOUR: Record<string, string> = { malicious: '#b42318', suspicious: '#9a6700', benign: '#1a7f37', 'needs-review': '#3b50b6' };

function who(e: { process: string | null; pid: number | null; host?: string | null }): string {
  return `${e.process ?? '?'}${e.pid !== null ? ` (pid ${e.pid})` : ''}${e.host ? ` on ${e.host}` : ''}`;
}

export function titlePage(pdf: PdfLayout, r: ReportData, full: FullEditionRef): void {
  pdf.heading(1, `Tracebench case report — ${r.case.name}`);
  pdf.para([{ text: `Generated ${r.generated_at} by ${r.generator}. All times are UTC. Case file `, color: COLOUR.muted }, { text: r.case.path, font: 'mono', color: COLOUR.muted }, { text: ` (schema ${r.case.schema_version}).`, color: COLOUR.muted }], { size: 8.5, gap: 6 });
  pdf.para(
    [
      { text: 'Print edition. ', font: 'bold' },
      { text: `Each annotation below shows at most ${PRINT_CONTEXT_ROWS} of the events around it (the most relevant: other sources and processes first) and its ${PRINT_FOLDED_LINES} largest repeated activities. The full context of every annotation is in the HTML report written beside this PDF, ` },
      { text: full.file_name, font: 'mono' },
      { text: ' (body SHA-256 ' },
      { text: full.body_sha256, font: 'mono' },
      { text: ', as its embedded manifest states; tracebench verify CASE FILE checks it), and in the JSON report (tracebench report CASE --format json) of the same case state.' },
    ],
    { size: 8.5, gap: 4 },
  );
  const s = summaryLines(r);
  pdf.heading(2, 'Executive summary');
  const list = (title: string, lines: Line[]) => {
    pdf.heading(3, title);
    for (const l of lines) pdf.bullet([{ text: l.text }, ...(l.cite ? [{ text: ` [${l.cite}]`, color: COLOUR.muted }] : [])], { size: 9 });
  };
  list('What happened', s.what);
  list('Impact on the physical process', s.impact);
  list('Confidence', s.confidence);
  list('What is still unknown', s.unknown);
  pdf.para('Bracketed references name incidents (I), annotations (A) and events (#id) detailed below; every count is reproduced by a query in the evidence appendix.', { size: 8, gap: 0 });
  pdf.pageBreak();
}

export function figureSection(pdf: PdfLayout, r: ReportData): void {
  pdf.heading(2, 'Timeline');
  drawTimeline(pdf, r.timeline);
  pdf.para([{ text: figureCaption(r), color: COLOUR.muted }], { size: 7.5, gap: 4 });
}

export function incidentsSection(pdf: PdfLayout, list: IncidentSection[]): void {
  pdf.heading(2, 'Incidents');
  if (list.length === 0) {
    pdf.para([{ text: 'No incident (false positives are in the appendix).', color: COLOUR.muted }]);
    return;
  }
  pdf.para([{ text: 'Findings grouped by process ancestry, shared files and endpoints, and time; confirmed first. Each storyline step names the finding it comes from.', color: COLOUR.muted }], { size: 8 });
  for (const i of list) incidentBlock(pdf, i);
}

export function incidentBlock(pdf: PdfLayout, i: IncidentSection): void {
  pdf.heading(3, `I${i.id} — ${i.title} [${STATE_LABEL[i.workflow.state]}]`);
  if (i.workflow.note) pdf.para(`${i.workflow.note}${i.workflow.author ? ` — ${i.workflow.author}` : ''}`, { keepNewlines: true, indent: 6 });
  pdf.para([{ text: `Score ${i.score}; ${i.start} … ${i.end}; root ${who({ process: i.root.image, pid: i.root.pid })}; tactics ${i.tactics.join(', ') || '—'}. Touched: ${i.touched.files.length} file(s), ${i.touched.endpoints.length} endpoint(s), ${i.touched.controller_writes} controller-write record(s), ${i.touched.alarms} alarm(s).`, color: COLOUR.muted }], { size: 8 });
  i.steps.forEach((st, n) => {
    const events = `${st.event_ids.slice(0, 5).map((e) => `#${e}`).join(', ')}${st.event_ids.length > 5 ? ` +${st.event_ids.length - 5}` : ''}`;
    pdf.para([{ text: `${n + 1}. ` }, { text: st.text, font: 'mono' }, { text: ` [finding ${st.finding_id}; ${events}]`, color: COLOUR.muted }], { size: 8, indent: 6, gap: 1 });
  });
  if (i.touched.files.length > 0) pdf.para([{ text: 'Files: ', color: COLOUR.muted }, { text: clip(i.touched.files.join(', '), 600), font: 'mono' }], { size: 7.5 });
  if (i.touched.endpoints.length > 0) pdf.para([{ text: 'Endpoints: ', color: COLOUR.muted }, { text: clip(i.touched.endpoints.join(', '), 400), font: 'mono' }], { size: 7.5 });
}

/** One event on one wrapped line: when, where from, who, what, on what, with what result. */
export function eventRuns(e: EventCitation): Run[] {
  const delta = e.delta_s === undefined ? '' : `${e.delta_s > 0 ? '+' : ''}${e.delta_s} s `;
  const head = `${delta}${e.ts} #${e.event_id} ${e.file_name}:${e.source_line} — ${who(e)}: ${e.kind}${e.level ? ` / ${e.level}` : ''} ${e.op}${e.target ? ` ${clip(e.target)}` : ''}${e.args ? ` ${clip(e.args, 160)}` : ''} → `;
  return [{ text: head }, e.error ? { text: e.error, color: COLOUR.error } : { text: clip(e.ret, 60) }];
}

/** The annotated event in full: every field, the arguments unclipped (they are evidence). */
function eventDetail(pdf: PdfLayout, e: EventCitation): void {
  pdf.para([{ text: `#${e.event_id} ${e.file_name}:${e.source_line} ${e.ts} — ${who(e)} — ${e.kind}${e.level ? ` / ${e.level}` : ''}: ` }, { text: e.op, font: 'bold' }], { size: 8.5, indent: 6, gap: 1 });
  pdf.para([{ text: 'target ' }, { text: e.target ?? '—', font: 'mono' }, { text: '; result ' }, e.error ? { text: e.error, color: COLOUR.error } : { text: e.ret ?? '—' }, { text: e.args === null ? '; no arguments recorded' : '' }], { size: 8.5, indent: 6, gap: 1 });
  if (e.args !== null) pdf.para([{ text: e.args.length > 0 ? e.args : '(empty)', font: 'mono' }], { size: 8, indent: 12, gap: 1, keepNewlines: true });
}

export function annotationBlock(pdf: PdfLayout, a: AnnotationSection, full: FullEditionRef): void {
  const c = printContext(a);
  const where = `${a.event ? `event #${a.event.event_id}` : 'time range'} · ${a.from}${a.to !== a.from ? ` … ${a.to}` : ''}${a.incident_ids.length > 0 ? ` · in ${a.incident_ids.map((i) => `I${i}`).join(', ')}` : ''}`;
  pdf.space(3);
  pdf.para([{ text: `A${a.annotation_id} `, font: 'bold' }, { text: a.tag, font: 'bold', color: TAG_COLOUR[a.tag] ?? COLOUR.accent }, { text: ` ${where}`, font: 'bold' }], { size: 9.5, keepWith: 60, gap: 1 });
  pdf.para([{ text: a.note || '(no note)' }, { text: ` — ${a.author}, ${a.created_at}${a.updated_at !== a.created_at ? `, edited ${a.updated_at}` : ''}`, color: COLOUR.muted }], { size: 9, indent: 6, keepNewlines: true, gap: 1 });
  if (a.event) eventDetail(pdf, a.event);
  const nothing = c.folded.length === 0 && c.shown.length === 0;
  const omitted = printOmittedText(c);
  pdf.para([{ text: 'Around it', font: 'bold' }, { text: ` (±5 s, most relevant first)${nothing ? ': no other events.' : ':'}` }, ...(omitted ? [{ text: ` — ${omitted} in ${full.file_name}`, color: COLOUR.muted }] : [])], { size: 8, indent: 6, gap: 1 });
  for (const f of c.folded) pdf.para(foldedActivityText(f), { size: 7.5, indent: 14, gap: 0.5 });
  for (const e of c.shown) pdf.para(eventRuns(e), { size: 7.5, indent: 14, gap: 0.5 });
}

export function annotationsSection(pdf: PdfLayout, list: AnnotationSection[], full: FullEditionRef): void {
  pdf.heading(2, "The analyst's annotations");
  if (list.length === 0) {
    pdf.para([{ text: 'The analyst has made no annotations.', color: COLOUR.muted }]);
    return;
  }
  pdf.para([{ text: `In time order. Each shows the annotated event in full and up to ${PRINT_CONTEXT_ROWS} events around it (±5 s) chosen for relevance; repeated activity is folded into one line. The full context is in ${full.file_name}.`, color: COLOUR.muted }], { size: 8 });
  for (const a of list) annotationBlock(pdf, a, full);
}

export function findingBlock(pdf: PdfLayout, f: FindingSection): void {
  pdf.heading(4, `${f.score} — ${f.title} [${STATE_LABEL[f.state]}]`);
  if (f.state_note) pdf.para(f.state_note, { keepNewlines: true, indent: 6 });
  pdf.para(explanationBody(f), { size: 8.5 });
  pdf.para([{ text: `Finding ${f.finding_id}; rule `, color: COLOUR.muted }, { text: f.rule, font: 'mono', color: COLOUR.muted }, { text: `; ATT&CK ${f.attack.join(', ') || '—'}; ${f.first_ts} … ${f.last_ts}; ${f.event_ids.length} event(s)${f.event_ids.length > f.events.length ? `, first ${f.events.length} shown` : ''}.`, color: COLOUR.muted }], { size: 8 });
  if (f.check_next.length > 0) {
    pdf.para('Check next:', { size: 8.5, gap: 0.5 });
    for (const c of f.check_next) pdf.bullet(c, { size: 8.5, gap: 0.5 });
  }
  for (const e of f.events) pdf.para(eventRuns(e), { size: 7.5, indent: 8, gap: 0.5 });
}

export function findingsSection(pdf: PdfLayout, findings: FindingSection[]): void {
  pdf.heading(2, 'Findings by triage state');
  if (findings.length === 0) {
    pdf.para([{ text: 'No finding outside the false positives. That does not clear the case: see the scope and blind spots below.', color: COLOUR.muted }]);
    return;
  }
  pdf.para([{ text: 'Confirmed first, then those needing review, then those not yet reviewed; false positives are in the appendix. Within a state, by score (0–100).', color: COLOUR.muted }], { size: 8 });
  for (const state of STATE_ORDER.filter((s) => s !== 'false_positive')) {
    const list = findings.filter((f) => f.state === state);
    if (list.length === 0) continue;
    pdf.heading(3, `${STATE_LABEL[state]} (${list.length})`);
    for (const f of list) findingBlock(pdf, f);
  }
}
