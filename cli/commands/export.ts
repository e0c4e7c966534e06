// `tracebench export`: the case's events (or those an analyst's WHERE condition keeps) as
// Timesketch JSONL, CSV or JSON Lines, streamed to a file: a case of millions of events is
// never held in memory. Written to FILE.partial and renamed when complete, so a failed or
// refused export never leaves a file that looks whole.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { exportEvents } from '../../core/export/export-events.ts';
import { exportParquetDataset } from '../../core/export/parquet-dataset.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../../core/export/event-lines.ts';
import { CaseStore } from '../../core/store/case-store.ts';
import { CliUsageError, parse, type Command } from '../command.ts';

export const exportCommand: Command = {
  usage: 'export CASE --format timesketch|csv|jsonl|parquet [--filter SQL-WHERE] --out FILE|DIR',
  summary: "writes the case's events as Timesketch JSONL, CSV or JSON Lines in time order, or the whole case as a Parquet dataset",
  help: `
  --format timesketch  JSONL for Timesketch's "import from JSON or CSV": message, datetime
                       (ISO 8601 UTC), timestamp (µs), timestamp_desc "Event Time", and the event's
                       columns (capture, host, pid, process, kind, op, category, target, …)
  --format csv         every column; text cells starting with = + - @ tab or CR get a leading '
  --format jsonl       one JSON object per event
  --format parquet     the whole case as a folder DuckDB, Spark or Trino read as it is: events
                       partitioned by capture and day (events/capture_id=N/day=YYYY-MM-DD/),
                       every other table in tables/, tracebench-dataset.json with each file's
                       SHA-256; \`tracebench serve DIR\` opens it read-only (--filter not allowed)
  --filter             a WHERE condition over the events table, checked like the query console's
                       SELECTs (no file reads, no writes), e.g. --filter "op = 'connect' AND error IS NULL"`,
  async run(argv) {
    const { values, positionals } = parse(argv, { format: { type: 'string' }, filter: { type: 'string' }, out: { type: 'string' } });
    const [casePath] = positionals;
    if (!casePath || positionals.length !== 1) throw new CliUsageError('need exactly one case file');
    if (!values.out) throw new CliUsageError('--out FILE is required');
    if (values.format === 'parquet') {
      if (values.filter !== undefined) throw new CliUsageError('--filter does not apply to a Parquet dataset: it holds the whole case');
      const { dir, manifest } = await exportParquetDataset(casePath, values.out, (step) => process.stderr.write(`writing ${step}…\n`));
      process.stderr.write(`${manifest.events} events in ${manifest.partitions.length} partitions and ${Object.keys(manifest.tables).length} tables written to ${dir}\n`);
      return 0;
    }
    const format = values.format as ExportFormat | undefined;
    if (!format || !EXPORT_FORMATS.includes(format)) throw new CliUsageError(`--format must be one of ${[...EXPORT_FORMATS, 'parquet'].join(', ')}`);
    const out = resolve(values.out);
    const partial = `${out}.partial`;
    const store = await CaseStore.open(casePath, { readOnly: true, create: false });
    const file = createWriteStream(partial);
    try {
      const source = values.filter === undefined ? { filter: {} } : { where: values.filter };
      const { rows } = await exportEvents(store, source, { format }, async (text) => {
        if (!file.write(text)) await once(file, 'drain');
      });
      file.end();
      await once(file, 'finish');
      await rename(partial, out);
      process.stderr.write(`${rows} event${rows === 1 ? '' : 's'} written to ${out}\n`);
      return 0;
    } catch (err) {
      file.destroy();
      await rm(partial, { force: true });
      throw err;
    } finally {
      store.close();
    }
  },
};
