// `node --import tsx bench/stack.ts [EVENTS] [--export]`: times the stacking panel's query (core/query/stack.ts)
// and the streaming export (core/export) on the UI benchmark's case (bench/ui-case.ts, 5M events by
// default; built once into bench/out and reused; the export only with --export). Each stack figure
// is the median of 3 runs with a
// fresh count cache, so the filter's count(*) is part of it (the UI has usually cached it already).
// Target: ≤ 300 ms per stack (issue 13). Prints one JSON object.
import { join } from 'node:path';
import type { EventFilter, StackField } from '../core/api.ts';
import { exportEvents } from '../core/export/export-events.ts';
import { EventCountCache } from '../core/query/event-page.ts';
import { stackEvents } from '../core/query/stack.ts';
import { ensureTargetCounts } from '../core/query/target-counts.ts';
import { CaseStore } from '../core/store/case-store.ts';
import { sql } from '../core/store/sql.ts';
import { ensureUiCase } from './ui-case.ts';

const OUT = join(import.meta.dirname, 'out');
const RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return +(sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(1);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const events = Number(args.find((a) => /^\d+$/.test(a)) ?? 5_000_000);
  const uiCase = await ensureUiCase(OUT, events);
  // What an import's derived step does for each capture (core/case/derived.ts): count the targets.
  const writable = await CaseStore.open(uiCase.path, { create: false });
  const countsStarted = performance.now();
  await ensureTargetCounts(writable);
  const target_counts_s = +((performance.now() - countsStarted) / 1000).toFixed(2);
  writable.close();
  process.stderr.write(`  target counts: ${target_counts_s} s (0 when the case already had them)\n`);
  const store = await CaseStore.open(uiCase.path, { readOnly: true, create: false });
  try {
    // Ten minutes in the middle of the case: the table limited to a timeline viewport.
    const info = await store.read.one(sql`SELECT min(ts_us) AS lo, max(ts_us) AS hi FROM event_rows`, { lo: 'num', hi: 'num' });
    const mid = ((info?.lo ?? 0) + (info?.hi ?? 0)) / 2;
    const filters: Record<string, EventFilter> = {
      all: {},
      network: { categories: ['network'] },
      ten_minutes: { from_us: Math.floor(mid), to_us: Math.floor(mid + 600_000_000) },
    };
    const fields: StackField[] = ['op', 'process', 'category', 'target', 'path_prefix', 'endpoint'];
    const stack_ms: Record<string, number> = {};
    for (const [name, filter] of Object.entries(filters)) {
      for (const field of fields) {
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const started = performance.now();
          await stackEvents(store, new EventCountCache(), { filter, field, limit: 500 });
          times.push(performance.now() - started);
        }
        stack_ms[`${name}/${field}`] = median(times);
        process.stderr.write(`  stack ${name}/${field}: ${median(times)} ms\n`);
      }
    }
    let timesketch_export: Record<string, number> | null = null;
    if (args.includes('--export')) {
      let chars = 0;
      const started = performance.now();
      const { rows } = await exportEvents(store, { filter: {} }, { format: 'timesketch' }, (text) => {
        chars += text.length;
      });
      const seconds = +((performance.now() - started) / 1000).toFixed(1);
      timesketch_export = { rows, chars, seconds, rss_mb_after: Math.round(process.memoryUsage().rss / 1024 / 1024) };
    }
    process.stdout.write(`${JSON.stringify({ events, case_built_s: uiCase.build_s, target_counts_s, stack_ms, timesketch_export })}\n`);
  } finally {
    store.close();
  }
}

await main();
