// `tracebench verify CASE [REPORT]`: the audit chain, the sources still on disk and (given a
// report) the report against its manifest and the case. Exit 0 verified, 1 something does not
// match, 2 could not check (usage, unreadable case or report, no manifest).
import { resolve } from 'node:path';
import { ManifestError } from '../../core/report/manifest.ts';
import { verifyCase } from '../../core/report/verify.ts';
import type { CaseStore } from '../../core/store/case-store.ts';
import { CliUsageError, parse, type Command } from '../command.ts';
import { openForReading } from './report.ts';

export const verifyCommand: Command = {
  usage: 'verify CASE [REPORT] [--json]',
  summary: 'checks the audit chain, the sources on disk against their hashes, and a report against its manifest and the case',
  help: `
  Exit code 0: everything verified (a source no longer on disk is "not available", not a failure).
  Exit code 1: the audit chain is broken, a source's bytes changed, or the report does not match.
  Exit code 2: could not check (bad arguments, the case cannot be opened, the report has no manifest).
  A PDF report is checked against its detached manifest FILE.pdf.manifest.json.`,
  async run(argv) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
    const [casePath, reportPath] = positionals;
    if (!casePath || positionals.length > 2) throw new CliUsageError('need a case file and optionally one report');
    let opened: { store: CaseStore; close: () => void };
    try {
      opened = await openForReading(casePath, true);
    } catch (err) {
      return cannotCheck(`cannot open ${casePath}: ${err instanceof Error ? err.message : String(err)}`, values.json);
    }
    const { store } = opened;
    try {
      const result = await verifyCase(store, reportPath === undefined ? undefined : resolve(reportPath), resolve(casePath));
      if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else process.stdout.write(`${result.lines.join('\n')}\n`);
      return result.verdict === 'verified' ? 0 : 1;
    } catch (err) {
      if (err instanceof ManifestError || (err instanceof Error && 'code' in err)) return cannotCheck(`${reportPath ?? casePath}: ${err.message}`, values.json);
      throw err;
    } finally {
      opened.close();
    }
  },
};

function cannotCheck(message: string, json: boolean | undefined): number {
  if (json) process.stdout.write(`${JSON.stringify({ verdict: 'not-checked', reason: message }, null, 2)}\n`);
  else process.stdout.write(`verdict: NOT CHECKED — ${message}\n`);
  return 2;
}
