// Opening a case asks for the timeline (lanes, buckets), the table's first page, the findings
// and the annotations at once; on two cores they slow each other down and the timeline, which
// the analyst orients on first, was painted last. This wraps the API so those other start-up
// reads wait until the timeline has drawn its first data (or a short time has passed, so
// nothing waits on a timeline that never draws). Afterwards every call goes straight through.
import type { WorkbenchApi, WorkbenchMethod } from '../../../core/api.ts';

/** Reads that can follow the first timeline frame instead of competing with it. */
const AFTER_TIMELINE: ReadonlySet<WorkbenchMethod> = new Set<WorkbenchMethod>(['eventPage', 'findings', 'annotations']);

/** Longest a deferred call waits, from the first deferred call. */
export const TIMELINE_FIRST_MAX_WAIT_MS = 1500;

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
  const wrapped = new Proxy(api, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || !AFTER_TIMELINE.has(name as WorkbenchMethod)) return value;
      const method = value as (args: unknown) => Promise<unknown>;
      return (args: unknown) => wait().then(() => method.call(target, args));
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
