import type { ImportOptions, ImportProgress } from '../../core/ingest/import-file.ts';
import { importFiles } from '../../core/ingest/import-pipeline.ts';
import type { CaptureSummary } from '../../core/store/capture-writer.ts';
import { CaseStore } from '../../core/store/case-store.ts';
import { runTriage, triageLabel, type TriageProgress } from '../../core/triage/run.ts';
import { sql } from '../../core/store/sql.ts';
import { rebuildDerived } from '../../core/case/derived.ts';
import { CliUsageError, parse, type Command } from '../command.ts';
import { progressBar, type ProgressBar } from '../progress.ts';
import { readDateBasis } from '../../core/model/date-basis.ts';

export const importCommand: Command = {
  usage: 'import CASE FILE... [--format NAME] [--date YYYY-MM-DD] [--tz ZONE] [--host NAME] [--start ISO] [--map FIELD=COLUMN,...] [--json]',
  summary: 'imports capture files into the case file CASE (created when missing); each file is all-or-nothing',
  help: `
  --format NAME   importer to use (default: detected from content; see "tracebench formats"). A file
                  detection does not settle is refused with the closest formats; the generic
                  readers csv, jsonl and textlog take any file of their shape
  --date DATE     date for captures whose times carry no date (default: the file's modification date, shown in the summary)
  --tz ZONE       zone of local times without an offset (default UTC), e.g. Europe/Berlin or +01:00
  --host NAME     host the capture was taken on (default: from the capture, where it says)
  --start ISO     start of captures with relative times (frida-trace; default: the file's modification time, shown in the summary)
  --map F=C,...   for CSV/JSON logs: which source column holds ts, op, pid, process, host, kind
  --json          print one JSON object {"captures":[...]} instead of text
  --no-triage     do not run the rules after importing (run "tracebench findings CASE --refresh" later)`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      format: { type: 'string' },
      date: { type: 'string' },
      tz: { type: 'string' },
      host: { type: 'string' },
      start: { type: 'string' },
      map: { type: 'string' },
      json: { type: 'boolean' },
      'no-triage': { type: 'boolean' },
    });
    const [casePath, ...files] = positionals;
    if (!casePath || files.length === 0) throw new CliUsageError('need a case file and at least one capture file');
    const options: ImportOptions = {
      format: values.format,
      date: values.date,
      tz: values.tz,
      host: values.host,
      start: values.start,
      map: values.map ? parseMap(values.map) : undefined,
    };
    const store = await CaseStore.open(casePath);
    const captures: CaptureSummary[] = [];
    const errors: { file: string; error: string }[] = [];
    const showBar = process.stderr.isTTY && !values.json;
    let findings: number | null = null;
    try {
      // The files parse in parallel (as the cores allow) and are written in the order given, so
      // capture ids are the same as one by one; their progress shows one file at a time.
      const bars = new Map<number, ProgressBar>();
      const results = importFiles(store, files, options, (_path, i) => ({
        onProgress: showBar
          ? (p: ImportProgress) => {
              let bar = bars.get(i);
              if (!bar) bars.set(i, (bar = progressBar(process.stderr)));
              bar.update(p.bytesDone, p.bytesTotal, `${p.fileName} ${p.events} events`);
            }
          : undefined,
      }));
      for (const [i, file] of files.entries()) {
        const result = await results[i]!;
        bars.get(i)?.done();
        if (result.status === 'fulfilled') {
          captures.push(result.value);
          if (!values.json) printSummary(result.value);
        } else {
          const err: unknown = result.reason;
          const message = err instanceof Error ? err.message : String(err);
          errors.push({ file, error: message });
          process.stderr.write(`tracebench import: ${message}\n`);
        }
      }
      if (captures.length > 0 && !values['no-triage']) {
        await rebuildDerived(store);
        // Findings are kept current with the case: the rules run over the new captures (and what
        // their correlation windows need from the others); earlier findings stay.
        const bar = showBar ? progressBar(process.stderr) : undefined;
        const triage = await runTriage(store, {
          captureIds: captures.map((c) => c.capture_id),
          onProgress: bar ? (p: TriageProgress) => bar.update(p.done, p.total, triageLabel(p)) : undefined,
        }).finally(() => bar?.done());
        findings = (await store.one(sql`SELECT count(*) AS n FROM findings`, { n: 'num' }))?.n ?? 0;
        if (!values.json) {
          process.stdout.write(`triage: ${triage.findings.length} new or updated finding(s), ${findings} over the case — see: tracebench findings ${casePath}\n`);
          for (const s of triage.skipped) process.stderr.write(`triage: rule ${s.rule} (${s.file}:${s.line}) skipped: ${s.reason}\n`);
        }
      }
    } finally {
      store.close();
    }
    if (values.json) process.stdout.write(`${JSON.stringify({ captures, errors, findings }, null, 2)}\n`);
    return errors.length > 0 ? 1 : 0;
  },
};

function parseMap(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliUsageError(`--map wants FIELD=COLUMN pairs, got "${pair}"`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

function printSummary(s: CaptureSummary): void {
  const out = process.stdout;
  out.write(`capture ${s.capture_id}: ${s.file_name} (${s.format})\n`);
  out.write(`  sha256   ${s.sha256}\n`);
  out.write(`  events   ${s.events}   rejected ${s.rejected}   continuation lines ${s.continuation_lines}\n`);
  out.write(`  time     ${s.first_ts ?? '-'} … ${s.last_ts ?? '-'}\n`);
  if (s.host) out.write(`  host     ${s.host}\n`);
  for (const b of s.date_basis ? readDateBasis(s.date_basis) : []) out.write(`  ${b.what.padEnd(8)} ${b.text}${b.assumed ? ' (assumed)' : ''}\n`);
  for (const w of s.warnings) out.write(`  warning  ${w}\n`);
  if (s.rejected > 0) out.write(`  see the rejected lines: tracebench query CASE "SELECT source_line, reason, raw FROM rejects WHERE capture_id = ${s.capture_id}"\n`);
}
