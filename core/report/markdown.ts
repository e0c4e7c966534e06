// The Markdown case report: the same content as the HTML one, for tickets and wikis. Capture
// text is escaped so it cannot inject HTML, links or table breaks.
import { clip, escapeMarkdown as md } from './escape.ts';
import { explanationBody, type EventCitation, type ReportData } from './model.ts';

function eventRows(events: EventCitation[], withDelta: boolean): string[] {
  if (events.length === 0) return ['_No events._', ''];
  const head = `| ${withDelta ? 'Δ s | ' : ''}time (UTC) | source:line | event | pid | process | level | op | target | result |`;
  const sep = `|${withDelta ? '---|' : ''}---|---|---|---|---|---|---|---|---|`;
  const rows = events.map(
    (e) =>
      `| ${withDelta ? `${e.delta_s ?? ''} | ` : ''}${e.ts} | ${md(e.file_name)}:${e.source_line} | #${e.event_id} | ${e.pid ?? ''} | ${md(e.process)} | ${md(e.level)} | ${md(e.op)} | ${md(clip(e.target, 120))} | ${md(e.error ?? clip(e.ret, 40))} |`,
  );
  return [head, sep, ...rows, ''];
}

export function renderMarkdown(r: ReportData): string {
  const out: string[] = [];
  out.push(`# Tracebench case report — ${md(r.case.name)}`, '');
  out.push(`Generated ${r.generated_at} by ${r.generator}. All times UTC. Case file \`${r.case.path.replace(/`/g, "'")}\`.`, '');
  out.push('## Case summary', '');
  out.push(`- Sources: ${r.sources.length}`, `- Events: ${r.case.event_count}`, `- Time span: ${r.case.first_ts ?? '—'} … ${r.case.last_ts ?? '—'}`);
  out.push(`- Hosts: ${r.case.hosts.map(md).join(', ') || '—'}`, `- Findings: ${r.findings.length}`, `- Annotations: ${r.annotations.length}`, '');
  out.push('## Findings', '');
  if (r.findings.length === 0) out.push('_No rule produced a finding. See scope and blind spots._', '');
  for (const f of r.findings) {
    out.push(`### ${f.score} — ${md(f.title)}`, '', md(explanationBody(f)), '');
    out.push(`Rule \`${f.rule.replace(/`/g, "'")}\`; ATT&CK ${f.attack.map(md).join(', ') || '—'}; ${f.first_ts} … ${f.last_ts}.`, '');
    for (const c of f.check_next) out.push(`- Check: ${md(c)}`);
    out.push('', ...eventRows(f.events, false));
  }
  out.push('## Annotations', '');
  if (r.annotations.length === 0) out.push('_None._', '');
  for (const a of r.annotations) {
    out.push(`### [${md(a.tag)}] ${a.event ? `event #${a.event.event_id}` : 'time range'} · ${a.from}${a.to !== a.from ? ` … ${a.to}` : ''}`, '');
    out.push(`> ${md(a.note || '(no note)')}`, '', `by ${md(a.author)}, ${a.created_at}`, '');
    if (a.event) out.push(...eventRows([a.event], false));
    out.push('Surrounding events from other captures (±5 s):', '', ...eventRows(a.context, true));
  }
  out.push('## Sources', '', '| # | file | format | SHA-256 | bytes | events | rejected | from | to | offset s |', '|---|---|---|---|---|---|---|---|---|---|');
  for (const s of r.sources) {
    out.push(`| ${s.capture_id} | ${md(s.file_name)} | ${md(s.format)} | ${s.sha256} | ${s.size_bytes} | ${s.events} | ${s.rejected} | ${s.first_ts ?? ''} | ${s.last_ts ?? ''} | ${s.clock_offset_s} |`);
  }
  out.push('');
  for (const s of r.sources) {
    for (const w of s.warnings) out.push(`- ${md(s.file_name)}: ${md(w)}`);
    for (const rj of s.reject_sample) out.push(`- ${md(s.file_name)} line ${rj.source_line} rejected: ${md(rj.reason)}`);
  }
  out.push('', '## Scope and blind spots', '');
  for (const h of r.coverage.hosts) out.push(`- ${md(h.host)}: ${h.kinds.map(md).join(', ')} from ${h.first_ts ?? '—'} to ${h.last_ts ?? '—'}`);
  for (const g of r.coverage.gaps) out.push(`- Gap: ${g.from} … ${g.to} (${g.seconds} s) covered by no capture`);
  for (const g of r.coverage.silences) out.push(`- Silence in ${md(g.file_name)}: ${g.from} … ${g.to} (${g.seconds} s)`);
  if (r.coverage.not_imported.length > 0) {
    out.push('', '### Files offered but not imported', '', '| file | bytes | SHA-256 | why not | last offered (UTC) |', '|---|---|---|---|---|');
    for (const f of r.coverage.not_imported) out.push(`| ${md(f.file_name)} | ${f.size_bytes ?? ''} | ${f.sha256 ?? 'not read'} | ${md(f.reason)} | ${f.offered_at} |`);
  }
  out.push('', ...r.coverage.blind_spots.map((b) => `- ${md(b)}`), '');
  return `${out.join('\n')}\n`;
}
