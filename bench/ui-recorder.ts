// The UI benchmark's view of the page's API traffic: every request with its duration, the phase
// it happened in and the backend's own time, and a wait until the timeline has settled.
import type { Page, Request } from '@playwright/test';

export const TIMELINE_METHODS = new Set(['buckets', 'timelineEvents']);

export interface ApiCall {
  method: string;
  phase: string;
  ms: number;
  /** Response end, epoch ms (to place it against the page's navigation start). */
  end_epoch_ms: number;
  /** Time span the request asked about (from_us … to_us), seconds, when it named one. */
  span_s?: number;
  /** The backend's own time for it (its Server-Timing header), ms. */
  server_ms?: number;
}

function spanOf(request: Request): number | undefined {
  try {
    const body = JSON.parse(request.postData() ?? 'null') as { from_us?: number; to_us?: number } | null;
    return body?.from_us !== undefined && body.to_us !== undefined ? (body.to_us - body.from_us) / 1e6 : undefined;
  } catch {
    return undefined;
  }
}

/** Records every API request of the page with its duration and the phase it happened in. */
export class ApiRecorder {
  phase = 'load';
  readonly calls: ApiCall[] = [];
  private readonly inFlight = new Map<Request, { method: string; started: number }>();
  private readonly waiters: { method: string; resolve(ms: number): void }[] = [];

  /** The duration of the next request of `method` to finish. */
  next(method: string): Promise<number> {
    return new Promise((resolve) => this.waiters.push({ method, resolve }));
  }

  constructor(page: Page) {
    page.on('request', (request) => {
      const method = this.methodOf(request);
      if (method) this.inFlight.set(request, { method, started: performance.now() });
    });
    page.on('requestfinished', (request) => {
      const entry = this.inFlight.get(request);
      if (!entry) return;
      this.inFlight.delete(request);
      const timing = request.timing();
      // Browser-side timing (request start → last byte); our own clock when it is missing.
      const ms = timing.responseEnd > 0 ? timing.responseEnd : performance.now() - entry.started;
      const call: ApiCall = { method: entry.method, phase: this.phase, ms, end_epoch_ms: timing.startTime + ms, span_s: spanOf(request) };
      this.calls.push(call);
      const waiter = this.waiters.findIndex((w) => w.method === entry.method);
      if (waiter >= 0) this.waiters.splice(waiter, 1)[0]?.resolve(ms);
      void request.response().then(async (response) => {
        const header = (await response?.allHeaders())?.['server-timing'];
        const dur = header ? /dur=([\d.]+)/.exec(header)?.[1] : undefined;
        if (dur !== undefined) call.server_ms = Number(dur);
      });
    });
    page.on('requestfailed', (request) => this.inFlight.delete(request));
  }

  private methodOf(request: Request): string | null {
    const m = /\/api\/(\w+)/.exec(request.url());
    return m ? (m[1] ?? null) : null;
  }

  /** True while a timeline data request is outstanding. */
  timelineBusy(): boolean {
    for (const { method } of this.inFlight.values()) if (TIMELINE_METHODS.has(method)) return true;
    return false;
  }

  anyBusy(): boolean {
    return this.inFlight.size > 0;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the timeline has no data request in flight and is not loading (past the 60 ms debounce). */
export async function settle(page: Page, recorder: ApiRecorder, all = false): Promise<void> {
  await sleep(120);
  const deadline = performance.now() + 60_000;
  let quiet = 0;
  while (performance.now() < deadline) {
    const busy = all ? recorder.anyBusy() : recorder.timelineBusy();
    const loading = await page.getAttribute('[data-testid="timeline"]', 'data-loading');
    quiet = !busy && loading !== 'true' ? quiet + 1 : 0;
    if (quiet >= 3) return;
    await sleep(25);
  }
  throw new Error('the timeline did not settle within 60 s');
}
