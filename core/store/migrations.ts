// Numbered schema migrations. A case file records every migration applied to it in
// `schema_migrations`; opening a case made by an older version applies the missing ones in
// order, inside one transaction each. Never edit a released migration: add the next number.
import { chainExistingAuditEntries } from './audit-chain.ts';
import { splitExistingAnnotationTags } from '../annotations/tags-migration.ts';
import type { CaseSession } from './case-session.ts';

export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
  /** Work SQL alone cannot do (hashing), run after the statements in the same transaction. */
  after?: (session: CaseSession) => Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'case file contract: captures, events, rejects, annotations, audit',
    statements: [
      `CREATE TABLE captures (
        capture_id INTEGER PRIMARY KEY,
        file_name VARCHAR NOT NULL,
        file_path VARCHAR,
        format VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        size_bytes BIGINT NOT NULL,
        host VARCHAR,
        events BIGINT NOT NULL,
        rejected BIGINT NOT NULL,
        continuation_lines BIGINT NOT NULL DEFAULT 0,
        skipped_lines BIGINT NOT NULL DEFAULT 0,
        first_ts TIMESTAMP,
        last_ts TIMESTAMP,
        clock_offset_us BIGINT NOT NULL DEFAULT 0,
        clock_offset_basis VARCHAR,
        imported_at TIMESTAMP NOT NULL,
        importer_version VARCHAR NOT NULL,
        date_basis VARCHAR,
        tz VARCHAR,
        warnings VARCHAR,
        is_baseline BOOLEAN NOT NULL DEFAULT false
      )`,
      // Physical event rows keep integer microseconds (fast range scans, exact); the contract's
      // TIMESTAMP columns are provided by the events view below.
      `CREATE TABLE event_rows (
        event_id BIGINT NOT NULL,
        capture_id INTEGER NOT NULL,
        ts_us BIGINT NOT NULL,
        ts_raw_us BIGINT NOT NULL,
        dur_us DOUBLE,
        host VARCHAR,
        pid INTEGER,
        tid INTEGER,
        ppid INTEGER,
        process VARCHAR,
        kind VARCHAR NOT NULL,
        op VARCHAR NOT NULL,
        category VARCHAR NOT NULL,
        target VARCHAR,
        args VARCHAR,
        ret VARCHAR,
        error VARCHAR,
        source_line BIGINT NOT NULL,
        fields VARCHAR
      )`,
      `CREATE VIEW events AS
        SELECT event_id, capture_id, make_timestamp(ts_us) AS ts, make_timestamp(ts_raw_us) AS ts_raw,
               dur_us, host, pid, tid, ppid, process, kind, op, category, target, args, ret, error,
               source_line, fields, ts_us
        FROM event_rows`,
      `CREATE TABLE rejects (
        capture_id INTEGER NOT NULL,
        source_line BIGINT NOT NULL,
        reason VARCHAR NOT NULL,
        raw VARCHAR
      )`,
      `CREATE TABLE annotations (
        annotation_id INTEGER PRIMARY KEY,
        event_id BIGINT,
        ts_from TIMESTAMP NOT NULL,
        ts_to TIMESTAMP NOT NULL,
        tag VARCHAR NOT NULL,
        note VARCHAR NOT NULL DEFAULT '',
        author VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL
      )`,
      `CREATE TABLE audit_log (
        logged_at TIMESTAMP NOT NULL,
        action VARCHAR NOT NULL,
        detail VARCHAR
      )`,
    ],
  },
  {
    version: 2,
    name: 'findings: triage results (rule, score, events, ATT&CK ids, explanation)',
    statements: [
      // Lists are native DuckDB lists so analysts can query them (list_contains(event_ids, 42)).
      `CREATE TABLE findings (
        finding_id INTEGER PRIMARY KEY,
        rule VARCHAR NOT NULL,
        rule_file VARCHAR,
        title VARCHAR NOT NULL,
        score INTEGER NOT NULL,
        severity VARCHAR NOT NULL,
        explanation VARCHAR NOT NULL,
        event_ids BIGINT[] NOT NULL,
        attack VARCHAR[] NOT NULL,
        first_ts TIMESTAMP NOT NULL,
        last_ts TIMESTAMP NOT NULL,
        check_next VARCHAR[] NOT NULL,
        host VARCHAR,
        pids INTEGER[],
        created_at TIMESTAMP NOT NULL
      )`,
    ],
  },
  {
    version: 3,
    name: 'lane_summary: per-capture event counts per lane and 2^20 µs bucket (zoomed-out timeline)',
    statements: [
      // One row per (capture, kind, host, pid, 2^20 µs bucket): events, failed ones and the
      // dominant category. Lanes are "api" per (host, pid) and "src" per (capture, kind): both are
      // unions of these rows. Rows are kept in lane order so a request for the lanes in view
      // skips the rest. Kept up to date by capture-writer.ts (import) and case/align.ts (clock
      // offset); see core/timeline/summary.ts.
      `CREATE TABLE lane_summary (
        capture_id INTEGER NOT NULL,
        kind VARCHAR NOT NULL,
        host VARCHAR,
        pid INTEGER,
        bucket_start_us BIGINT NOT NULL,
        events BIGINT NOT NULL,
        failed BIGINT NOT NULL,
        category VARCHAR NOT NULL
      )`,
      `INSERT INTO lane_summary
        SELECT capture_id, kind, host, pid, bucket_start_us, CAST(sum(n) AS BIGINT), CAST(sum(failed) AS BIGINT), arg_max(category, (n, category))
        FROM (SELECT e.capture_id, e.kind, e.host, e.pid,
                     e.ts_us - (((e.ts_us % CAST(1048576 AS BIGINT)) + CAST(1048576 AS BIGINT)) % CAST(1048576 AS BIGINT)) AS bucket_start_us,
                     e.category, count(*) AS n, count(*) FILTER (WHERE e.error IS NOT NULL AND e.error <> '') AS failed
              FROM event_rows e GROUP BY ALL)
        GROUP BY ALL ORDER BY kind, host, pid, capture_id, bucket_start_us`,
    ],
  },
  {
    version: 4,
    name: 'capture_lanes: per-capture lane list (timeline lanes without scanning the events)',
    statements: [
      // One row per (capture, kind, host, pid) with its commonest process name, event count and
      // span. The timeline's lane list is a small GROUP BY over it. Kept up to date with
      // lane_summary (capture-writer.ts, case/align.ts; core/timeline/summary.ts).
      `CREATE TABLE capture_lanes (
        capture_id INTEGER NOT NULL,
        kind VARCHAR NOT NULL,
        host VARCHAR,
        pid INTEGER,
        process VARCHAR,
        events BIGINT NOT NULL,
        first_us BIGINT NOT NULL,
        last_us BIGINT NOT NULL
      )`,
      `INSERT INTO capture_lanes
        SELECT capture_id, kind, host, pid, mode(process), count(*), min(ts_us), max(ts_us)
        FROM event_rows GROUP BY capture_id, kind, host, pid`,
    ],
  },
  {
    version: 5,
    name: 'lane_summary_coarse: the timeline summary at 2^22, 2^24 and 2^26 µs buckets (wide views)',
    statements: [
      // The same rows as lane_summary at 4×, 16× and 64× its bucket width, each level made from
      // the one below; bucket_shift names the level. Kept with lane_summary (capture-writer.ts,
      // case/align.ts; core/timeline/summary.ts).
      `CREATE TABLE lane_summary_coarse (
        bucket_shift INTEGER NOT NULL,
        capture_id INTEGER NOT NULL,
        kind VARCHAR NOT NULL,
        host VARCHAR,
        pid INTEGER,
        bucket_start_us BIGINT NOT NULL,
        events BIGINT NOT NULL,
        failed BIGINT NOT NULL,
        category VARCHAR NOT NULL
      )`,
      `INSERT INTO lane_summary_coarse
        SELECT 22, s.capture_id, s.kind, s.host, s.pid, s.bucket_start_us - (((s.bucket_start_us % CAST(4194304 AS BIGINT)) + CAST(4194304 AS BIGINT)) % CAST(4194304 AS BIGINT)) AS bucket,
               CAST(sum(s.events) AS BIGINT), CAST(sum(s.failed) AS BIGINT), arg_max(s.category, (s.events, s.category))
        FROM lane_summary s GROUP BY ALL ORDER BY s.kind, s.host, s.pid, s.capture_id, bucket`,
      `INSERT INTO lane_summary_coarse
        SELECT 24, s.capture_id, s.kind, s.host, s.pid, s.bucket_start_us - (((s.bucket_start_us % CAST(16777216 AS BIGINT)) + CAST(16777216 AS BIGINT)) % CAST(16777216 AS BIGINT)) AS bucket,
               CAST(sum(s.events) AS BIGINT), CAST(sum(s.failed) AS BIGINT), arg_max(s.category, (s.events, s.category))
        FROM (SELECT * FROM lane_summary_coarse WHERE bucket_shift = 22) s GROUP BY ALL ORDER BY s.kind, s.host, s.pid, s.capture_id, bucket`,
      `INSERT INTO lane_summary_coarse
        SELECT 26, s.capture_id, s.kind, s.host, s.pid, s.bucket_start_us - (((s.bucket_start_us % CAST(67108864 AS BIGINT)) + CAST(67108864 AS BIGINT)) % CAST(67108864 AS BIGINT)) AS bucket,
               CAST(sum(s.events) AS BIGINT), CAST(sum(s.failed) AS BIGINT), arg_max(s.category, (s.events, s.category))
        FROM (SELECT * FROM lane_summary_coarse WHERE bucket_shift = 24) s GROUP BY ALL ORDER BY s.kind, s.host, s.pid, s.capture_id, bucket`,
    ],
  },
  {
    version: 6,
    name: 'level on events (log severity as the source states it) and offered_files (files offered but not imported)',
    statements: [
      // The severity a log record states (syslog names: emerg … debug, plus alarm and fatal). A
      // column of its own so the table shows it and filters select on it; NULL where the source
      // states none. Appended at the end: the packed writer (event-chunk.ts) fills event_rows in
      // table order, and an ADD COLUMN puts it last in old and new cases alike.
      `ALTER TABLE event_rows ADD COLUMN level VARCHAR`,
      // Older cases kept the generic log readers' severity in `fields` only: bring it out.
      `UPDATE event_rows SET level = json_extract_string(fields, '$.severity')
        WHERE fields IS NOT NULL
          AND capture_id IN (SELECT capture_id FROM captures WHERE format IN ('jsonl', 'csv', 'textlog'))`,
      `CREATE OR REPLACE VIEW events AS
        SELECT event_id, capture_id, make_timestamp(ts_us) AS ts, make_timestamp(ts_raw_us) AS ts_raw,
               dur_us, host, pid, tid, ppid, process, kind, op, category, target, args, ret, error,
               source_line, fields, ts_us, level
        FROM event_rows`,
      // Every file offered to the case that did not become a capture (format not recognised,
      // ambiguous, or its import failed), so the report can say what the case does not contain.
      `CREATE TABLE offered_files (
        offered_id INTEGER PRIMARY KEY,
        file_name VARCHAR NOT NULL,
        file_path VARCHAR,
        size_bytes BIGINT,
        sha256 VARCHAR,
        reason VARCHAR NOT NULL,
        offered_at TIMESTAMP NOT NULL
      )`,
    ],
  },
  {
    version: 8,
    name: 'processes: the process tree across captures (core/process)',
    statements: [
      // One row per process (joined across captures of a host, pid namespaces included), its
      // (capture, pid) members, and the captures fingerprint the tree was built for. Filled by
      // core/process/store.ts after imports and alignments; an older case builds it on first read.
      `CREATE TABLE processes (
        proc_id INTEGER PRIMARY KEY,
        host VARCHAR,
        pid INTEGER NOT NULL,
        host_pid INTEGER,
        ns_pid INTEGER,
        parent_id INTEGER,
        ppid INTEGER,
        image VARCHAR,
        command_line VARCHAR,
        user_name VARCHAR,
        start_us BIGINT NOT NULL,
        end_us BIGINT NOT NULL,
        exit_code INTEGER,
        exited BOOLEAN NOT NULL,
        captures VARCHAR NOT NULL,
        events BIGINT NOT NULL
      )`,
      `CREATE TABLE process_members (
        proc_id INTEGER NOT NULL,
        capture_id INTEGER NOT NULL,
        pid INTEGER NOT NULL,
        first_us BIGINT NOT NULL,
        last_us BIGINT NOT NULL
      )`,
      `CREATE TABLE process_tree_state (fingerprint VARCHAR NOT NULL)`,
    ],
  },
  {
    version: 9,
    name: 'incidents and workflow states: findings grouped into incidents (core/incidents), analysts\' decisions',
    statements: [
      // Rebuilt after every triage run (core/incidents/store.ts). Steps are JSON text: a list of
      // {ts_us, finding_id, event_ids, text}; incident_key is the entry finding's key.
      `CREATE TABLE incidents (
        incident_id INTEGER PRIMARY KEY,
        incident_key VARCHAR NOT NULL,
        title VARCHAR NOT NULL,
        score INTEGER NOT NULL,
        start_us BIGINT NOT NULL,
        end_us BIGINT NOT NULL,
        root_proc_id INTEGER,
        root_pid INTEGER,
        root_image VARCHAR,
        tactics VARCHAR[] NOT NULL,
        steps VARCHAR NOT NULL,
        files VARCHAR[] NOT NULL,
        endpoints VARCHAR[] NOT NULL,
        hosts VARCHAR[] NOT NULL,
        controller_writes INTEGER NOT NULL,
        alarms INTEGER NOT NULL
      )`,
      `CREATE TABLE incident_findings (incident_id INTEGER NOT NULL, finding_id INTEGER NOT NULL)`,
      // One row once incidents were built: a case upgraded with findings builds them on first read.
      `CREATE TABLE incidents_built (built_at TIMESTAMP NOT NULL)`,
      // Keyed by a stable identity (a finding: rule + its event ids; an incident: its entry
      // finding's), not by the ids a triage run hands out, so a decision outlives a re-run.
      `CREATE TABLE workflow_states (
        subject VARCHAR NOT NULL,
        subject_key VARCHAR NOT NULL,
        state VARCHAR NOT NULL,
        note VARCHAR,
        author VARCHAR,
        updated_at TIMESTAMP NOT NULL,
        PRIMARY KEY (subject, subject_key)
      )`,
    ],
  },
  {
    version: 10,
    name: 'links: host calls ↔ wire flows ↔ ICS operations ↔ device records (core/links)',
    statements: [
      // Derived from the events like the process tree: rebuilt by core/links/store.ts after
      // imports and alignments, stamped with the captures fingerprint it was built for.
      `CREATE TABLE links (
        from_event BIGINT NOT NULL,
        to_event BIGINT NOT NULL,
        kind VARCHAR NOT NULL,
        confidence DOUBLE NOT NULL,
        rule VARCHAR NOT NULL
      )`,
      `CREATE TABLE links_state (fingerprint VARCHAR NOT NULL)`,
    ],
  },
  {
    version: 11,
    name: 'audit_log hash chain: seq, prev_hash, entry_hash (core/store/audit-chain.ts)',
    statements: [
      `ALTER TABLE audit_log ADD COLUMN seq BIGINT`,
      `ALTER TABLE audit_log ADD COLUMN prev_hash VARCHAR`,
      `ALTER TABLE audit_log ADD COLUMN entry_hash VARCHAR`,
    ],
    // Entries of an older case join the chain once, in the order they were logged.
    after: chainExistingAuditEntries,
  },
  {
    version: 12,
    name: 'collection governance: scope devices, trigger, collector, tool, retention, custody notes (core/case/governance.ts)',
    statements: [
      // One row at most: how the evidence in this case was collected and is kept.
      `CREATE TABLE governance (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        trigger VARCHAR,
        collector VARCHAR,
        tool VARCHAR,
        tool_options VARCHAR,
        retention VARCHAR,
        handling VARCHAR,
        updated_at TIMESTAMP NOT NULL
      )`,
      // The devices declared in scope; a host here with no capture of a kind is a blind spot.
      `CREATE TABLE governance_devices (host VARCHAR PRIMARY KEY, role VARCHAR, zone VARCHAR)`,
      // Chain-of-custody notes are only ever appended.
      `CREATE TABLE custody_notes (seq INTEGER PRIMARY KEY, noted_at TIMESTAMP NOT NULL, author VARCHAR, note VARCHAR NOT NULL)`,
    ],
  },
  {
    version: 13,
    name: 'pins: starred events (core/pins)',
    // One row per pinned event; unpinning deletes the row. Kept in the case so pins survive a reload.
    statements: [`CREATE TABLE pins (event_id BIGINT PRIMARY KEY, pinned_at TIMESTAMP NOT NULL, author VARCHAR)`],
  },
  {
    version: 14,
    name: 'saved views (core/views); annotation tags as a list (core/annotations/tags.ts)',
    statements: [
      // `state` is the renderer's view state as JSON text (renderer/src/state/url-state.ts):
      // core keeps it whole and does not interpret it, so the view schema can grow without a migration.
      `CREATE TABLE saved_views (
        view_id INTEGER PRIMARY KEY,
        name VARCHAR NOT NULL,
        state VARCHAR NOT NULL,
        author VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL
      )`,
      // `tag` stays (the tags joined with ", ") for readers that predate the list.
      `ALTER TABLE annotations ADD COLUMN tags VARCHAR[]`,
    ],
    after: splitExistingAnnotationTags,
  },
  {
    version: 15,
    name: 'target_counts: events per target by capture, host, kind, category and op (core/query/target-counts.ts)',
    statements: [
      // Derived per capture (clock offsets do not matter), so the stacking panel counts targets,
      // directories and endpoints of the whole case, or of captures, hosts, kinds, categories and
      // ops, without reading every event. target_counts_captures lists the captures counted.
      `CREATE TABLE target_counts (
        capture_id INTEGER NOT NULL,
        host VARCHAR,
        kind VARCHAR NOT NULL,
        category VARCHAR NOT NULL,
        op VARCHAR NOT NULL,
        target VARCHAR NOT NULL,
        n BIGINT NOT NULL
      )`,
      `CREATE TABLE target_counts_captures (capture_id INTEGER PRIMARY KEY, events BIGINT NOT NULL)`,
    ],
  },
  {
    version: 16,
    name: 'derived tables per capture: pid spans, lifecycle rows, host connections (core/process/spans.ts, core/links/capture-links.ts)',
    statements: [
      // What each capture contributes to the process tree, computed once after its import: its
      // pids' activity (one full scan of its events). The tree itself is still joined across
      // captures from these rows and the lifecycle events (core/process/store.ts).
      `CREATE TABLE process_pid_spans (
        capture_id INTEGER NOT NULL,
        host VARCHAR,
        pid INTEGER NOT NULL,
        first_us BIGINT NOT NULL,
        last_us BIGINT NOT NULL,
        events BIGINT NOT NULL,
        process VARCHAR,
        ppid INTEGER,
        api BOOLEAN NOT NULL
      )`,
      // Each capture's lifecycle events (spawn, exec, exit: lifecycle.ts), copied once: found by op,
      // they lie all over a capture, and reading their text columns from the events decompresses
      // nearly every row group of a long trace.
      `CREATE TABLE process_lifecycle_rows (
        event_id BIGINT NOT NULL,
        capture_id INTEGER NOT NULL,
        ts_us BIGINT NOT NULL,
        kind VARCHAR NOT NULL,
        op VARCHAR NOT NULL,
        pid INTEGER,
        ppid INTEGER,
        process VARCHAR,
        target VARCHAR,
        args VARCHAR,
        ret VARCHAR,
        error VARCHAR,
        fields VARCHAR
      )`,
      // The captures spanned, with the event count and clock offset they were spanned at.
      `CREATE TABLE process_span_captures (capture_id INTEGER PRIMARY KEY, events BIGINT NOT NULL, clock_offset_us BIGINT NOT NULL)`,
      // A host capture's connections (its socket table replayed once), without their calls: the
      // calls are kept as its socket-call links (from the anchor). seq keeps the socket table's order.
      `CREATE TABLE host_connections (
        capture_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        pid INTEGER,
        anchor_event_id BIGINT NOT NULL,
        anchor_ts_us BIGINT NOT NULL,
        anchor_dur_us DOUBLE,
        role VARCHAR,
        transport VARCHAR,
        local_ip VARCHAR,
        local_port INTEGER,
        remote_ip VARCHAR,
        remote_port INTEGER,
        source VARCHAR NOT NULL
      )`,
      // The captures whose links are kept, and what they bring to links across captures.
      `CREATE TABLE link_captures (
        capture_id INTEGER PRIMARY KEY,
        events BIGINT NOT NULL,
        clock_offset_us BIGINT NOT NULL,
        wire BOOLEAN NOT NULL,
        connections BIGINT NOT NULL,
        device_rows BIGINT NOT NULL
      )`,
      // A capture's socket-call links are those whose from_event is one of its connections'
      // anchors. Links kept before this migration have no kept connections: built again on the next read.
      `DELETE FROM links`,
      `DELETE FROM links_state`,
    ],
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((m, x) => Math.max(m, x.version), 0);
