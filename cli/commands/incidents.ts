import { listIncidents } from '../../core/incidents/store.ts';
import { WORKFLOW_STATES, type Incident } from '../../core/model/incident.ts';
import { CaseStore } from '../../core/store/case-store.ts';
import { listFindings } from '../../core/triage/findings.ts';
import { CliUsageError, parse, type Command } from '../command.ts';
import { applyWorkflowOption, WORKFLOW_OPTIONS } from './workflow-option.ts';

export const incidentsCommand: Command = {
  usage: 'incidents CASE [--json] [--set ID=STATE [--note TEXT] [--author NAME]]',
  summary: 'lists the case\'s incidents (findings grouped by process ancestry, shared files/endpoints and time), then the loose findings',
  help: `
  Incidents are rebuilt after every triage run (tracebench findings --refresh). Each prints its
  score, span, root process, ATT&CK tactics in kill-chain order and its storyline, one line per
  finding. --json prints a list of {id, title, score, start, end, root_pid, tactics,
  steps[{ts, finding_id, event_ids, text}], …}. --set ID=STATE records an analyst's decision on
  incident ID (${WORKFLOW_STATES.join(', ')}); it is kept when triage runs again.`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      json: { type: 'boolean' },
      ...WORKFLOW_OPTIONS,
    });
    const [casePath] = positionals;
    if (!casePath || positionals.length > 1) throw new CliUsageError('need exactly one case file');
    const store = await CaseStore.open(casePath, { create: false });
    try {
      if (values.set !== undefined) {
        process.stdout.write(await applyWorkflowOption(store, 'incident', values));
        return 0;
      }
      const incidents = await listIncidents(store);
      if (values.json) {
        process.stdout.write(`${JSON.stringify(incidents, null, 2)}\n`);
        return 0;
      }
      const grouped = new Set(incidents.flatMap((i) => i.finding_ids));
      const loose = (await listFindings(store)).filter((f) => !grouped.has(f.finding_id));
      const out = incidents.flatMap(incidentLines);
      if (loose.length) out.push('', 'loose findings:');
      for (const f of loose) out.push(`  [${String(f.score).padStart(3)}] #${f.finding_id} ${f.title}  ${new Date(f.first_us / 1000).toISOString()}  (${f.rule}; ${f.workflow?.state ?? 'open'})`);
      out.push(`${incidents.length} incident${incidents.length === 1 ? '' : 's'}, ${loose.length} loose finding${loose.length === 1 ? '' : 's'}`);
      process.stdout.write(`${out.join('\n')}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};

export function incidentLines(i: Incident): string[] {
  const root = i.root.pid !== null ? `root ${i.root.image ?? 'process'} pid ${i.root.pid}` : 'no root process';
  const lines = [
    `[${String(i.score).padStart(3)}] incident ${i.id}: ${i.title}  (${i.workflow.state}${i.workflow.note ? `: ${i.workflow.note}` : ''})`,
    `      ${i.start} … ${i.end}; ${root}; tactics: ${i.tactics.join(' → ') || '(none)'}`,
    ...i.steps.map((s) => `      ${s.text}${s.kind === 'shell_end' ? '' : `  (finding #${s.finding_id})`}`),
  ];
  const t = i.touched;
  if (t.files.length) lines.push(`      files: ${t.files.slice(0, 12).join(', ')}${t.files.length > 12 ? ', …' : ''}`);
  if (t.endpoints.length) lines.push(`      endpoints: ${t.endpoints.join(', ')}`);
  if (t.controller_writes || t.alarms) lines.push(`      within its span: ${t.controller_writes} controller writes, ${t.alarms} alarms`);
  return lines;
}
