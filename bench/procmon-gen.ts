// Builds a large Procmon CSV export from the real rows of the public Procmon captures: the rows
// of both exports are repeated, in the column order of the first one's header, with their times
// advanced block by block so the file stays in time order. Written as Procmon writes it (UTF-8
// BOM, every field quoted, CRLF). Deterministic: same size → same bytes.
import { closeSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { splitOneLine } from '../core/importers/csv-split.ts';

export const PROCMON_SOURCES = [
  '/work/shared/captures/public/procmon/CompressedLogFileUTC64ProcessCSV.csv',
  '/work/shared/captures/public/procmon/CompressedLogfileTests32bitUTCCSV.slice-24361-27860.csv',
];

/** Times are kept in 100 ns ticks (Procmon's 7 decimals) since 2000-01-01, exact in a double. */
const TICKS_PER_SECOND = 10_000_000;
const TICKS_PER_DAY = 86_400 * TICKS_PER_SECOND;
const EPOCH_MS = Date.UTC(2000, 0, 1);

interface SourceRow {
  cells: string[];
  /** Absolute start, end of operation (Completion Time) in ticks. */
  at: number;
  completion: number | null;
}

interface Source {
  rows: SourceRow[];
  first: number;
  last: number;
}

/** "7:37:18.2093997 AM" → ticks since midnight. */
function todTicks(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})\.(\d{7}) ([AP]M)$/.exec(text);
  if (!m) return null;
  let h = Number(m[1]) % 12;
  if (m[5] === 'PM') h += 12;
  return (h * 3600 + Number(m[2]) * 60 + Number(m[3])) * TICKS_PER_SECOND + Number(m[4]);
}

/** "7/31/2020 7:37:18 AM" → ticks of that day's midnight. */
function dayTicks(text: string): number | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) /.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2])) - EPOCH_MS;
  return (ms / 86_400_000) * TICKS_PER_DAY;
}

function clock(ticksOfDay: number, withFraction: boolean): string {
  const secs = Math.floor(ticksOfDay / TICKS_PER_SECOND);
  const frac = ticksOfDay % TICKS_PER_SECOND;
  const h24 = Math.floor(secs / 3600);
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12;
  const mm = String(Math.floor(secs / 60) % 60).padStart(2, '0');
  const ss = String(secs % 60).padStart(2, '0');
  const f = withFraction ? `.${String(frac).padStart(7, '0')}` : '';
  return `${h12}:${mm}:${ss}${f} ${h24 < 12 ? 'AM' : 'PM'}`;
}

function dateText(ticks: number): string {
  const d = new Date(EPOCH_MS + Math.floor(ticks / TICKS_PER_DAY) * 86_400_000);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

function relative(ticks: number): string {
  const secs = Math.floor(ticks / TICKS_PER_SECOND);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(secs / 3600))}:${two(Math.floor(secs / 60) % 60)}:${two(secs % 60)}.${String(ticks % TICKS_PER_SECOND).padStart(7, '0')}`;
}

function readSource(path: string, header: string[]): Source {
  const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  const own = splitOneLine(lines[0] ?? '', ',');
  const order = header.map((name) => {
    const i = own.indexOf(name);
    if (i < 0) throw new Error(`${path}: no column "${name}"`);
    return i;
  });
  const col = (name: string): number => header.indexOf(name);
  const [tod, dt, done] = [col('Time of Day'), col('Date & Time'), col('Completion Time')];
  const rows: SourceRow[] = [];
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const mine = splitOneLine(line, ',');
    const cells = order.map((i) => mine[i] ?? '');
    const t = todTicks(cells[tod] ?? '');
    const day = dayTicks(cells[dt] ?? '');
    if (t === null || day === null) throw new Error(`${path}: unreadable time in ${line.slice(0, 80)}`);
    const c = todTicks(cells[done] ?? '');
    rows.push({ cells, at: day + t, completion: c === null ? null : day + c + (c < t ? TICKS_PER_DAY : 0) });
  }
  const times = rows.map((r) => r.at);
  return { rows, first: Math.min(...times), last: Math.max(...times) };
}

const quote = (cell: string): string => `"${cell.replaceAll('"', '""')}"`;

/** Writes a Procmon CSV of at least `targetBytes`; returns its row count. */
export function generateProcmonCsv(path: string, targetBytes: number): number {
  const headerLine = readFileSync(PROCMON_SOURCES[0] ?? '', 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  const header = splitOneLine(headerLine, ',');
  const sources = [PROCMON_SOURCES[1], PROCMON_SOURCES[0]].map((p) => readSource(p ?? '', header));
  const col = (name: string): number => header.indexOf(name);
  const [tod, dt, done, rel] = [col('Time of Day'), col('Date & Time'), col('Completion Time'), col('Relative Time')];
  const start = Math.min(...sources.map((s) => s.first));
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  let bytes = 0;
  let rows = 0;
  let cursor = start;
  const put = (text: string): void => {
    bytes += writeSync(fd, text);
  };
  put(`\uFEFF${headerLine}\r\n`);
  while (bytes < targetBytes) {
    for (const src of sources) {
      const shift = cursor - src.first;
      const out: string[] = [];
      for (const row of src.rows) {
        const at = row.at + shift;
        const cells = row.cells.slice();
        cells[tod] = clock(at % TICKS_PER_DAY, true);
        cells[dt] = `${dateText(at)} ${clock(at % TICKS_PER_DAY, false)}`;
        if (row.completion !== null) cells[done] = clock((row.completion + shift) % TICKS_PER_DAY, true);
        cells[rel] = relative(at - start);
        out.push(cells.map(quote).join(','));
        rows++;
      }
      put(`${out.join('\r\n')}\r\n`);
      cursor = src.last + shift + TICKS_PER_SECOND / 1000; // the next block starts 1 ms later
    }
  }
  closeSync(fd);
  renameSync(tmp, path);
  return rows;
}
