// The UI benchmark's table, filter and surrounding-events phases (bench/ui.ts), and the sampler of
// renderer heap and backend RSS that runs through a whole run. Requests are made by the page
// itself — either by the UI (typing in the filter box) or by a fetch from the page with the
// same method, arguments and token header the UI's transport sends (renderer/src/api/http.ts) —
// so every duration includes the browser's HTTP round trip, as the analyst would wait for it.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { SORTABLE_COLUMNS, type EventFilter, type EventPageRequest, type SurroundingRequest } from '../core/api.ts';
import { mulberry32 } from '../core/testing/prng.ts';

const MB = 1024 * 1024;
/** The table's page size (renderer/src/table/pages.ts). */
const PAGE_ROWS = 200;
/** Forward pages read per sort column, as a scroll down the first screens would. */
const FORWARD_PAGES = 5;
/** The surrounding panel's request (renderer/src/panels/SurroundingPanel.tsx). */
const SURROUNDING_WINDOW_US = 5_000_000;
const SURROUNDING_LIMIT = 200;
/** The filter box's typing debounce (renderer/src/table/FilterBar.tsx). */
export const FILTER_DEBOUNCE_MS = 250;

export interface Timed<T> {
  ms: number;
  result: T;
}

/** One WorkbenchApi call made by the page (fetch with the tab's token), timed in the page. */
export async function callFromPage<T>(page: Page, method: string, args: unknown): Promise<Timed<T>> {
  const answer = await page.evaluate(
    async ({ method, args }) => {
      const g = globalThis as unknown as {
        sessionStorage: { getItem(key: string): string | null };
        performance: { now(): number };
        fetch(url: string, init: unknown): Promise<{ json(): Promise<{ ok: boolean; result?: unknown; error?: unknown }> }>;
      };
      const started = g.performance.now();
      const response = await g.fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Tracebench-Token': g.sessionStorage.getItem('tracebench-token') ?? '' },
        body: JSON.stringify(args),
        credentials: 'omit',
      });
      const body = await response.json();
      return { ms: g.performance.now() - started, ok: body.ok, result: body.result, error: body.error };
    },
    { method, args },
  );
  if (!answer.ok) throw new Error(`${method} failed in the page: ${JSON.stringify(answer.error)}`);
  return { ms: answer.ms, result: answer.result as T };
}

/** Max renderer JS heap and backend RSS, sampled every `everyMs` until stopped. */
export function startMemorySampler(page: Page, backendPid: number | undefined, everyMs = 250): { stop(): Promise<{ heap_max_mb: number; rss_max_mb: number }> } {
  let heapMax = 0;
  let rssMax = 0;
  let stopped = false;
  const cdpReady = page
    .context()
    .newCDPSession(page)
    .then(async (cdp) => {
      await cdp.send('Performance.enable');
      return cdp;
    });
  const sampleRss = () => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${backendPid}/status`, 'utf8'));
      if (m) rssMax = Math.max(rssMax, Number(m[1]) / 1024);
    } catch {
      // the process is gone: nothing to sample
    }
  };
  const loop = (async () => {
    const cdp = await cdpReady;
    while (!stopped) {
      sampleRss();
      try {
        const { metrics } = await cdp.send('Performance.getMetrics');
        const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value;
        if (used !== undefined) heapMax = Math.max(heapMax, used / MB);
      } catch {
        if (page.isClosed()) break;
        // a navigation in progress: sample again next time
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
    await cdp.detach().catch(() => undefined);
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      sampleRss();
      return { heap_max_mb: +heapMax.toFixed(1), rss_max_mb: Math.round(rssMax) };
    },
  };
}

interface PageAnswer {
  rows: { event_id: number }[];
  total: number;
}

/**
 * Forward pages of the unfiltered table sorted by each column the table offers, in both
 * directions (a header click sorts ascending, a second one descending). `ms_first_set` holds the
 * pages of the set measured before 2026-12-04 (every column ascending, and time descending), so
 * that earlier figures stay comparable.
 */
export async function tablePages(page: Page): Promise<{ ms: number[]; ms_first_set: number[]; by_sort: Record<string, number> }> {
  const sorts: NonNullable<EventPageRequest['sort']>[] = [
    ...SORTABLE_COLUMNS.map((column) => ({ column, desc: false })),
    { column: 'ts_us', desc: true },
    ...SORTABLE_COLUMNS.filter((column) => column !== 'ts_us').map((column) => ({ column, desc: true })),
  ];
  const all: number[] = [];
  const firstSet: number[] = [];
  const bySort: Record<string, number> = {};
  for (const sort of sorts) {
    const times: number[] = [];
    for (let p = 0; p < FORWARD_PAGES; p++) {
      const request: EventPageRequest = { filter: {}, sort, offset: p * PAGE_ROWS, limit: PAGE_ROWS };
      const answer = await callFromPage<PageAnswer>(page, 'eventPage', request);
      if (answer.result.rows.length !== PAGE_ROWS) throw new Error(`eventPage sorted by ${sort.column} gave ${answer.result.rows.length} rows`);
      times.push(answer.ms);
    }
    all.push(...times);
    if (!sort.desc || sort.column === 'ts_us') firstSet.push(...times);
    bySort[`${sort.column}${sort.desc ? ' desc' : ''}`] = Math.round(Math.max(...times));
  }
  return { ms: all, ms_first_set: firstSet, by_sort: bySort };
}

interface FilterTiming {
  what: string;
  /** The eventPage request carrying the new filter (its answer holds the count and the first rows). */
  request_ms: number;
  /** Last keystroke → the table shows the new count (includes the typing debounce), UI filters only. */
  typed_to_count_ms?: number;
  total: number;
}

async function tableTotal(page: Page): Promise<string> {
  return (await page.getAttribute('[data-testid="events-table"]', 'data-total')) ?? '';
}

/**
 * Filters as the analyst types them in the filter box (op, process, free text), each then cleared,
 * and host / pid filters as the table's cell menu adds them ("filter to this value").
 * `nextEventPageMs` resolves with the duration of the next eventPage request the UI makes.
 */
export async function filterChanges(page: Page, nextEventPageMs: () => Promise<number>): Promise<FilterTiming[]> {
  const typed: { input: string; value: string }[] = [
    { input: 'filter-op', value: 'openat' },
    { input: 'filter-op', value: 'connect, execve' },
    { input: 'filter-process', value: 'modbus' },
    { input: 'filter-text', value: 'ENOENT' },
    { input: 'filter-text', value: 'tag_42' },
  ];
  const out: FilterTiming[] = [];
  for (const { input, value } of typed) {
    const before = await tableTotal(page);
    const box = page.getByTestId(input);
    const request = nextEventPageMs();
    const started = performance.now();
    await box.fill(value);
    const ms = await request;
    await page.waitForFunction((previous) => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } }).document;
      const total = doc.querySelector('[data-testid="events-table"]')?.getAttribute('data-total');
      return total !== null && total !== undefined && total !== '' && total !== previous;
    }, before);
    const typedToCount = performance.now() - started;
    out.push({ what: `${input.replace('filter-', '')} "${value}"`, request_ms: ms, typed_to_count_ms: typedToCount, total: Number(await tableTotal(page)) });
    const clearing = nextEventPageMs();
    await box.fill('');
    await clearing;
  }
  // Cell conditions: the first row's host and pid, as "filter to this value" would add them.
  const first = await callFromPage<PageAnswer & { rows: { host: string | null; pid: number | null }[] }>(page, 'eventPage', { filter: {}, offset: 0, limit: 1 });
  const row = first.result.rows[0];
  const cells: [string, EventFilter][] = [];
  if (row?.host) cells.push([`host = ${row.host}`, { cells: [{ column: 'host', value: row.host }] }]);
  if (row?.pid !== null && row?.pid !== undefined) cells.push([`pid = ${row.pid}`, { cells: [{ column: 'pid', value: row.pid }] }]);
  if (row?.host) cells.push([`host ≠ ${row.host}, failed`, { cells: [{ column: 'host', value: row.host, exclude: true }], failed_only: true }]);
  for (const [what, filter] of cells) {
    const answer = await callFromPage<PageAnswer>(page, 'eventPage', { filter, offset: 0, limit: PAGE_ROWS });
    out.push({ what, request_ms: answer.ms, total: answer.result.total });
  }
  return out;
}

/** The surrounding panel's query around events spread over the case (ids 1…events). */
export async function surroundingQueries(page: Page, events: number, count = 12): Promise<{ ms: number[]; found: number[] }> {
  const random = mulberry32(1626);
  const ms: number[] = [];
  const found: number[] = [];
  for (let i = 0; i < count; i++) {
    const request: SurroundingRequest = {
      event_id: 1 + Math.floor(random() * events),
      window_us: SURROUNDING_WINDOW_US,
      limit: SURROUNDING_LIMIT,
      other_captures_only: i % 3 !== 2,
    };
    const answer = await callFromPage<{ events: unknown[] }>(page, 'surrounding', request);
    ms.push(answer.ms);
    found.push(answer.result.events.length);
  }
  return { ms, found };
}
