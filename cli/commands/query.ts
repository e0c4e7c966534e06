import { csvCell } from '../../core/query/csv-cell.ts';
import { runReadOnlyQuery } from '../../core/query/read-only-query.ts';
import { CaseStore } from '../../core/store/case-store.ts';
import { CliUsageError, parse, type Command } from '../command.ts';

export const queryCommand: Command = {
  usage: 'query CASE "SQL" [--json | --csv]',
  summary: 'runs one SELECT over the case (tables: events, captures, rejects, annotations, findings, …)',
  help: `
  One SELECT over the case's own tables, with an allow-list of functions; table functions, file
  reads, PRAGMA, SET, ATTACH, COPY, EXPLAIN and writes are refused. Times are UTC. With --csv,
  text cells starting with = + - @ tab or CR get a leading ' (spreadsheets show them as text).
  Example: tracebench query case.duckdb "SELECT ts, pid, target FROM events WHERE op = 'execve' ORDER BY ts"`,
  async run(argv) {
    const { values, positionals } = parse(argv, { json: { type: 'boolean' }, csv: { type: 'boolean' } });
    const [casePath, text] = positionals;
    if (!casePath || !text || positionals.length > 2) throw new CliUsageError('need a case file and one SQL string');
    if (values.json && values.csv) throw new CliUsageError('choose --json or --csv, not both');
    const store = await CaseStore.open(casePath, { readOnly: true, create: false });
    try {
      const result = await runReadOnlyQuery(store, text);
      const out = process.stdout;
      if (values.json) {
        const objects = result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c, r[i]])));
        out.write(`${JSON.stringify(objects, null, 2)}\n`);
      } else if (values.csv) {
        out.write(`${result.columns.map(csvCell).join(',')}\n`);
        for (const r of result.rows) out.write(`${r.map(csvCell).join(',')}\n`);
      } else {
        out.write(table(result.columns, result.rows));
      }
      if (result.truncated) process.stderr.write('tracebench query: output cut at 100000 rows; add a LIMIT or narrow the WHERE\n');
      return 0;
    } finally {
      store.close();
    }
  },
};

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function table(columns: string[], rows: unknown[][]): string {
  const cells = rows.map((r) => r.map((v) => text(v).replace(/[\r\n\t]/g, ' ')));
  const widths = columns.map((c, i) => Math.min(80, Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length))));
  const fmt = (r: string[]): string => r.map((v, i) => v.slice(0, widths[i]).padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const lines = [fmt(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(fmt), `(${rows.length} row${rows.length === 1 ? '' : 's'})`];
  return `${lines.join('\n')}\n`;
}
