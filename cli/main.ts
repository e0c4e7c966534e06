// The `tracebench` command: dispatches to one module per sub-command. Errors go to stderr with
// a non-zero exit code; results go to stdout.
import { alignCommand } from './commands/align.ts';
import { annotateCommand } from './commands/annotate.ts';
import { baselineCommand } from './commands/baseline.ts';
import { exportCommand } from './commands/export.ts';
import { findingsCommand } from './commands/findings.ts';
import { formatsCommand } from './commands/formats.ts';
import { importCommand } from './commands/import.ts';
import { incidentsCommand } from './commands/incidents.ts';
import { linksCommand } from './commands/links.ts';
import { processesCommand } from './commands/processes.ts';
import { queryCommand } from './commands/query.ts';
import { reportCommand } from './commands/report.ts';
import { rulesCommand } from './commands/rules.ts';
import { serveCommand } from './commands/serve.ts';
import { verifyCommand } from './commands/verify.ts';
import { caseCommand } from './commands/case.ts';
import { CliUsageError, type Command } from './command.ts';

const COMMANDS: Record<string, Command> = {
  import: importCommand,
  query: queryCommand,
  annotate: annotateCommand,
  report: reportCommand,
  formats: formatsCommand,
  findings: findingsCommand,
  incidents: incidentsCommand,
  links: linksCommand,
  export: exportCommand,
  processes: processesCommand,
  serve: serveCommand,
  align: alignCommand,
  baseline: baselineCommand,
  verify: verifyCommand,
  rules: rulesCommand,
  case: caseCommand,
};

function usage(): string {
  const lines = ['usage: tracebench <command> [options]', '', 'commands:'];
  for (const cmd of Object.values(COMMANDS)) lines.push(`  ${cmd.usage}`, `      ${cmd.summary}`);
  lines.push('', `Run "tracebench <command> --help" for a command's options.`);
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 1 : 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`tracebench: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
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
