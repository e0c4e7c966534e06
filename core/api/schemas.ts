// zod schemas for every WorkbenchApi argument: the transports (IPC in electron/, HTTP in
// cli/serve) validate each payload with these before it reaches core. `satisfies` ties the
// table to the contract, so a method without a schema does not compile.
import { z } from 'zod';
import { ANNOTATION_TAGS, CELL_COLUMNS, SORTABLE_COLUMNS, STACK_FIELDS, type WorkbenchMethod } from '../api.ts';
import { FILE_ID_PATTERN } from './file-grants.ts';
import { WORKFLOW_STATES } from '../model/incident.ts';
import { EXPORT_COLUMNS, EXPORT_FORMATS } from '../export/event-lines.ts';

const us = z.number().int().safe();
const id = z.number().int().nonnegative().safe();
const shortText = z.string().max(4096);

export const eventFilterSchema = z
  .object({
    from_us: us.optional(),
    to_us: us.optional(),
    capture_ids: z.array(id).max(1000).optional(),
    kinds: z.array(shortText).max(100).optional(),
    categories: z.array(shortText).max(100).optional(),
    ops: z.array(shortText).max(1000).optional(),
    hosts: z.array(shortText).max(1000).optional(),
    pids: z.array(z.number().int()).max(10000).optional(),
    levels: z.array(shortText).max(100).optional(),
    process: shortText.optional(),
    text: shortText.optional(),
    failed_only: z.boolean().optional(),
    lane_id: shortText.optional(),
    proc_ids: z.array(z.number().int().nonnegative()).max(10000).optional(),
    processes: z.array(shortText).max(1000).optional(),
    targets: z.array(shortText).max(1000).optional(),
    target_prefix: shortText.optional(),
    endpoints: z.array(shortText).max(1000).optional(),
    pinned_only: z.boolean().optional(),
    cells: z
      .array(z.object({ column: z.enum(CELL_COLUMNS), value: z.union([shortText, z.number().finite(), z.null()]), exclude: z.boolean().optional() }).strict())
      .max(100)
      .optional(),
    tag: z.string().max(64).optional(),
  })
  .strict();

/** Timeline lane ids (Lane.lane_id), e.g. the lanes in view. */
const laneIds = z.array(z.string().max(1024)).max(2000);

const sortSchema = z.object({ column: z.enum(SORTABLE_COLUMNS), desc: z.boolean() }).strict();
const empty = z.object({}).strict();
const tag = z.string().min(1).max(64);
/** Tags of one annotation (core/annotations/tags.ts keeps at most 32, each at most 64 characters). */
const tags = z.array(tag).min(1).max(32);
const author = z.string().max(200);
const viewName = z.string().min(1).max(120);
const note = z.string().max(100_000);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** An id the host issued for a file (core/api/file-grants.ts): never a path. */
const fileId = z.string().regex(FILE_ID_PATTERN, 'not a file id the host issued (files are chosen, uploaded or dropped, never named by path)');

/** A free-text governance field: null clears it. */
const governanceText = z.string().max(10_000).nullable().optional();

export const API_SCHEMAS = {
  session: empty,
  listCases: empty,
  openCase: z.object({ case_id: fileId }).strict(),
  newCase: z
    .object({ name: z.string().min(1).max(200).regex(/^[\w .-]+$/, 'letters, digits, space, dot, dash, underscore only') })
    .strict(),
  openSampleCase: empty,
  caseInfo: empty,
  probeFormat: z.object({ file_id: fileId, display_name: shortText.optional() }).strict(),
  startImport: z
    .object({
      file_id: fileId,
      display_name: shortText.optional(),
      format: shortText.optional(),
      date: isoDate.optional(),
      tz: shortText.optional(),
      host: shortText.optional(),
      start: shortText.optional(),
    })
    .strict(),
  importStatus: z.object({ job_id: shortText }).strict(),
  cancelImport: z.object({ job_id: shortText }).strict(),
  lanes: z.object({ filter: eventFilterSchema.optional() }).strict(),
  buckets: z
    .object({
      from_us: us,
      to_us: us,
      bucket_us: z.number().int().positive().safe(),
      filter: eventFilterSchema.optional(),
      lane_ids: laneIds.optional(),
      total_only: z.boolean().optional(),
    })
    .strict(),
  timelineEvents: z
    .object({
      from_us: us,
      to_us: us,
      limit: z.number().int().positive().max(200_000),
      filter: eventFilterSchema.optional(),
      lane_ids: laneIds.optional(),
      columns: z.boolean().optional(),
    })
    .strict(),
  eventPage: z
    .object({
      filter: eventFilterSchema,
      sort: sortSchema.optional(),
      offset: z.number().int().nonnegative().safe(),
      limit: z.number().int().positive().max(10_000),
    })
    .strict(),
  eventIndex: z.object({ event_id: id, filter: eventFilterSchema, sort: sortSchema.optional() }).strict(),
  event: z.object({ event_id: id }).strict(),
  surrounding: z
    .object({
      event_id: id,
      window_us: z.number().int().positive().max(86_400_000_000),
      limit: z.number().int().positive().max(10_000),
      other_captures_only: z.boolean().optional(),
    })
    .strict(),
  guidance: z.object({ event_id: id }).strict(),
  annotations: empty,
  annotate: z
    .object({
      event_id: id.nullable().optional(),
      from_us: us.optional(),
      to_us: us.optional(),
      tag: tag.optional(),
      tags: tags.optional(),
      note,
      author: author.optional(),
    })
    .strict()
    .refine((a) => a.tag !== undefined || a.tags !== undefined, 'give a tag or tags'),
  updateAnnotation: z.object({ annotation_id: id, tag: tag.optional(), tags: tags.optional(), note: note.optional(), author: author.optional() }).strict(),
  deleteAnnotation: z.object({ annotation_id: id }).strict(),
  annotationTags: empty,
  savedViews: empty,
  saveView: z.object({ name: viewName, state: z.string().min(2).max(256 * 1024), view_id: id.optional() }).strict(),
  renameView: z.object({ view_id: id, name: viewName }).strict(),
  deleteView: z.object({ view_id: id }).strict(),
  findings: empty,
  incidents: empty,
  setWorkflowState: z
    .object({
      subject: z.enum(['finding', 'incident']),
      id,
      state: z.enum(WORKFLOW_STATES),
      note: z.string().max(10_000).nullable().optional(),
      author: z.string().max(200).nullable().optional(),
    })
    .strict(),
  links: z.object({ event_id: id }).strict(),
  stack: z
    .object({ filter: eventFilterSchema, field: z.enum(STACK_FIELDS), limit: z.number().int().positive().max(10_000), rare: z.boolean().optional() })
    .strict(),
  exportEvents: z
    .object({
      filter: eventFilterSchema,
      sort: sortSchema.optional(),
      columns: z.array(z.enum(EXPORT_COLUMNS)).max(EXPORT_COLUMNS.length).optional(),
      format: z.enum(EXPORT_FORMATS),
    })
    .strict(),
  processes: empty,
  align: z
    .object({ capture_id: id, offset_us: us.optional(), same: z.tuple([id, id]).optional() })
    .strict()
    .refine((a) => (a.offset_us === undefined) !== (a.same === undefined), 'give offset_us or same, not both'),
  setBaseline: z.object({ capture_id: id, baseline: z.boolean() }).strict(),
  report: z.object({ format: z.enum(['html', 'md', 'json', 'pdf']) }).strict(),
  query: z.object({ sql: z.string().trim().min(1, 'give a SELECT to run').max(100_000) }).strict(),
  pins: empty,
  setPinned: z.object({ event_id: id, pinned: z.boolean() }).strict(),
  followChain: z
    .object({ event_id: id, max_depth: z.number().int().min(1).max(20).optional(), alarm_window_us: z.number().int().min(0).max(3_600_000_000).optional() })
    .strict(),
  flows: z.object({ process: z.string().max(500).optional() }).strict(),
  governance: empty,
  setGovernance: z
    .object({
      devices: z
        .array(z.object({ host: z.string().trim().min(1).max(200), role: z.string().max(200).nullable(), zone: z.string().max(200).nullable() }).strict())
        .max(1000)
        .optional(),
      trigger: governanceText,
      collector: governanceText,
      tool: governanceText,
      tool_options: governanceText,
      retention: governanceText,
      handling: governanceText,
      custody_note: z.string().max(10_000).optional(),
      author: z.string().max(200).nullable().optional(),
    })
    .strict(),
} satisfies Record<WorkbenchMethod, z.ZodType>;

export const WORKBENCH_METHODS = Object.keys(API_SCHEMAS) as WorkbenchMethod[];

export function isWorkbenchMethod(name: string): name is WorkbenchMethod {
  return Object.prototype.hasOwnProperty.call(API_SCHEMAS, name);
}

/** Validates a payload for `method`; throws an Error naming the method and the bad field. */
export function validateArgs(method: WorkbenchMethod, payload: unknown): unknown {
  const result = API_SCHEMAS[method].safeParse(payload ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`invalid arguments for ${method}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'rejected'}`);
  }
  return result.data;
}

export { ANNOTATION_TAGS };
