// The WorkbenchApi implementation both shells use (Electron's backend process and `tracebench
// serve`). Thin on purpose: each method picks the open case from the session and delegates to
// the module that owns the behaviour. Arguments are validated by the transport before they
// arrive here (core/api/schemas.ts). Writes are refused while an import holds the case.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { WorkbenchApi } from '../api.ts';
import { createAnnotation, deleteAnnotation, listAnnotations, listAnnotationTags, updateAnnotation } from '../annotations/annotations.ts';
import { listPins, setPinned } from '../pins/pins.ts';
import { deleteView, listSavedViews, renameView, saveView } from '../views/saved-views.ts';
import { alignCapture } from '../case/align.ts';
import { setBaseline } from '../case/baseline.ts';
import { NoSuchEventError, surrounding } from '../correlate/surrounding.ts';
import { guidanceForEvent } from '../guidance/lookup.ts';
import { rankFormats, previewLines, undetectedReason } from '../importers/candidates.ts';
import { readDetectionHead, recordNotImported } from '../ingest/import-file.ts';
import { detectFormat, importerByFormat, makeDetectSample, needsDateFor } from '../importers/registry.ts';
import { eventIndex, eventPage } from '../query/event-page.ts';
import { stackEvents } from '../query/stack.ts';
import { exportEvents } from '../export/export-events.ts';
import { EXPORT_EXTENSION, EXPORT_MIME } from '../export/event-lines.ts';
import { runReadOnlyQuery } from '../query/read-only-query.ts';
import { buildReport } from '../report/build.ts';
import { readGovernance, writeGovernance } from '../case/governance.ts';
import { getEvent } from '../store/event-rows.ts';
import { ReadOnlyCaseError } from '../store/case-store.ts';
import { laneBuckets } from '../timeline/buckets.ts';
import { listLanes } from '../timeline/lanes.ts';
import { timelineEvents } from '../timeline/timeline-events.ts';
import { listFindings } from '../triage/findings.ts';
import { linkChain } from '../links/store.ts';
import { DEFAULT_FOLLOW_OPTIONS, followChain } from '../links/follow.ts';
import { readFlowSummaries } from '../links/flows.ts';
import { readProcessTreeWithFindings } from '../process/store.ts';
import { listIncidents, setWorkflowState } from '../incidents/store.ts';
import { ApiError, ImportRunningError } from './errors.ts';
import type { OpenCase, Session } from './session.ts';

/** Rows the UI's query console shows at most (the CLI's query gives up to 100,000). */
const QUERY_CONSOLE_MAX_ROWS = 10_000;
/**
 * Rows an export from the UI may hold: the file crosses IPC or HTTP as one string, so a larger
 * export is refused with a pointer to `tracebench export`, which streams any size to disk.
 */
const UI_EXPORT_MAX_ROWS = 250_000;

export function createWorkbench(session: Session): WorkbenchApi {
  const open = (): OpenCase => session.requireCase();
  /** The open case, for a change that moves or reclassifies events: not while an import runs. */
  const forWriting = (what: string): OpenCase => {
    const c = open();
    if (c.jobs.busy) throw new ImportRunningError(what);
    return c;
  };

  return {
    session: async () => session.info(),
    listCases: async () => session.listCases(),
    openCase: async ({ case_id }) => session.openCaseById(case_id),
    newCase: async ({ name }) => session.newCase(name),
    openSampleCase: async () => session.openSampleCase(),
    caseInfo: async () => session.caseInfo(),

    async probeFormat({ file_id, display_name }) {
      const granted = session.grants.resolve('capture', file_id);
      const path = granted.path;
      const displayName = display_name ?? granted.display_name;
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) throw new ApiError(`${displayName} is no longer a readable file (an upload is removed once imported): choose it again`);
      const sample = makeDetectSample(displayName, await readDetectionHead(path));
      const detection = detectFormat(sample);
      const undetected = detection.status === 'found' ? null : undetectedReason(detection, sample);
      // Offered but not (yet) importable: recorded now, settled once the analyst imports it.
      if (undetected !== null && session.info().case_path !== null) await recordNotImported(open().store, path, displayName, info.size, undetected);
      return {
        file_id,
        display_name: displayName,
        candidates: detection.candidates.map((c) => {
          const imp = importerByFormat(c.format);
          return { format: c.format, confidence: c.confidence, title: imp?.title ?? c.format, needs_date: imp ? needsDateFor(imp, sample) : false };
        }),
        chosen: detection.status === 'found' ? detection.importer.format : null,
        size_bytes: info.size,
        formats: rankFormats(sample),
        preview: previewLines(sample),
        undetected_reason: undetected,
      };
    },
    startImport: async ({ file_id, ...options }) => {
      const c = open();
      if (c.store.readOnly) throw new ReadOnlyCaseError(c.path);
      const granted = session.grants.resolve('capture', file_id);
      return c.jobs.start({ ...options, path: granted.path, display_name: options.display_name ?? granted.display_name });
    },
    importStatus: async ({ job_id }) => open().jobs.status(job_id),
    cancelImport: async ({ job_id }) => open().jobs.cancel(job_id),

    lanes: async ({ filter }) => listLanes(open().store, filter),
    buckets: async (request) => laneBuckets(open().store, request),
    timelineEvents: async (request) => timelineEvents(open().store, request),
    eventPage: async (request) => {
      const c = open();
      return eventPage(c.store, c.counts, request);
    },
    eventIndex: async ({ event_id, filter, sort }) => ({ index: await eventIndex(open().store, event_id, filter, sort) }),
    async event({ event_id }) {
      const e = await getEvent(open().store, event_id);
      if (!e) throw new NoSuchEventError(event_id);
      return e;
    },
    surrounding: async (request) => surrounding(open().store, request),
    async guidance({ event_id }) {
      const e = await getEvent(open().store, event_id);
      if (!e) throw new NoSuchEventError(event_id);
      return guidanceForEvent(e);
    },

    annotations: async () => listAnnotations(open().store),
    // Annotations change what a tag filter keeps: cached counts are dropped with each write.
    annotate: async (input) => {
      const c = open();
      const created = await createAnnotation(c.store, input, session.info().user);
      c.counts.clear();
      return created;
    },
    updateAnnotation: async (update) => {
      const c = open();
      const updated = await updateAnnotation(c.store, update);
      c.counts.clear();
      return updated;
    },
    // Annotations may be written while an import runs: the import has a connection of its own.
    deleteAnnotation: async ({ annotation_id }) => {
      const c = open();
      const deleted = await deleteAnnotation(c.store, annotation_id);
      c.counts.clear();
      return { deleted };
    },
    annotationTags: async () => listAnnotationTags(open().store),
    savedViews: async () => listSavedViews(open().store),
    saveView: async (request) => saveView(open().store, request, session.info().user),
    renameView: async ({ view_id, name }) => renameView(open().store, view_id, name),
    deleteView: async ({ view_id }) => ({ deleted: await deleteView(open().store, view_id) }),
    findings: async () => listFindings(open().store),
    incidents: async () => listIncidents(open().store),
    // A decision may be recorded while an import runs, like an annotation.
    setWorkflowState: async (update) => setWorkflowState(open().store, update),
    links: async ({ event_id }) => linkChain(open().store, event_id),
    stack: async (request) => {
      const c = open();
      return stackEvents(c.store, c.counts, request);
    },
    async exportEvents({ filter, sort, columns, format }) {
      const c = open();
      const parts: string[] = [];
      await exportEvents(c.store, { filter, ...(sort ? { sort } : {}) }, { format, ...(columns ? { columns } : {}), maxRows: UI_EXPORT_MAX_ROWS }, (text) => {
        parts.push(text);
      });
      const stem = basename(session.info().case_path ?? 'case').replace(/\.duckdb$/i, '');
      return { file_name: `${stem}-events.${EXPORT_EXTENSION[format]}`, mime: EXPORT_MIME[format], content: parts.join('') };
    },
    processes: async () => readProcessTreeWithFindings(open().store),
    async align(request) {
      const c = forWriting('align clocks');
      const result = await alignCapture(c.store, request);
      c.counts.clear(); // times moved: counts of time-filtered listings changed
      return result;
    },
    setBaseline: async ({ capture_id, baseline }) => setBaseline(forWriting('change the baseline').store, capture_id, baseline),
    report: async (request) => buildReport(open().store, request),
    query: async ({ sql }) => runReadOnlyQuery(open().store, sql, QUERY_CONSOLE_MAX_ROWS),
    pins: async () => listPins(open().store),
    // A pin may be set while an import runs, like an annotation.
    setPinned: async ({ event_id, pinned }) => {
      const c = open();
      const result = await setPinned(c.store, event_id, pinned);
      c.counts.clear(); // the count of a pinned-only listing changed
      return result;
    },
    followChain: async ({ event_id, max_depth, alarm_window_us }) =>
      followChain(open().store, event_id, { max_depth: max_depth ?? DEFAULT_FOLLOW_OPTIONS.max_depth, alarm_window_us: alarm_window_us ?? DEFAULT_FOLLOW_OPTIONS.alarm_window_us }),
    flows: async ({ process }) => readFlowSummaries(open().store, process === undefined ? {} : { process }),
    governance: async () => readGovernance(open().store),
    // Like an annotation, governance may be recorded while an import runs.
    setGovernance: async (update) => writeGovernance(open().store, update),
  };
}
