// `tracebench export`: the case's events (or those an analyst's WHERE condition keeps) as
// Timesketch JSONL, CSV or JSON Lines, streamed to a file: a case of millions of events is
// never held in memory. Written to FILE.partial and renamed when complete, so a failed or
// refused export never leaves a file that looks whole.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { exportEvents } from '../../core/export/export-events.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../../core/export/event-lines.ts';
import { CaseStore } from '../../core/store/case-store.ts';
import { CliUsageError, parse, type Command } from '../command.ts';

export const exportCommand: Command = {
  usage: 'export CASE --format timesketch|csv|jsonl [--filter SQL-WHERE] --out FILE',
  summary: "writes the case's events as Timesketch JSONL, CSV or JSON Lines, in time order",
  help: `
  --format timesketch  JSONL for Timesketch's "import from JSON or CSV": message, datetime
                       (ISO 8601 UTC), timestamp (µs), timestamp_desc "Event Time", and the event's
                       columns (capture, host, pid, process, kind, op, category, target, …)
  --format csv         every column; text cells starting with = + - @ tab or CR get a leading '
  --format jsonl       one JSON object per event
  --filter             a WHERE condition over the events table, checked like the query console's
                       SELECTs (no file reads, no writes), e.g. --filter "op = 'connect' AND error IS NULL"`,
  async run(argv) {
    const { values, positionals } = parse(argv, { format: { type: 'string' }, filter: { type: 'string' }, out: { type: 'string' } });
    const [casePath] = positionals;
    if (!casePath || positionals.length !== 1) throw new CliUsageError('need exactly one case file');
    if (!values.out) throw new CliUsageError('--out FILE is required');
    const format = values.format as ExportFormat | undefined;
    if (!format || !EXPORT_FORMATS.includes(format)) throw new CliUsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
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
