// Identical reads asked while the same read is still in flight share one request. Opening a case,
// several panels ask at once for what each shows — the case info, the lane list, pins,
// annotations, findings, incidents — and some of them ask for the same thing; on two cores the
// duplicate answers cost the first timeline paint server time it waits for (docs/benchmarks.md).
// Only reads that change nothing are shared. Any other call (a write, opening a case, an import)
// ends the sharing of the reads then in flight, so a read asked after a write never receives an
// answer computed before it. Each caller gets its own copy of the answer: panels may keep, sort or
// extend what they receive.
import type { WorkbenchApi, WorkbenchMethod } from '../../../core/api.ts';
import { WORKBENCH_METHOD_NAMES } from './methods.ts';

/** Methods that only read the open case (or the session) and may share an answer in flight. */
export const SHARED_READS: ReadonlySet<WorkbenchMethod> = new Set<WorkbenchMethod>([
  'session', 'listCases', 'caseInfo', 'lanes', 'buckets', 'timelineEvents', 'eventPage', 'event', 'surrounding', 'guidance',
  'annotations', 'annotationTags', 'savedViews', 'findings', 'incidents', 'links', 'stack', 'processes', 'pins', 'flows', 'governance',
]);

export function coalesceReads(api: WorkbenchApi): WorkbenchApi {
  let inFlight = new Map<string, Promise<unknown>>();
  const methods = api as unknown as Record<WorkbenchMethod, (args: unknown) => Promise<unknown>>;
  const out: Record<string, (args: unknown) => Promise<unknown>> = {};
  for (const method of WORKBENCH_METHOD_NAMES) {
    const call = (args: unknown): Promise<unknown> => methods[method](args);
    if (!SHARED_READS.has(method)) {
      out[method] = (args) => {
        inFlight = new Map(); // reads already asked finish for their callers, and are not shared any more
        return call(args);
      };
      continue;
    }
    out[method] = (args) => {
      const key = `${method}\u0000${JSON.stringify(args ?? null)}`;
      const shared = inFlight.get(key);
      if (shared) return shared.then((answer) => structuredClone(answer));
      const table = inFlight;
      const request = call(args).finally(() => {
        if (table.get(key) === request) table.delete(key);
      });
      table.set(key, request);
      return request;
    };
  }
  return out as unknown as WorkbenchApi;
}
