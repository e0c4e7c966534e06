// `tracebench rules check DIR...`: loads rule folders the way triage does and says, per rule,
// whether it loaded or why it was skipped, with totals by folder. Nothing is run on a case.
import { loadRuleFolders, type RuleCheck } from '../../core/triage/rules-load.ts';
import { CliUsageError, parse, type Command } from '../command.ts';

export interface RulesCheckOutput {
  rules: { file: string; id: string; title: string; status: 'loaded' | 'skipped'; reason: string | null }[];
  totals: { folder: string; rules: number; loaded: number; skipped: number }[];
  total: { rules: number; loaded: number; skipped: number };
}

export const rulesCommand: Command = {
  usage: 'rules check DIR... [--json] [--placeholder NAME=VALUE[,VALUE…]]...',
  summary: 'checks rule folders (Sigma or Tracebench rules): which rules load, which are skipped and why',
  help: `
  Every rule file (.yml/.yaml) under each DIR is parsed and compiled as triage would; a rule that
  cannot be read, uses an unsupported construct or a field no mapping knows is listed as skipped
  with its reason, and the other rules still load. --placeholder gives values for %NAME% in
  |expand modifiers (a rule naming one not given is skipped). Exit code 0 even when rules are
  skipped; 1 when a folder does not exist.`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      json: { type: 'boolean' },
      placeholder: { type: 'string', multiple: true },
    });
    const [sub, ...dirs] = positionals;
    if (sub !== 'check') throw new CliUsageError('the only sub-command is "rules check DIR..."');
    if (dirs.length === 0) throw new CliUsageError('need at least one rules folder');
    const placeholders = new Map<string, string[]>();
    for (const p of values.placeholder ?? []) {
      const m = /^([^=]+)=(.*)$/.exec(p);
      if (!m?.[1]) throw new CliUsageError(`--placeholder needs NAME=VALUE, got "${p}"`);
      placeholders.set(m[1], (m[2] ?? '').split(','));
    }
    const { checks } = loadRuleFolders(dirs, { placeholders });
    const output = summarize(checks);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
      return 0;
    }
    process.stdout.write(`${textReport(checks, output)}\n`);
    return 0;
  },
};

export function summarize(checks: RuleCheck[]): RulesCheckOutput {
  const byFolder = new Map<string, { folder: string; rules: number; loaded: number; skipped: number }>();
  for (const c of checks) {
    // Totals by the given folder's sub-folder (rules/windows/process_creation …), as SigmaHQ sorts rules.
    const folder = c.file.split('/').slice(0, 2).join('/');
    const t = byFolder.get(folder) ?? { folder, rules: 0, loaded: 0, skipped: 0 };
    t.rules++;
    if (c.status === 'loaded') t.loaded++;
    else t.skipped++;
    byFolder.set(folder, t);
  }
  const loaded = checks.filter((c) => c.status === 'loaded').length;
  return {
    rules: checks.map(({ file, id, title, status, reason }) => ({ file, id, title, status, reason })),
    totals: [...byFolder.values()].sort((a, b) => a.folder.localeCompare(b.folder)),
    total: { rules: checks.length, loaded, skipped: checks.length - loaded },
  };
}

function textReport(checks: RuleCheck[], out: RulesCheckOutput): string {
  const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));
  const lines = [`${'STATUS'.padEnd(8)}${'FILE'.padEnd(56)}${'ID'.padEnd(38)}${'TITLE'.padEnd(41)}REASON`];
  for (const c of checks) {
    const reason = c.status === 'loaded' ? '' : (c.reason ?? '').replace(`${c.file}:`, 'line ');
    lines.push(`${c.status.padEnd(8)}${clip(c.file, 55)} ${clip(c.id, 37)} ${clip(c.title, 40)} ${reason}`.trimEnd());
  }
  lines.push('', `${'FOLDER'.padEnd(44)}${'RULES'.padStart(7)}${'LOADED'.padStart(8)}${'SKIPPED'.padStart(9)}  SHARE`);
  for (const t of out.totals) lines.push(`${clip(t.folder, 44)}${String(t.rules).padStart(7)}${String(t.loaded).padStart(8)}${String(t.skipped).padStart(9)}  ${share(t.loaded, t.rules)}`);
  const { rules, loaded, skipped } = out.total;
  lines.push(`${'total'.padEnd(44)}${String(rules).padStart(7)}${String(loaded).padStart(8)}${String(skipped).padStart(9)}  ${share(loaded, rules)}`);
  return lines.join('\n');
}

function share(n: number, d: number): string {
  return d === 0 ? '—' : `${((100 * n) / d).toFixed(1)} %`;
}
