// The `tracebench` command: dispatches to one module per sub-command. Errors go to stderr with
// a non-zero exit code; results go to stdout.
import { CliUsageError, type Command } from './command.ts';

// Each command's module is loaded only when that command runs: importing all of them (the
// server, the report builders, the importers) cost a cold `tracebench report` about 0.8 s of
// its start-up. Help lists every command, so it loads them all.
const COMMANDS: Record<string, () => Promise<Command>> = {
  import: async () => (await import('./commands/import.ts')).importCommand,
  query: async () => (await import('./commands/query.ts')).queryCommand,
  annotate: async () => (await import('./commands/annotate.ts')).annotateCommand,
  report: async () => (await import('./commands/report.ts')).reportCommand,
  formats: async () => (await import('./commands/formats.ts')).formatsCommand,
  findings: async () => (await import('./commands/findings.ts')).findingsCommand,
  incidents: async () => (await import('./commands/incidents.ts')).incidentsCommand,
  links: async () => (await import('./commands/links.ts')).linksCommand,
  export: async () => (await import('./commands/export.ts')).exportCommand,
  processes: async () => (await import('./commands/processes.ts')).processesCommand,
  serve: async () => (await import('./commands/serve.ts')).serveCommand,
  align: async () => (await import('./commands/align.ts')).alignCommand,
  baseline: async () => (await import('./commands/baseline.ts')).baselineCommand,
  verify: async () => (await import('./commands/verify.ts')).verifyCommand,
  rules: async () => (await import('./commands/rules.ts')).rulesCommand,
  case: async () => (await import('./commands/case.ts')).caseCommand,
};

async function usage(): Promise<string> {
  const lines = ['usage: tracebench <command> [options]', '', 'commands:'];
  for (const cmd of await Promise.all(Object.values(COMMANDS).map((load) => load()))) lines.push(`  ${cmd.usage}`, `      ${cmd.summary}`);
  lines.push('', `Run "tracebench <command> --help" for a command's options.`);
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${await usage()}\n`);
    return name === undefined ? 1 : 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    process.stderr.write(`tracebench: unknown command "${name}"\n\n${await usage()}\n`);
    return 2;
  }
  const cmd = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: tracebench ${cmd.usage}\n\n${cmd.summary}\n${cmd.help ?? ''}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`tracebench ${name}: ${message}\n`);
    if (err instanceof CliUsageError) process.stderr.write(`usage: tracebench ${cmd.usage}\n`);
    if (process.env['TRACEBENCH_DEBUG'] && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return err instanceof CliUsageError ? 2 : 1;
  }
}
