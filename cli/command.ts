// What every sub-command module exports.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Command {
  /** e.g. "import CASE FILE... [--format NAME]" */
  usage: string;
  summary: string;
  help?: string;
  run(argv: string[]): Promise<number>;
}

export class CliUsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with errors turned into usage errors. */
export function parse<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliUsageError(err instanceof Error ? err.message : String(err));
  }
}
