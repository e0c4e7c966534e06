// Every WorkbenchApi method name, as a value the HTTP client can iterate. `satisfies` ties the
// list to the contract: a method added to core/api.ts without an entry here does not compile.
import type { WorkbenchMethod } from '../../../core/api.ts';

const METHOD_TABLE = {
  session: true,
  listCases: true,
  openCase: true,
  newCase: true,
  openSampleCase: true,
  caseInfo: true,
  probeFormat: true,
  startImport: true,
  importStatus: true,
  cancelImport: true,
  lanes: true,
  buckets: true,
  timelineEvents: true,
  eventPage: true,
  eventIndex: true,
  event: true,
  surrounding: true,
  guidance: true,
  annotations: true,
  annotate: true,
  updateAnnotation: true,
  deleteAnnotation: true,
  findings: true,
  incidents: true,
  setWorkflowState: true,
  links: true,
  stack: true,
  exportEvents: true,
  processes: true,
  align: true,
  setBaseline: true,
  report: true,
  query: true,
  governance: true,
  setGovernance: true,
} as const satisfies Record<WorkbenchMethod, true>;

export const WORKBENCH_METHOD_NAMES = Object.keys(METHOD_TABLE) as WorkbenchMethod[];
