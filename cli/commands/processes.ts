import { CaseStore } from '../../core/store/case-store.ts';
import { readProcessTree } from '../../core/process/store.ts';
import type { ProcessNode } from '../../core/model/process.ts';
import { CliUsageError, parse, type Command } from '../command.ts';

export const processesCommand: Command = {
  usage: 'processes CASE [--json]',
  summary: 'prints the case\'s process tree: one process across captures (pid namespaces joined), image, command line, lifetime, exit',
  help: `
  The tree is kept in the case and rebuilt when captures change. A process seen by several
  captures of one host (strace inside a container and kernel process events outside it) is one
  entry: pid is the one the API capture shows, host_pid the host's. --json prints the list
  {proc_id, parent_id, host, pid, host_pid, ns_pid, image, command_line, user, start_us, end_us,
  exit_code, exited, captures, events, members}.`,
  async run(argv) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    const [casePath] = positionals;
    if (!casePath || positionals.length > 1) throw new CliUsageError('need exactly one case file');
    const store = await CaseStore.open(casePath, { create: false });
    try {
      const nodes = await readProcessTree(store);
      process.stdout.write(values.json ? `${JSON.stringify(nodes, null, 2)}\n` : `${treeLines(nodes).join('\n')}\n${nodes.length} processes\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};

/** The tree as indented lines: pid[/host pid] image — command line [exit N] (captures). */
export function treeLines(nodes: ProcessNode[]): string[] {
  const children = new Map<number | null, ProcessNode[]>();
  for (const n of nodes) {
    const list = children.get(n.parent_id) ?? [];
    list.push(n);
    children.set(n.parent_id, list);
  }
  const out: string[] = [];
  const walk = (parent: number | null, depth: number): void => {
    for (const n of children.get(parent) ?? []) {
      const pid = n.host_pid !== null && n.host_pid !== n.pid ? `${n.pid}/${n.host_pid}` : `${n.pid}`;
      const cmd = n.command_line && n.command_line !== n.image ? ` — ${n.command_line.length > 120 ? `${n.command_line.slice(0, 119)}…` : n.command_line}` : '';
      const exit = n.exited ? ` [exit ${n.exit_code ?? '?'}]` : '';
      out.push(`${'  '.repeat(depth)}${pid} ${n.image ?? '(unknown image)'}${cmd}${exit}  (captures ${n.captures.join(',')}${n.host ? `; ${n.host}` : ''})`);
      walk(n.proc_id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}
