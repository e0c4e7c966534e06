import type { WorkflowState } from '../../core/model/incident.ts';
import { CaseStore } from '../../core/store/case-store.ts';
import { listFindings, runTriage } from '../../core/triage/findings.ts';
import { loadRuleFolders, ruleDirsFor } from '../../core/triage/rules-load.ts';
import { triageLabel, type TriageProgress } from '../../core/triage/run.ts';
import { progressBar } from '../progress.ts';
import { CliUsageError, parse, type Command } from '../command.ts';
import { applyWorkflowOption, WORKFLOW_OPTIONS } from './workflow-option.ts';

export const findingsCommand: Command = {
  usage: 'findings CASE [--json] [--refresh] [--rules DIR]... [--set ID=STATE [--note TEXT] [--author NAME]]',
  summary: 'lists the case\'s triage findings, best first (computing them when the case has none or with --refresh)',
  help: `
  Rules: the shipped pack (rules/), a rules/ folder next to the case file, and each --rules DIR
  (a later rule with the same id replaces an earlier one). A rule that cannot be read or compiled
  is skipped (the count is printed; "tracebench rules check DIR" lists why) and the others run;
  a rule that fails while it runs is skipped with its reason. --refresh is a full re-run over
  every capture: findings of the loaded rules are replaced (an import only evaluates its new
  captures and keeps earlier findings).`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      json: { type: 'boolean' },
      refresh: { type: 'boolean' },
      rules: { type: 'string', multiple: true },
      ...WORKFLOW_OPTIONS,
    });
    const [casePath] = positionals;
    if (!casePath || positionals.length > 1) throw new CliUsageError('need exactly one case file');
    const store = await CaseStore.open(casePath, { create: false });
    try {
      if (values.set !== undefined) {
        process.stdout.write(await applyWorkflowOption(store, 'finding', values));
        return 0;
      }
      let findings = await listFindings(store);
      let note = '';
      if (values.refresh || values.rules || findings.length === 0) {
        const loaded = loadRuleFolders(ruleDirsFor(casePath, values.rules ?? []));
        const bar = process.stderr.isTTY && !values.json ? progressBar(process.stderr) : undefined;
        const result = await runTriage(store, {
          rules: loaded.rules,
          onProgress: bar ? (p: TriageProgress) => bar.update(p.done, p.total, triageLabel(p)) : undefined,
        }).finally(() => bar?.done());
        findings = await listFindings(store);
        note = `${result.rules} rules`;
        if (loaded.skipped.length) note += `, ${loaded.skipped.length} skipped (see tracebench rules check)`;
        note += `; ${result.baseline.description}`;
        if (result.skipped.length) note += `; ${result.skipped.length} rule(s) failed while running and were skipped: ${result.skipped.map((s) => `${s.rule} (${s.file}:${s.line}: ${s.reason})`).join('; ')}`;
        if (result.saturated.length) note += `; rules matching too many events (findings may be incomplete): ${result.saturated.join(', ')}`;
      }
      if (values.json) {
        process.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
        return 0;
      }
      const out: string[] = [];
      for (const f of findings) {
        out.push(`[${String(f.score).padStart(3)} ${f.severity.padEnd(13)}] #${f.finding_id} ${f.title}  (${f.rule}${f.attack.length ? `; ${f.attack.join(', ')}` : ''})  [${workflowText(f.workflow)}]`);
        out.push(`      ${new Date(f.first_us / 1000).toISOString()} … ${new Date(f.last_us / 1000).toISOString()}  events ${f.event_ids.slice(0, 12).join(', ')}${f.event_ids.length > 12 ? ', …' : ''}`);
        out.push(`      ${f.explanation}`);
      }
      out.push(`${findings.length} finding${findings.length === 1 ? '' : 's'}${note ? ` (${note})` : ''}`);
      process.stdout.write(`${out.join('\n')}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};

function workflowText(w: WorkflowState | undefined): string {
  if (!w) return 'open';
  return `${w.state}${w.author ? ` by ${w.author}` : ''}${w.note ? `: ${w.note}` : ''}`;
}
