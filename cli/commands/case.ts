// `tracebench case set|show`: the case's collection governance (core/case/governance.ts) — which
// devices are in scope, what triggered collection, who collected it with which tool, how it is
// kept, and chain-of-custody notes. The report's scope section and blind-spot list use it.
import { readGovernance, writeGovernance } from '../../core/case/governance.ts';
import type { Governance, GovernanceDevice, GovernanceUpdate } from '../../core/model/governance.ts';
import { CaseStore } from '../../core/store/case-store.ts';
import { CliUsageError, parse, type Command } from '../command.ts';
import { openForReading } from './report.ts';

const DEVICE_KEYS = ['host', 'role', 'zone'] as const;

export const caseCommand: Command = {
  usage: 'case set CASE [--device host=H,role=R,zone=Z]... [--remove-device HOST]... [--trigger T] [--collector C] [--tool T] [--tool-options O] [--retention R] [--handling H] [--custody NOTE] [--author A] | case show CASE [--json]',
  summary: 'records or shows how the case\'s evidence was collected: devices in scope, trigger, collector, tool, retention, chain of custody',
  help: `
  --device host=H,role=R,zone=Z   adds (or replaces, by host) a device in scope; repeatable. role and zone are optional
  --remove-device HOST            takes a device out of scope; repeatable
  --trigger, --collector, --tool, --tool-options, --retention, --handling TEXT
                                  set that field ("" clears it); fields not given stay as they are
  --custody NOTE                  appends a chain-of-custody note (time-stamped, by --author)
  --author A                      who records the change (default $TRACEBENCH_AUTHOR, else $USER)
  A host in scope with no capture of a kind (API calls, network, process events, alarms) is listed as a blind spot in the report.`,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'show') return show(rest);
    if (sub === 'set') return set(rest);
    throw new CliUsageError('expected "case set CASE …" or "case show CASE"');
  },
};

async function show(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
  const [casePath] = positionals;
  if (!casePath || positionals.length !== 1) throw new CliUsageError('need exactly one case file');
  const { store, close } = await openForReading(casePath);
  try {
    const g = await readGovernance(store);
    process.stdout.write(values.json ? `${JSON.stringify(g, null, 2)}\n` : describeGovernance(g));
    return 0;
  } finally {
    close();
  }
}

async function set(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    device: { type: 'string', multiple: true },
    'remove-device': { type: 'string', multiple: true },
    trigger: { type: 'string' },
    collector: { type: 'string' },
    tool: { type: 'string' },
    'tool-options': { type: 'string' },
    retention: { type: 'string' },
    handling: { type: 'string' },
    custody: { type: 'string' },
    author: { type: 'string' },
    json: { type: 'boolean' },
  });
  const [casePath] = positionals;
  if (!casePath || positionals.length !== 1) throw new CliUsageError('need exactly one case file');
  const added = (values.device ?? []).map(parseDevice);
  const removed = new Set(values['remove-device'] ?? []);
  const store = await CaseStore.open(casePath, { create: false });
  try {
    const update: GovernanceUpdate = { author: values.author ?? process.env['TRACEBENCH_AUTHOR'] ?? process.env['USER'] ?? null };
    if (added.length > 0 || removed.size > 0) {
      const current = (await readGovernance(store)).devices;
      const addedHosts = new Set(added.map((d) => d.host));
      update.devices = [...current.filter((d) => !removed.has(d.host) && !addedHosts.has(d.host)), ...added];
    }
    if (values.trigger !== undefined) update.trigger = values.trigger;
    if (values.collector !== undefined) update.collector = values.collector;
    if (values.tool !== undefined) update.tool = values.tool;
    if (values['tool-options'] !== undefined) update.tool_options = values['tool-options'];
    if (values.retention !== undefined) update.retention = values.retention;
    if (values.handling !== undefined) update.handling = values.handling;
    if (values.custody !== undefined) update.custody_note = values.custody;
    const g = await writeGovernance(store, update);
    process.stdout.write(values.json ? `${JSON.stringify(g, null, 2)}\n` : describeGovernance(g));
    return 0;
  } finally {
    store.close();
  }
}

/** "host=hmi-ws01,role=HMI,zone=L2" → a device; a value may hold "=" but not ",". */
export function parseDevice(text: string): GovernanceDevice {
  const fields = new Map<string, string>();
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    const key = at < 0 ? '' : part.slice(0, at).trim();
    if (!(DEVICE_KEYS as readonly string[]).includes(key)) {
      throw new CliUsageError(`--device "${text}": expected host=NAME[,role=ROLE][,zone=ZONE], got "${part}"`);
    }
    fields.set(key, part.slice(at + 1).trim());
  }
  const host = fields.get('host');
  if (!host) throw new CliUsageError(`--device "${text}": host=NAME is required`);
  return { host, role: fields.get('role') || null, zone: fields.get('zone') || null };
}

function describeGovernance(g: Governance): string {
  const line = (label: string, v: string | null) => `${label.padEnd(13)}${v ?? '—'}\n`;
  let out = 'devices in scope\n';
  out += g.devices.length === 0 ? '  (none declared)\n' : g.devices.map((d) => `  ${d.host}${d.role ? `  role ${d.role}` : ''}${d.zone ? `  zone ${d.zone}` : ''}\n`).join('');
  out += line('trigger', g.trigger) + line('collector', g.collector) + line('tool', g.tool) + line('tool options', g.tool_options);
  out += line('retention', g.retention) + line('handling', g.handling);
  out += 'custody\n';
  out += g.custody.length === 0 ? '  (no notes)\n' : g.custody.map((c) => `  ${c.at}${c.author ? ` ${c.author}` : ''}: ${c.note}\n`).join('');
  return out;
}
