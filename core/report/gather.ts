// Reads everything a report needs from the case. Queries only; nothing here writes.
import { basename } from 'node:path';
import { listAnnotations } from '../annotations/annotations.ts';
import { listFindings } from '../triage/findings.ts';
import type { CaseStore } from '../store/case-store.ts';
import { EVENT_SELECT, readEvents } from '../store/event-rows.ts';
import { sql } from '../store/sql.ts';
import { usToIso } from '../util/time.ts';
import { computeCoverage, type CaptureSpan } from './coverage.ts';
import {
  citeEvent,
  REPORT_CONTEXT_LIMIT,
  REPORT_CONTEXT_WINDOW_US,
  REPORT_REJECT_SAMPLE,
  type AnnotationSection,
  type FindingSection,
  type ReportData,
  type SourceSection,
} from './model.ts';

const GENERATOR = 'Tracebench 0.1.0';
const FINDING_EVENTS_CITED = 10;

/** `casePath` is the case the report names (a snapshot's original, not the copy read). */
export async function gatherReport(store: CaseStore, now = new Date(), casePath = store.path): Promise<ReportData> {
  const captures = await store.rows(
    sql`SELECT capture_id, file_name, format, importer_version, sha256, size_bytes, host, events, rejected,
          continuation_lines, skipped_lines, epoch_us(first_ts) AS first_us, epoch_us(last_ts) AS last_us,
          clock_offset_us, clock_offset_basis, date_basis, is_baseline,
          strftime(imported_at, '%Y-%m-%dT%H:%M:%SZ') AS imported_at, warnings
        FROM captures ORDER BY capture_id`,
    {
      capture_id: 'num', file_name: 'str', format: 'str', importer_version: 'str', sha256: 'str', size_bytes: 'num',
      host: 'str?', events: 'num', rejected: 'num', continuation_lines: 'num', skipped_lines: 'num', first_us: 'num?',
      last_us: 'num?', clock_offset_us: 'num', clock_offset_basis: 'str?', date_basis: 'str?', is_baseline: 'bool',
      imported_at: 'str', warnings: 'str?',
    },
  );
  const fileNames = new Map(captures.map((c) => [c.capture_id, c.file_name]));
  const fileOf = (id: number): string => fileNames.get(id) ?? `capture ${id}`;

  const sources: SourceSection[] = [];
  for (const c of captures) {
    const rejects = await store.rows(
      sql`SELECT source_line, reason, raw FROM rejects WHERE capture_id = ${c.capture_id} ORDER BY source_line LIMIT ${REPORT_REJECT_SAMPLE}`,
      { source_line: 'num', reason: 'str', raw: 'str?' },
    );
    // captures.first_ts/last_ts hold the aligned span (align.ts rewrites them with the offset).
    const offset = c.clock_offset_us;
    sources.push({
      capture_id: c.capture_id,
      file_name: c.file_name,
      format: c.format,
      importer_version: c.importer_version,
      sha256: c.sha256,
      size_bytes: c.size_bytes,
      host: c.host,
      events: c.events,
      rejected: c.rejected,
      continuation_lines: c.continuation_lines,
      skipped_lines: c.skipped_lines,
      first_ts: c.first_us === null ? null : usToIso(c.first_us),
      last_ts: c.last_us === null ? null : usToIso(c.last_us),
      clock_offset_s: offset / 1e6,
      clock_offset_basis: c.clock_offset_basis,
      date_basis: c.date_basis,
      is_baseline: c.is_baseline,
      imported_at: c.imported_at,
      warnings: parseWarnings(c.warnings),
      reject_sample: rejects.map((r) => ({ source_line: r.source_line, reason: r.reason, raw: r.raw ?? '' })),
    });
  }

  const spans: CaptureSpan[] = captures
    .filter((c) => c.first_us !== null && c.last_us !== null)
    .map((c) => ({
      capture_id: c.capture_id,
      file_name: c.file_name,
      host: c.host,
      format: c.format,
      from_us: c.first_us ?? 0,
      to_us: c.last_us ?? 0,
      rejected: c.rejected,
      date_basis: c.date_basis,
      aligned: c.clock_offset_basis !== null,
    }));
  const coverage = await computeCoverage(store, spans);

  const totals = await store.one(
    sql`SELECT count(*) AS n, min(ts_us) AS first_us, max(ts_us) AS last_us FROM event_rows`,
    { n: 'num', first_us: 'num?', last_us: 'num?' },
  );
  const hosts = await store.rows(sql`SELECT DISTINCT host FROM event_rows WHERE host IS NOT NULL ORDER BY host`, { host: 'str' });

  return {
    report_version: 1,
    generated_at: now.toISOString(),
    generator: GENERATOR,
    case: {
      path: casePath,
      name: basename(casePath).replace(/\.duckdb$/, ''),
      schema_version: await store.schemaVersion(),
      event_count: totals?.n ?? 0,
      first_ts: totals?.first_us != null ? usToIso(totals.first_us) : null,
      last_ts: totals?.last_us != null ? usToIso(totals.last_us) : null,
      hosts: hosts.map((h) => h.host),
    },
    sources,
    coverage,
    findings: await gatherFindings(store, fileOf),
    annotations: await gatherAnnotations(store, fileOf),
    audit: await store.rows(
      sql`SELECT strftime(logged_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS at, action, coalesce(detail, '') AS detail FROM audit_log ORDER BY seq NULLS FIRST, logged_at`,
      { at: 'str', action: 'str', detail: 'str' },
    ),
  };
}

async function gatherAnnotations(store: CaseStore, fileOf: (id: number) => string): Promise<AnnotationSection[]> {
  const out: AnnotationSection[] = [];
  for (const a of await listAnnotations(store)) {
    const [event] = a.event_id === null ? [] : await readEvents(store, sql`SELECT ${EVENT_SELECT} FROM event_rows e WHERE e.event_id = ${a.event_id}`);
    const anchor = event?.ts_us ?? a.from_us;
    // Context: events from the other captures within ±5 s of the annotated event or range,
    // closest first. For a range note, everything inside the range is context too.
    const from = a.from_us - REPORT_CONTEXT_WINDOW_US;
    const to = a.to_us + REPORT_CONTEXT_WINDOW_US;
    const excluded = event?.capture_id ?? -1;
    const context = await readEvents(
      store,
      sql`SELECT ${EVENT_SELECT} FROM event_rows e
          WHERE e.ts_us BETWEEN ${from} AND ${to} AND e.capture_id <> ${excluded}
          ORDER BY abs(e.ts_us - ${anchor}), e.event_id LIMIT ${REPORT_CONTEXT_LIMIT + 1}`,
    );
    const truncated = context.length > REPORT_CONTEXT_LIMIT;
    const shown = context.slice(0, REPORT_CONTEXT_LIMIT).sort((x, y) => x.ts_us - y.ts_us || x.event_id - y.event_id);
    out.push({
      annotation_id: a.annotation_id,
      tag: a.tag,
      note: a.note,
      author: a.author,
      from: usToIso(a.from_us),
      to: usToIso(a.to_us),
      created_at: a.created_at,
      updated_at: a.updated_at,
      event: event ? citeEvent(event, fileOf(event.capture_id), usToIso) : null,
      context: shown.map((e) => citeEvent(e, fileOf(e.capture_id), usToIso, anchor)),
      context_truncated: truncated,
    });
  }
  return out;
}

async function gatherFindings(store: CaseStore, fileOf: (id: number) => string): Promise<FindingSection[]> {
  const out: FindingSection[] = [];
  for (const f of await listFindings(store)) {
    const ids = f.event_ids.slice(0, FINDING_EVENTS_CITED);
    const events = ids.length === 0 ? [] : await readEvents(
      store,
      sql`SELECT ${EVENT_SELECT} FROM event_rows e WHERE list_contains(${JSON.stringify(ids)}::BIGINT[], e.event_id) ORDER BY e.ts_us`,
    );
    const { first_us, last_us, ...rest } = f;
    out.push({ ...rest, first_ts: usToIso(first_us), last_ts: usToIso(last_us), events: events.map((e) => citeEvent(e, fileOf(e.capture_id), usToIso)) });
  }
  return out;
}

function parseWarnings(text: string | null): string[] {
  if (!text) return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [text];
  }
}
