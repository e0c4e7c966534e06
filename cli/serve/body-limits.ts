// How large a JSON body each API method may send. Most calls carry a few ids; import options
// (display name, format, date, host) a few kB; filters and lane lists more; only annotation notes (100,000 characters,
// escaped) need up to a megabyte. The table is checked against the contract, so a new method
// without a limit does not compile. Uploads have their own limits (upload-store.ts).
import type { WorkbenchMethod } from '../../core/api.ts';

const KIB = 1024;
const SMALL = 16 * KIB;
const OPTIONS = 64 * KIB;
const FILTER = 256 * KIB;
const NOTE = 1024 * KIB;

export const API_BODY_LIMITS = {
  session: SMALL,
  listCases: SMALL,
  openCase: SMALL,
  newCase: SMALL,
  openSampleCase: SMALL,
  caseInfo: SMALL,
  probeFormat: OPTIONS,
  startImport: OPTIONS,
  importStatus: SMALL,
  cancelImport: SMALL,
  lanes: FILTER,
  buckets: FILTER,
  timelineEvents: FILTER,
  eventPage: FILTER,
  eventIndex: FILTER,
  event: SMALL,
  surrounding: SMALL,
  guidance: SMALL,
  annotations: SMALL,
  annotate: NOTE,
  updateAnnotation: NOTE,
  deleteAnnotation: SMALL,
  annotationTags: SMALL,
  savedViews: SMALL,
  saveView: FILTER,
  renameView: SMALL,
  deleteView: SMALL,
  findings: SMALL,
  incidents: SMALL,
  setWorkflowState: SMALL,
  links: SMALL,
  stack: FILTER,
  exportEvents: FILTER,
  processes: SMALL,
  query: FILTER,
  align: SMALL,
  setBaseline: SMALL,
  report: SMALL,
  pins: SMALL,
  setPinned: SMALL,
  followChain: SMALL,
  flows: SMALL,
  governance: SMALL,
  setGovernance: NOTE,
} as const satisfies Record<WorkbenchMethod, number>;

export function bodyLimitOf(method: WorkbenchMethod): number {
  return API_BODY_LIMITS[method];
}
