// Issue #16's targets for the UI benchmark, the median of several runs, and the growth table
// (1 M / 3 M / 10 M events) — the printing side of bench/ui.ts.

export type RunFigures = Record<string, number | string>;

interface Target {
  /** What the issue names. */
  label: string;
  /** The run figure it is judged on. */
  key: string;
  /** Holds when the median is at most this. */
  max: number;
  unit: string;
}

export const UI_TARGETS: Target[] = [
  { label: 'first timeline paint after opening (cold)', key: 'first_paint_ms', max: 2000, unit: 'ms' },
  { label: 'pan/zoom data requests p95', key: 'p95_ms', max: 50, unit: 'ms' },
  { label: 'table page p95 (every sort column, both directions)', key: 'table_page_p95_ms', max: 30, unit: 'ms' },
  { label: 'filter change → count and first rows (slowest filter)', key: 'filter_request_max_ms', max: 300, unit: 'ms' },
  { label: 'surrounding-events query p95', key: 'surrounding_p95_ms', max: 100, unit: 'ms' },
  { label: 'renderer JS heap, max sampled', key: 'js_heap_max_sampled_mb', max: 300, unit: 'MB' },
  { label: 'backend RSS, peak', key: 'backend_peak_rss_mb', max: 1536, unit: 'MB' },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/**
 * The runs folded into one record: each numeric figure is the median (its runs listed as
 * `<key>_runs`), each text figure is the last run's. Then one `target:` line per issue target.
 */
export function summarizeRuns(runs: RunFigures[]): RunFigures {
  const out: RunFigures = { runs: runs.length };
  const last = runs.at(-1) ?? {};
  for (const key of Object.keys(last)) {
    const values = runs.map((r) => r[key]);
    if (values.every((v): v is number => typeof v === 'number')) {
      out[key] = +median(values).toFixed(1);
      if (runs.length > 1 && new Set(values).size > 1) out[`${key}_runs`] = values.join(' / ');
    } else {
      out[key] = last[key] ?? '';
    }
  }
  for (const target of UI_TARGETS) {
    const value = out[target.key];
    const verdict = typeof value !== 'number' || !Number.isFinite(value) || value < 0 ? 'NOT MEASURED' : value <= target.max ? 'PASS' : 'FAIL';
    out[`target ${target.key}`] = `${verdict}: ${target.label} ${value} ${target.unit} (≤ ${target.max})`;
  }
  return out;
}

/** The growth table (Markdown) from the median records of each size. */
export function growthTable(sizes: RunFigures[]): string {
  const columns: [string, (r: RunFigures) => string][] = [
    ['events', (r) => Number(r['events']).toLocaleString('en-US')],
    ['build s', (r) => String(r['case_build_s_recorded'])],
    ['sort keys s', (r) => String(r['case_sort_keys_s'])],
    ['case MB', (r) => (Number(r['case_bytes']) / 1024 / 1024).toFixed(0)],
    ['B/event', (r) => String(r['case_bytes_per_event'])],
    ['first paint ms', (r) => String(r['first_paint_ms'])],
    ['warm ms', (r) => String(r['first_paint_warm_ms'])],
    ['pan/zoom p95', (r) => String(r['p95_ms'])],
    ['table p95', (r) => String(r['table_page_p95_ms'])],
    ['filter max', (r) => String(r['filter_request_max_ms'])],
    ['surrounding p95', (r) => String(r['surrounding_p95_ms'])],
    ['heap MB', (r) => String(r['js_heap_max_sampled_mb'])],
    ['RSS MB', (r) => String(r['backend_peak_rss_mb'])],
  ];
  const lines = [`| ${columns.map(([name]) => name).join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`];
  for (const r of sizes) lines.push(`| ${columns.map(([, cell]) => cell(r)).join(' | ')} |`);
  return lines.join('\n');
}
