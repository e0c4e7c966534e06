// Reads everything a report needs from the case. Queries only; nothing here writes.
import { basename } from 'node:path';
import { listAnnotations } from '../annotations/annotations.ts';
import { listFindings } from '../triage/findings.ts';
import { listIncidents } from '../incidents/store.ts';
import type { Incident } from '../model/incident.ts';
import { orderingUncertainty } from '../links/ordering.ts';
import { ClaimLog } from './claims.ts';
import { citedViews } from './saved-views.ts';
import { chooseContexts } from './context.ts';
import { gatherSummary } from './summary.ts';
import type { CaseStore } from '../store/case-store.ts';
import { EVENT_SELECT, readEvents } from '../store/event-rows.ts';
import { sql } from '../store/sql.ts';
import { usToIso } from '../util/time.ts';
import { computeCoverage, type CaptureSpan } from './coverage.ts';
import {
  citeEvent,
  REPORT_CONTEXT_WINDOW_US,
  REPORT_REJECT_SAMPLE,
  STATE_ORDER,
  type AnnotationSection,
  type FindingSection,
  type ReportData,
  type SourceSection,
} from './model.ts';

const GENERATOR = 'Tracebench 0.1.0';
const FINDING_EVENTS_CITED = 10;

/** `casePath` is the case the report names (a snapshot's original, not the copy read). */
export async function gatherReport(store: CaseStore, now = new Date(), casePath = store.path): Promise<ReportData> {
  const claims = new ClaimLog();
  const captures = await store.rows(
    claims.add('Sources, their hashes and importer versions', sql`SELECT capture_id, file_name, format, importer_version, sha256, size_bytes, host, events, rejected,
          continuation_lines, skipped_lines, epoch_us(first_ts) AS first_us, epoch_us(last_ts) AS last_us,
          clock_offset_us, clock_offset_basis, date_basis, is_baseline,
          strftime(imported_at, '%Y-%m-%dT%H:%M:%SZ') AS imported_at, warnings
        FROM captures ORDER BY capture_id`),
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
    claims.add('Number of events and the case\'s span', sql`SELECT count(*) AS n, min(ts_us) AS first_us, max(ts_us) AS last_us FROM event_rows`),
    { n: 'num', first_us: 'num?', last_us: 'num?' },
  );
  const hosts = await store.rows(sql`SELECT DISTINCT host FROM event_rows WHERE host IS NOT NULL ORDER BY host`, { host: 'str' });
  claims.add('Incidents, their spans and steps', sql`SELECT incident_id, title, score, start_us, end_us, root_pid, steps FROM incidents ORDER BY score DESC, start_us`);
  claims.add('Triage states of findings and incidents', sql`SELECT subject, subject_key, state, note, author, updated_at FROM workflow_states ORDER BY subject, subject_key`);
  const incidents = await listIncidents(store);
  const findings = await gatherFindings(store, fileOf);
  const annotations = await gatherAnnotations(store, fileOf, incidents);
  const { summary, timeline } = await gatherSummary(
    store,
    { incidents, findings, annotations, coverage, caseSpan: { first_us: totals?.first_us ?? null, last_us: totals?.last_us ?? null }, fileOf },
    claims,
  );
  const audit = await store.rows(
    claims.add('Case history (audit chain)', sql`SELECT strftime(logged_at, '%Y-%m-%dT%H:%M:%S.%fZ') AS at, action, coalesce(detail, '') AS detail FROM audit_log ORDER BY seq NULLS FIRST, logged_at`),
    { at: 'str', action: 'str', detail: 'str' },
  );

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
    summary,
    timeline,
    incidents: [...incidents]
      .sort((a, b) => STATE_ORDER.indexOf(a.workflow.state) - STATE_ORDER.indexOf(b.workflow.state))
      .map(({ start_us: _s, end_us: _e, ...rest }) => rest),
    findings,
    annotations,
    sources,
    ordering: await orderingUncertainty(store).catch(() => []),
    views: await citedViews(store),
    coverage,
    queries: claims.list,
    audit,
  };
}

async function gatherAnnotations(store: CaseStore, fileOf: (id: number) => string, incidents: Incident[]): Promise<AnnotationSection[]> {
  const list = await listAnnotations(store);
  const ids = list.flatMap((a) => (a.event_id === null ? [] : [a.event_id]));
  const events = new Map(
    (ids.length === 0 ? [] : await readEvents(store, sql`SELECT ${EVENT_SELECT} FROM event_rows e WHERE e.event_id IN (SELECT unnest(${JSON.stringify(ids)}::BIGINT[]))`)).map((e) => [e.event_id, e]),
  );
  // Context: events within ±5 s of the annotated event or range (everything inside a range too),
  // chosen for relevance and folded (context.ts).
  const contexts = await chooseContexts(
    store,
    list.map((a) => {
      const event = a.event_id === null ? undefined : events.get(a.event_id);
      return {
        id: a.annotation_id,
        from_us: a.from_us - REPORT_CONTEXT_WINDOW_US,
        to_us: a.to_us + REPORT_CONTEXT_WINDOW_US,
        anchor_us: event?.ts_us ?? a.from_us,
        event_id: a.event_id,
        capture_id: event?.capture_id ?? null,
        pid: event?.pid ?? null,
      };
    }),
    fileOf,
  );
  const out: AnnotationSection[] = list.map((a) => {
    const event = a.event_id === null ? undefined : events.get(a.event_id);
    const anchor = event?.ts_us ?? a.from_us;
    const chosen = contexts.get(a.annotation_id) ?? { context: [], folded: [], truncated: false };
    return {
      annotation_id: a.annotation_id,
      tag: a.tag,
      note: a.note,
      author: a.author,
      from: usToIso(a.from_us),
      to: usToIso(a.to_us),
      created_at: a.created_at,
      updated_at: a.updated_at,
      event: event ? citeEvent(event, fileOf(event.capture_id), usToIso) : null,
      context: chosen.context,
      context_truncated: chosen.truncated,
      folded: chosen.folded,
      incident_ids: incidents.filter((i) => anchor >= i.start_us && anchor <= i.end_us).map((i) => i.id),
    };
  });
  // In time order (the annotated moment), as the analyst's story reads.
  return out.sort((x, y) => (x.event?.ts ?? x.from).localeCompare(y.event?.ts ?? y.from) || x.annotation_id - y.annotation_id);
}

async function gatherFindings(store: CaseStore, fileOf: (id: number) => string): Promise<FindingSection[]> {
  const findings = await listFindings(store);
  // One read for the cited events of every finding (a case may hold hundreds of findings).
  const ids = [...new Set(findings.flatMap((f) => f.event_ids.slice(0, FINDING_EVENTS_CITED)))];
  const byId = new Map(
    (ids.length === 0 ? [] : await readEvents(store, sql`SELECT ${EVENT_SELECT} FROM event_rows e WHERE e.event_id IN (SELECT unnest(${JSON.stringify(ids)}::BIGINT[]))`)).map((e) => [e.event_id, e]),
  );
  const out: FindingSection[] = [];
  for (const f of findings) {
    const events = f.event_ids.slice(0, FINDING_EVENTS_CITED).flatMap((id) => byId.get(id) ?? []).sort((a, b) => a.ts_us - b.ts_us);
    const { first_us, last_us, ...rest } = f;
    out.push({
      ...rest,
      first_ts: usToIso(first_us),
      last_ts: usToIso(last_us),
      events: events.map((e) => citeEvent(e, fileOf(e.capture_id), usToIso)),
      state: f.workflow?.state ?? 'open',
      state_note: f.workflow?.note ?? null,
    });
  }
  // Confirmed first, then needs review, open, and false positives last (the appendix); by score within.
  return out.sort((a, b) => STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || b.score - a.score || a.finding_id - b.finding_id);
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
