// `npm run bench -- ui`: the UI in a real browser against a 10M-event case (bench/ui-case.ts).
// Starts `tracebench serve CASE --port 0`, opens it in Debian's Chromium through Playwright and
// measures, as the analyst would see it:
//   1. first_paint_ms: navigation start → the first frame of the main timeline drawn with data
//      (the canvas's data-drawn-mode/data-drawn-at, set by Timeline.tsx after each draw, with
//      the lanes known so something is on screen); cold (fresh server) and after a reload (warm);
//   2. pan/zoom: ~50 wheel zooms and drags on the lanes canvas, each left to settle; the
//      duration of every /api/buckets and /api/timelineEvents request they cause
//      (Playwright request timing: request start → response end), p50/p95/max;
//   3. js_heap_mb: the renderer's used JS heap after the interaction (CDP Performance.getMetrics),
//      also after a forced GC; and the backend's peak RSS.
//   4. table pages (every sort column, forward pages), filter changes (typed in the filter box and
//      as cell conditions), the surrounding-events query (bench/ui-interact.ts);
//   5. the renderer's JS heap and the backend's RSS sampled throughout (max), case bytes per event.
// Median of BENCH_UI_RUNS (default 3) runs with PASS/FAIL per issue #16 target (bench/ui-targets.ts).
// Env: BENCH_UI_EVENTS (default 10 000 000), BENCH_UI_GROWTH=1 or `--growth` for 1 M / 3 M / 10 M
// and the growth table, BENCH_UI_HEADED=1 to watch. BENCH_UI_PANZOOM_ONLY=1: first paint, pan/zoom
// and memory only (no table pages, filters or surrounding queries: their figures print -1), for
// A/B runs of the timeline's requests.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { ApiRecorder, settle, sleep, TIMELINE_METHODS } from './ui-recorder.ts';
import { ensureUiCase, type UiCase } from './ui-case.ts';
import { filterChanges, startMemorySampler, surroundingQueries, tablePages } from './ui-interact.ts';
import { growthTable, summarizeRuns, type RunFigures } from './ui-targets.ts';
import { mulberry32 } from '../core/testing/prng.ts';
import { ensureRendererBuilt } from '../bin/renderer-build.mjs';
import { startServeProcess, stopServeProcess, type ServeProcess } from '../core/testing/serve-process.ts';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(import.meta.dirname, 'out');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const VIEWPORT = { width: 1600, height: 1000 };
const MB = 1024 * 1024;

function log(line: string): void {
  process.stderr.write(`  ui: ${line}\n`);
}


interface Server extends ServeProcess {
  startup_ms: number;
}

async function startServe(casePath: string, home: string): Promise<Server> {
  const started = performance.now();
  const server = await startServeProcess({
    args: [casePath, '--workspace', join(home, 'cases')],
    env: { ...process.env, TRACEBENCH_HOME: home },
    timeoutMs: 120_000,
    onStderr: (text) => process.stderr.write(text),
  });
  return { ...server, startup_ms: Math.round(performance.now() - started) };
}

/** VmHWM / VmRSS of a process in MB (Linux), or -1. */
function rssMb(pid: number | undefined, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : -1;
  } catch {
    return -1;
  }
}

/** The case file and its WAL, bytes. */
function fileBytes(path: string): number {
  return statSync(path).size + (existsSync(`${path}.wal`) ? statSync(`${path}.wal`).size : 0);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

/** Installed before the page's scripts: notes the first draw of the lanes canvas with data. */
const FIRST_DRAW_PROBE = `(() => {
  window.__tbFirstDataDraw = null;
  new MutationObserver((records) => {
    if (window.__tbFirstDataDraw !== null) return;
    for (const r of records) {
      const c = r.target;
      if (c.tagName === 'CANVAS' && c.getAttribute('data-drawn-mode') && c.getAttribute('data-drawn-mode') !== 'none' && c.height > 1) {
        window.__tbFirstDataDraw = { at: Number(c.getAttribute('data-drawn-at')), mode: c.getAttribute('data-drawn-mode') };
        return;
      }
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-drawn-at', 'data-drawn-mode'] });
})();`;

interface FirstDraw {
  at: number;
  mode: string;
  painted_px: number;
}

async function firstDataDraw(page: Page): Promise<FirstDraw> {
  // Page-side code runs in the browser; this file is compiled without the DOM library, hence the
  // structural types. (Passing it as text is refused: the page's CSP forbids eval.)
  const handle = await page.waitForFunction(() => (globalThis as unknown as { __tbFirstDataDraw: unknown }).__tbFirstDataDraw, undefined, {
    timeout: 120_000,
  });
  const first = (await handle.jsonValue()) as { at: number; mode: string };
  // Sanity check that the drawn frame is not blank: pixels clearly above the lane background.
  const painted = await page.evaluate(() => {
    interface Canvas2d {
      width: number;
      height: number;
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    }
    const doc = (globalThis as unknown as { document: { querySelector(s: string): Canvas2d | null } }).document;
    const canvas = doc.querySelector('[data-testid="timeline-canvas"] canvas');
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return 0;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 40) n++;
    return n;
  });
  return { ...first, painted_px: painted };
}


interface GestureStats {
  gestures: number;
  wheel: number;
  drags: number;
  /** Gesture end → timeline settled with fresh data, ms (includes the 60 ms debounce). */
  settle_ms: number[];
  modes: Record<string, number>;
  narrowest_span_ms: number;
}

/** 25 wheel zooms (16 in, 5 out, 4 in) each followed by a drag pan, on the lanes canvas. */
async function panAndZoom(page: Page, recorder: ApiRecorder): Promise<GestureStats> {
  const canvas = page.locator('[data-testid="timeline-canvas"]');
  const box = await canvas.boundingBox();
  if (!box) throw new Error('no timeline canvas on the page');
  const random = mulberry32(20261126);
  const y = box.y + Math.min(box.height - 5, 40);
  const zooms = [...Array<number>(16).fill(-400), ...Array<number>(5).fill(400), ...Array<number>(4).fill(-400)];
  const stats: GestureStats = { gestures: 0, wheel: 0, drags: 0, settle_ms: [], modes: {}, narrowest_span_ms: Infinity };
  const note = async (started: number) => {
    await settle(page, recorder);
    stats.settle_ms.push(performance.now() - started);
    const mode = (await page.getAttribute('[data-testid="timeline"]', 'data-mode')) ?? 'none';
    stats.modes[mode] = (stats.modes[mode] ?? 0) + 1;
    stats.gestures++;
  };
  for (const deltaY of zooms) {
    // Wheel zoom about a point in the middle 80 % of the canvas.
    const x = box.x + box.width * (0.1 + 0.8 * random());
    await page.mouse.move(x, y);
    await page.mouse.wheel(0, deltaY);
    await note(performance.now());
    stats.wheel++;
    // Drag pan by 100–300 px either way.
    const from = box.x + box.width * (0.3 + 0.4 * random());
    const dx = (100 + 200 * random()) * (random() < 0.5 ? -1 : 1);
    await page.mouse.move(from, y);
    await page.mouse.down();
    await page.mouse.move(from + dx, y, { steps: 10 });
    await page.mouse.up();
    await note(performance.now());
    stats.drags++;
  }
  const status = (await page.textContent('[data-testid="timeline-status"]')) ?? '';
  log(`after the gestures: ${status.trim()}`);
  return stats;
}

/** Starts the renderer's CPU profiler (finer sampling than DevTools' default); `stop` writes the
 * profile into bench/out for Chrome DevTools. */
async function startCpuProfile(page: Page): Promise<{ stop(file: string, what: string): Promise<void> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return {
    async stop(file, what) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(join(OUT, file), JSON.stringify(profile));
      log(`renderer CPU profile of ${what}: ${join(OUT, file)}`);
      await cdp.detach();
    },
  };
}

async function heap(page: Page): Promise<{ used_mb: number; total_mb: number; used_after_gc_mb: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
    return { used: get('JSHeapUsedSize') / MB, total: get('JSHeapTotalSize') / MB };
  };
  const before = await read();
  await cdp.send('HeapProfiler.collectGarbage');
  const after = await read();
  await cdp.detach();
  return { used_mb: +before.used.toFixed(1), total_mb: +before.total.toFixed(1), used_after_gc_mb: +after.used.toFixed(1) };
}

function stats(values: number[]): { n: number; p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: Math.round(percentile(sorted, 50)), p95: Math.round(percentile(sorted, 95)), max: Math.round(sorted.at(-1) ?? NaN) };
}

/** One run: a fresh server on the case, a fresh browser; every figure of the issue. */
async function runOnce(uiCase: UiCase, events: number): Promise<Record<string, number | string>> {
  const home = mkdtempSync(join(tmpdir(), 'tracebench-bench-ui-'));
  const server = await startServe(uiCase.path, home).catch((error: unknown) => {
    rmSync(home, { recursive: true, force: true });
    throw error;
  });
  log(`serve up in ${server.startup_ms} ms: ${server.url.replace(/token=.*/, 'token=…')}`);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: process.env['BENCH_UI_HEADED'] !== '1' });
  try {
    const context = await browser.newContext({ viewport: VIEWPORT });
    await context.addInitScript(FIRST_DRAW_PROBE);
    const page = await context.newPage();
    const recorder = new ApiRecorder(page);
    const memorySampler = startMemorySampler(page, server.child.pid);

    // 1. First paint, cold (the server has not answered a query yet), then warm (reload).
    // BENCH_UI_PROFILE=load: the renderer's CPU profile from navigation to the first paint.
    const loadProfile = process.env['BENCH_UI_PROFILE'] === 'load' ? await startCpuProfile(page) : null;
    await page.goto(server.url, { waitUntil: 'commit' });
    const cold = await firstDataDraw(page);
    if (loadProfile) await loadProfile.stop('ui-load.cpuprofile', 'the cold start');
    const timeOrigin = await page.evaluate(() => (globalThis as unknown as { performance: { timeOrigin: number } }).performance.timeOrigin);
    const answeredAt = (method: string) => {
      const ends = recorder.calls.filter((c) => c.phase === 'load' && c.method === method).map((c) => c.end_epoch_ms - timeOrigin);
      return ends.length > 0 ? Math.round(Math.min(...ends)) : -1;
    };
    const coldLanesAt = answeredAt('lanes');
    // Every start-up call, in the order answered: [method answered-at (took) ms].
    const coldCalls = recorder.calls
      .filter((c) => c.phase === 'load')
      .map((c) => ({ method: c.method, end: Math.round(c.end_epoch_ms - timeOrigin), ms: Math.round(c.ms) }))
      .sort((a, b) => a.end - b.end);
    log(`start-up calls (answered at, took): ${coldCalls.map((c) => `${c.method} ${c.end} (${c.ms})`).join(', ')}`);
    const coldBucketsAt = answeredAt('buckets');
    log(`first timeline paint (cold): ${cold.at} ms, ${cold.mode}, ${cold.painted_px} painted pixels`);
    await settle(page, recorder, true);
    // The table's first page follows the first timeline frame (renderer/src/api/timeline-first.ts).
    const caseEvents = Number(await page.getAttribute('[data-testid="events-table"]', 'data-total').catch(() => null));
    recorder.phase = 'reload';
    await page.reload({ waitUntil: 'commit' });
    const warm = await firstDataDraw(page);
    log(`first timeline paint (warm reload): ${warm.at} ms`);
    await settle(page, recorder, true);
    await sleep(500);
    await settle(page, recorder, true);
    const loadCalls = recorder.calls.filter((c) => c.phase === 'load');

    // 2. Pan and zoom.
    recorder.phase = 'interact';
    // BENCH_UI_PROFILE=1: the renderer's CPU profile of the gestures; BENCH_UI_TRACE=1: the
    // browser's trace (layout, paint, raster…). Both open in Chrome DevTools.
    const gestureProfile = process.env['BENCH_UI_PROFILE'] === '1' ? await startCpuProfile(page) : null;
    const tracing = process.env['BENCH_UI_TRACE'] === '1';
    if (tracing) await browser.startTracing(page, { path: join(OUT, 'ui-gestures.trace.json'), categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', ...(process.env['BENCH_UI_TRACE_INVALIDATION'] === '1' ? ['disabled-by-default-devtools.timeline.invalidationTracking'] : [])] });
    const gestures = await panAndZoom(page, recorder);
    if (tracing) {
      await browser.stopTracing();
      log(`browser trace of the gestures: ${join(OUT, 'ui-gestures.trace.json')}`);
    }
    if (gestureProfile) await gestureProfile.stop('ui-gestures.cpuprofile', 'the gestures');
    await page.screenshot({ path: join(OUT, 'ui-bench.png') });
    const requests = recorder.calls.filter((c) => c.phase === 'interact' && TIMELINE_METHODS.has(c.method));
    const all = stats(requests.map((c) => c.ms));
    const buckets = stats(requests.filter((c) => c.method === 'buckets').map((c) => c.ms));
    const detail = stats(requests.filter((c) => c.method === 'timelineEvents').map((c) => c.ms));
    const settleStats = stats(gestures.settle_ms);
    // Every pan/zoom request in order (method, ms, server ms, span), for a look at what each gesture asked.
    writeFileSync(join(OUT, 'ui-panzoom-requests.json'), JSON.stringify(requests, null, 1));

    // 3. Memory.
    const memory = await heap(page);
    const backendPeak = rssMb(server.child.pid, 'VmHWM');
    const slowestLoad = [...loadCalls].sort((a, b) => b.ms - a.ms).slice(0, 4);
    const slowestInteract = [...requests].sort((a, b) => b.ms - a.ms).slice(0, 8);
    const interactByMethod = new Map<string, number[]>();
    for (const c of recorder.calls.filter((x) => x.phase === 'interact')) interactByMethod.set(c.method, [...(interactByMethod.get(c.method) ?? []), c.ms]);
    log(`calls while panning and zooming: ${[...interactByMethod].map(([m, v]) => `${m} ×${v.length} (p50 ${Math.round(stats(v).p50)} ms)`).join(', ')}`);

    // 4. Table pages, filter changes, surrounding events.
    const panZoomOnly = process.env['BENCH_UI_PANZOOM_ONLY'] === '1';
    recorder.phase = 'table';
    const pages = panZoomOnly ? { ms: [-1], ms_first_set: [-1], by_sort: {} } : await tablePages(page);
    const tableStats = stats(pages.ms);
    const firstSetStats = stats(pages.ms_first_set);
    log(`table pages: p50 ${tableStats.p50} ms, p95 ${tableStats.p95} ms (ascending and time descending only: p95 ${firstSetStats.p95} ms); slowest page per sort: ${Object.entries(pages.by_sort).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    recorder.phase = 'filter';
    const filters = panZoomOnly ? [] : await filterChanges(page, () => recorder.next('eventPage'));
    log(`filter changes: ${filters.map((f) => `${f.what} → ${f.total.toLocaleString()} in ${Math.round(f.request_ms)} ms${f.typed_to_count_ms === undefined ? '' : ` (typed→count ${Math.round(f.typed_to_count_ms)} ms)`}`).join('; ')}`);
    const filterStats = stats(filters.map((f) => f.request_ms));
    const typedStats = stats(filters.flatMap((f) => (f.typed_to_count_ms === undefined ? [] : [f.typed_to_count_ms])));
    recorder.phase = 'surrounding';
    const surrounding = panZoomOnly ? { ms: [-1], found: [] } : await surroundingQueries(page, events);
    const surroundingStats = stats(surrounding.ms);
    log(`surrounding: p50 ${surroundingStats.p50} ms, p95 ${surroundingStats.p95} ms (${surrounding.found.join(', ')} events)`);
    const sampled = await memorySampler.stop();
    const caseBytes = fileBytes(uiCase.path);

    return {
      events: events,
      case_bytes: caseBytes,
      case_bytes_per_event: +(caseBytes / events).toFixed(1),
      table_total: Number.isFinite(caseEvents) ? caseEvents : -1,
      case_built_s: uiCase.build_s,
      case_build_s_recorded: uiCase.recorded_build_s ?? -1,
      case_sort_keys_s: uiCase.sort_keys_s ?? -1,
      serve_startup_ms: server.startup_ms,
      first_paint_ms: cold.at,
      first_paint_mode: cold.mode,
      first_paint_lanes_answered_ms: coldLanesAt,
      first_paint_buckets_answered_ms: coldBucketsAt,
      first_paint_warm_ms: warm.at,
      load_slowest_calls: slowestLoad.map((c) => `${c.method} ${Math.round(c.ms)}`).join(', '),
      interact_slowest_calls: slowestInteract
        .map((c) => `${c.method} ${Math.round(c.ms)} (server ${c.server_ms === undefined ? '?' : Math.round(c.server_ms)}; ${c.span_s === undefined ? '?' : c.span_s < 120 ? `${c.span_s.toFixed(1)} s` : `${(c.span_s / 60).toFixed(1)} min`})`)
        .join(', '),
      server_p95_ms: stats(requests.flatMap((c) => (c.server_ms === undefined ? [] : [c.server_ms]))).p95,
      gestures: `${gestures.gestures} (${gestures.wheel} wheel, ${gestures.drags} drag; settled in ${Object.entries(gestures.modes).map(([m, n]) => `${m} ${n}`).join(', ')})`,
      pan_zoom_requests: all.n,
      p50_ms: all.p50,
      p95_ms: all.p95,
      max_ms: all.max,
      buckets_requests: buckets.n,
      buckets_p50_ms: buckets.p50,
      buckets_p95_ms: buckets.p95,
      timeline_events_requests: detail.n,
      timeline_events_p50_ms: detail.p50,
      timeline_events_p95_ms: detail.p95,
      gesture_to_data_p50_ms: settleStats.p50,
      gesture_to_data_p95_ms: settleStats.p95,
      js_heap_mb: memory.used_mb,
      js_heap_total_mb: memory.total_mb,
      js_heap_after_gc_mb: memory.used_after_gc_mb,
      backend_peak_rss_mb: backendPeak,
      js_heap_max_sampled_mb: sampled.heap_max_mb,
      backend_rss_max_sampled_mb: sampled.rss_max_mb,
      table_pages: tableStats.n,
      table_page_p50_ms: tableStats.p50,
      table_page_p95_ms: tableStats.p95,
      table_page_max_ms: tableStats.max,
      table_page_p95_first_set_ms: firstSetStats.p95,
      table_page_slowest_by_sort: Object.entries(pages.by_sort).map(([k, v]) => `${k} ${v}`).join(', '),
      filter_request_p50_ms: filterStats.p50,
      filter_request_max_ms: filterStats.max,
      filter_typed_to_count_max_ms: typedStats.max,
      filter_requests: filters.map((f) => `${f.what} ${Math.round(f.request_ms)}`).join(', '),
      surrounding_p50_ms: surroundingStats.p50,
      surrounding_p95_ms: surroundingStats.p95,
      surrounding_max_ms: surroundingStats.max,
    };
  } finally {
    await browser.close();
    await stopServeProcess(server.child);
    rmSync(home, { recursive: true, force: true });
  }
}

const GROWTH_SIZES = [1_000_000, 3_000_000, 10_000_000];

/** Runs (BENCH_UI_RUNS, default 3) on one case size, each with a fresh server and browser; the median. */
async function benchSize(events: number): Promise<RunFigures> {
  const uiCase = await ensureUiCase(OUT, events);
  log(uiCase.built ? `built ${uiCase.path} in ${uiCase.build_s} s` : `reusing ${uiCase.path}`);
  const runs: RunFigures[] = [];
  const count = Math.max(1, Number(process.env['BENCH_UI_RUNS'] ?? 3));
  for (let run = 1; run <= count; run++) {
    const load = loadavg().map((l) => l.toFixed(2)).join(' ');
    log(`${events.toLocaleString()} events, run ${run} of ${count} (load ${load})`);
    const figures = await runOnce(uiCase, events);
    runs.push({ ...figures, load_before: load });
    process.stderr.write(`  ui: run ${run}: ${JSON.stringify(figures)}\n`);
  }
  return { ...summarizeRuns(runs), load_before_runs: runs.map((r) => r['load_before']).join(' | ') };
}

/**
 * `npm run bench -- ui`: BENCH_UI_EVENTS events (default 10 M), median of BENCH_UI_RUNS runs with
 * PASS/FAIL per target. With `--growth` (or BENCH_UI_GROWTH=1): 1 M, 3 M and 10 M events and the
 * growth table.
 */
export async function uiBench(): Promise<Record<string, number | string>> {
  mkdirSync(OUT, { recursive: true });
  if (!ensureRendererBuilt(ROOT, log)) throw new Error('the renderer could not be built');
  const growth = process.argv.includes('--growth') || process.env['BENCH_UI_GROWTH'] === '1';
  if (!growth) return benchSize(Number(process.env['BENCH_UI_EVENTS'] ?? 10_000_000));
  const sizes: RunFigures[] = [];
  const out: RunFigures = {};
  for (const events of GROWTH_SIZES) {
    const figures = await benchSize(events);
    sizes.push(figures);
    for (const [key, value] of Object.entries(figures)) out[`${events / 1_000_000}M ${key}`] = value;
  }
  const table = growthTable(sizes);
  writeFileSync(join(OUT, 'ui-growth.md'), `${table}\n`);
  process.stdout.write(`\n## ui growth (medians; also in ${join(OUT, 'ui-growth.md')})\n${table}\n`);
  return out;
}
