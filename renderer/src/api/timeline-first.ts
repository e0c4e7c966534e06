// Opening a case asks for the timeline (lanes, buckets), the table's first page, the findings
// and the annotations at once; on two cores they slow each other down and the timeline, which
// the analyst orients on first, was painted last. This wraps the API so those other start-up
// reads (and the overview strip's whole-case total) wait until the timeline has drawn its first
// data, or a short time has passed, so nothing waits on a timeline that never draws.
// Afterwards every call goes straight through. It also asks for the lane list together with the
// first caseInfo (the timeline would ask only once the workbench has rendered), and hands that
// answer to the timeline's first lanes() call.
import type { WorkbenchApi, WorkbenchMethod } from '../../../core/api.ts';

/** Reads that can follow the first timeline frame instead of competing with it. */
const AFTER_TIMELINE: ReadonlySet<WorkbenchMethod> = new Set<WorkbenchMethod>(['eventPage', 'findings', 'annotations', 'buckets']);

/** Which calls of those wait: all but the main timeline's own density requests. */
function waitsForTimeline(name: WorkbenchMethod, args: unknown): boolean {
  if (!AFTER_TIMELINE.has(name)) return false;
  // The overview strip's whole-case total (total_only) follows the main view.
  if (name === 'buckets') return typeof args === 'object' && args !== null && (args as { total_only?: boolean }).total_only === true;
  return true;
}

/** Longest a deferred call waits, from the first deferred call. */
const TIMELINE_FIRST_MAX_WAIT_MS = 1500;

export interface TimelineFirst {
  api: WorkbenchApi;
  /** Call when the timeline has drawn data (every later call is a no-op). */
  timelineDrawn(): void;
}

export function timelineFirst(api: WorkbenchApi, maxWaitMs = TIMELINE_FIRST_MAX_WAIT_MS): TimelineFirst {
  let open: () => void = () => undefined;
  let opened = false;
  const gate = new Promise<void>((resolve) => {
    open = () => {
      opened = true;
      resolve();
    };
  });
  let timer: ReturnType<typeof setTimeout> | null = null;
  const wait = (): Promise<void> => {
    if (opened) return Promise.resolve();
    timer ??= setTimeout(open, maxWaitMs);
    return gate;
  };
  let prefetch: 'not yet' | Promise<unknown> | 'used' = 'not yet';
  const wrapped = new Proxy(api, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (name === 'caseInfo' && typeof value === 'function' && prefetch === 'not yet') {
        const method = value as (args: unknown) => Promise<unknown>;
        return (args: unknown) => {
          if (prefetch === 'not yet') {
            prefetch = target.lanes({});
            prefetch.catch(() => undefined); // the timeline's own call reports a failure
          }
          return method.call(target, args);
        };
      }
      if (name === 'lanes' && typeof value === 'function' && typeof prefetch === 'object') {
        const method = value as (args: unknown) => Promise<unknown>;
        return (args: unknown) => {
          const unfiltered = typeof args === 'object' && args !== null && Object.keys(args).length === 0;
          if (!unfiltered || typeof prefetch !== 'object') return method.call(target, args);
          const first = prefetch;
          prefetch = 'used';
          return first;
        };
      }
      if (typeof value !== 'function' || !AFTER_TIMELINE.has(name as WorkbenchMethod)) return value;
      const method = value as (args: unknown) => Promise<unknown>;
      return (args: unknown) =>
        waitsForTimeline(name as WorkbenchMethod, args) ? wait().then(() => method.call(target, args)) : method.call(target, args);
    },
  });
  return {
    api: wrapped,
    timelineDrawn: () => {
      if (timer) clearTimeout(timer);
      open();
    },
  };
}
