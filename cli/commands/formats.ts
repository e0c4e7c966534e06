import { IMPORTERS } from '../../core/importers/registry.ts';
import { parse, type Command } from '../command.ts';

export const formatsCommand: Command = {
  usage: 'formats [--json]',
  summary: 'lists the importers and what each reads',
  async run(argv) {
    const { values } = parse(argv, { json: { type: 'boolean' } });
    const rows = IMPORTERS.map((i) => ({ format: i.format, title: i.title, reads: i.reads, version: i.version, needs_date: i.needsDate === true ? 'always' : i.needsDate ? 'when times are time-of-day only' : 'no' }));
    if (values.json) {
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    const width = Math.max(...rows.map((r) => r.format.length));
    for (const r of rows) process.stdout.write(`${r.format.padEnd(width)}  ${r.title}\n${' '.repeat(width)}  reads: ${r.reads}\n`);
    return 0;
  },
};
