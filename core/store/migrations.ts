// Numbered schema migrations. A case file records every migration applied to it in
// `schema_migrations`; opening a case made by an older version applies the missing ones in
// order, inside one transaction each. Never edit a released migration: add the next number.
import { chainExistingAuditEntries } from './audit-chain.ts';
import { splitExistingAnnotationTags } from '../annotations/tags-migration.ts';
import type { CaseSession } from './case-session.ts';
import { MIGRATIONS_1_TO_9 } from './migrations-1-9.ts';
import { fillAllColumnValuesSql } from '../query/column-values.ts';

export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
  /** Work SQL alone cannot do (hashing), run after the statements in the same transaction. */
  after?: (session: CaseSession) => Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [
  ...MIGRATIONS_1_TO_9,
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
  {
    version: 18,
    name: 'column_values: distinct values per capture and column, with counts (core/query/column-values.ts)',
    statements: [
      // Filled when a capture is committed: the sorted table's value histograms and the free-text
      // filter's matching values are read from here instead of from every event. A value lives in
      // str_value or, for dur_us and pid, num_value. column_values_captures lists the captures filled.
      `CREATE TABLE column_values (
        capture_id INTEGER NOT NULL,
        col VARCHAR NOT NULL,
        str_value VARCHAR,
        num_value DOUBLE,
        n BIGINT NOT NULL
      )`,
      `CREATE TABLE column_values_captures (capture_id INTEGER PRIMARY KEY, events BIGINT NOT NULL)`,
      // The captures already in the case (GROUP BYs over their events, once).
      ...fillAllColumnValuesSql(),
    ],
  },
  {
    version: 19,
    name: 'sort_keys: each capture\'s events in the order of a wide sort column (core/query/sort-keys.ts)',
    statements: [
      // Built in the background after a case opens or an import ends, one capture and column at a
      // time; pos is the event's place in its capture sorted by the column (NULLs last, then
      // event_id), so a table page is a few position ranges. sort_keys_captures lists what is built.
      `CREATE TABLE sort_keys (col VARCHAR NOT NULL, capture_id INTEGER NOT NULL, pos BIGINT NOT NULL, event_id BIGINT NOT NULL)`,
      `CREATE TABLE sort_keys_captures (
        col VARCHAR NOT NULL,
        capture_id INTEGER NOT NULL,
        events BIGINT NOT NULL,
        non_null BIGINT NOT NULL,
        first_event_id BIGINT,
        last_event_id BIGINT,
        PRIMARY KEY (col, capture_id)
      )`,
    ],
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((m, x) => Math.max(m, x.version), 0);
