// The case schema's first migrations (1–9; 7 was never used), kept apart from the later ones so
// each file stays readable; migrations.ts lists them all in order. Never edit a released
// migration: add the next number in migrations.ts.
import type { Migration } from './migrations.ts';

export const MIGRATIONS_1_TO_9: readonly Migration[] = [
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
];
