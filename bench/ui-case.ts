// The UI benchmark's case (1 M–10 M events, BENCH_UI_EVENTS), built straight into a case file with DuckDB SQL (an
// import of ~700 MB of strace text would take many minutes). It goes through CaseStore.open, so
// the schema is the real one (migrations), and its rows look like what the importers write:
//   * three strace captures (one per host, 200 processes in all, a few very chatty ones), each
//     appended in time order like an import, ~2 hours with bursts; a syscall mix weighted like a
//     Linux HMI / engineering workstation (reads, futex, epoll, socket I/O…), ~1–4 % failures;
//   * a syslog, an HMI alarm list, a Zeek conn log and a Modbus write log (~7 000 events).
// Event ids are contiguous per capture, as CaptureWriter allocates them. Deterministic: every
// "random" choice is a hash of the row number.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { CaseStore } from '../core/store/case-store.ts';
import { fillSummariesSql } from '../core/timeline/summary.ts';
import { fillColumnValuesSql } from '../core/query/column-values.ts';
import { ensureTargetCounts } from '../core/query/target-counts.ts';
import { buildMissingSortKeys } from '../core/query/sort-keys.ts';
import { buildEventIdIndex } from '../core/store/event-id-index.ts';

export const UI_CASE_VERSION = 3;
const T0_US = Date.UTC(2026, 10, 26, 8, 0, 0) * 1000;
const SPAN_US = 2 * 3600 * 1_000_000;
const HOSTS = ['hmi-01', 'ews-02', 'hist-03'] as const;
/** Share of the API calls recorded on each host. */
const HOST_SHARE = [0.5, 0.3, 0.2] as const;
const PROCESSES = 200;

const PROCESS_NAMES = [
  'scada-hmi', 'python3', 'java', 'modbus-gw', 'opcua-server', 'historian', 'sshd', 'bash', 'systemd', 'systemd-journal',
  'cron', 'rsyslogd', 'dbus-daemon', 'NetworkManager', 'Xorg', 'xfce4-panel', 'firefox', 'postgres', 'nginx', 'node',
  'codesys-ide', 'step7-svc', 'plc-sync', 'alarmd', 'trendd', 'tagd', 'backupd', 'snmpd', 'chronyd', 'polkitd',
];

/** The syscall mix: [op, category, weight in ‰, what the target is]. */
const OPS: [string, string, number, 'file' | 'net' | 'ipc' | 'none' | 'proc'][] = [
  ['read', 'file', 195, 'file'],
  ['write', 'file', 80, 'file'],
  ['openat', 'file', 80, 'file'],
  ['close', 'file', 90, 'none'],
  ['fstat', 'file', 40, 'file'],
  ['lseek', 'file', 20, 'none'],
  ['stat', 'file', 20, 'file'],
  ['mmap', 'memory', 30, 'none'],
  ['munmap', 'memory', 10, 'none'],
  ['futex', 'ipc', 100, 'ipc'],
  ['epoll_wait', 'ipc', 60, 'ipc'],
  ['poll', 'ipc', 30, 'ipc'],
  ['recvfrom', 'network', 50, 'net'],
  ['sendto', 'network', 50, 'net'],
  ['connect', 'network', 10, 'net'],
  ['socket', 'network', 8, 'none'],
  ['clock_gettime', 'time', 60, 'none'],
  ['nanosleep', 'time', 30, 'none'],
  ['ioctl', 'device', 26, 'none'],
  ['getpid', 'process', 5, 'none'],
  ['clone', 'process', 3, 'proc'],
  ['execve', 'process', 2, 'proc'],
  ['kill', 'signal', 1, 'proc'],
];

const OTHER = [
  { file: 'syslog.log', format: 'textlog', host: 'hmi-01', kind: 'log', category: 'log', op: 'syslog', n: 3000 },
  { file: 'hmi-alarms.csv', format: 'csv', host: 'hmi-01', kind: 'alarm', category: 'alarm', op: 'alarm', n: 800 },
  { file: 'conn.log', format: 'zeek', host: 'sensor', kind: 'network', category: 'network', op: 'conn', n: 2500 },
  { file: 'modbus-writes.csv', format: 'ics-probe-csv', host: 'plc-gw', kind: 'ics', category: 'ics', op: 'write_register', n: 600 },
] as const;

function q(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** "Random" in [0, 1) from a hash of the row number and a salt (deterministic). */
function u(salt: number): string {
  return `((bh(i * 7919 + ${salt}) % 1000000) / 1000000.0)`;
}

/** A monotone time for row i of n: 2 hours with bursts (density varies about 1:9). */
function timeExpr(n: number): string {
  const k = 37; // bursts over the span
  return `(${T0_US} + CAST(floor(${SPAN_US} * (i / ${n}.0 - 0.8 * sin(2 * pi() * ${k} * i / ${n}.0) / (2 * pi() * ${k}))) AS BIGINT)
          + CAST(bh(i * 31 + 5) % 200 AS BIGINT))`;
}

async function buildInto(path: string, totalEvents: number): Promise<void> {
  const store = await CaseStore.open(path, { create: true, threads: 2, memoryLimit: '4GB' });
  const conn = store.connection();
  try {
    // hash() is UBIGINT; list indexes and arithmetic want BIGINT.
    await conn.run('CREATE TEMP MACRO bh(x) AS CAST(hash(x) % 1000000007 AS BIGINT)');
    const names = PROCESS_NAMES.map(q).join(', ');
    // 200 processes; each host gets a share; rank 0 of a host is its chattiest process.
    await conn.run(`CREATE TEMP TABLE bench_procs AS
      SELECT p AS idx, ['${HOSTS.join("','")}'][1 + (p % 3)] AS host, (p // 3) AS rank,
             CAST(1000 + p * 37 + (bh(p) % 29) AS INTEGER) AS pid,
             CAST(CASE WHEN p < 12 THEN 1 ELSE 1000 + (p % 12) * 37 END AS INTEGER) AS ppid,
             [${names}][1 + (p % ${PROCESS_NAMES.length})] AS process
      FROM range(${PROCESSES}) t(p)`);
    const slots: string[] = [];
    let slot = 0;
    OPS.forEach(([op, category, weight, target], index) => {
      slots.push(`(${slot}, ${slot + weight}, ${index}, ${q(op)}, ${q(category)}, ${q(target)})`);
      slot += weight;
    });
    if (slot !== 1000) throw new Error(`op weights sum to ${slot}‰, not 1000`);
    await conn.run(`CREATE TEMP TABLE bench_op_ranges(lo INTEGER, hi INTEGER, idx INTEGER, op VARCHAR, category VARCHAR, target_kind VARCHAR)`);
    await conn.run(`INSERT INTO bench_op_ranges VALUES ${slots.join(', ')}`);
    await conn.run(`CREATE TEMP TABLE bench_ops AS SELECT s AS slot, o.op, o.category, o.target_kind
      FROM range(1000) t(s) JOIN bench_op_ranges o ON s >= o.lo AND s < o.hi`);

    const otherTotal = OTHER.reduce((n, o) => n + o.n, 0);
    const apiTotal = totalEvents - otherTotal;
    let nextEventId = 1;
    let captureId = 0;
    const captures: { id: number; file: string; format: string; host: string; bytesPerEvent: number }[] = [];

    for (const [h, host] of HOSTS.entries()) {
      captureId++;
      const n = h === HOSTS.length - 1 ? apiTotal - Math.round(apiTotal * (HOST_SHARE[0] + HOST_SHARE[1])) : Math.round(apiTotal * HOST_SHARE[h]!);
      const procsOnHost = Math.ceil((PROCESSES - h) / 3);
      process.stderr.write(`  ui case: strace capture ${captureId} (${host}), ${n.toLocaleString()} calls…\n`);
      // rank = floor(k · u^2.5): a handful of processes make most of the calls.
      await conn.run(`INSERT INTO event_rows
        SELECT ${nextEventId} + i AS event_id, ${captureId} AS capture_id, ts AS ts_us, ts AS ts_raw_us,
               CAST(CASE WHEN o.target_kind = 'ipc' OR o.op = 'nanosleep' THEN bh(i * 13 + 1) % 50000 ELSE bh(i * 13 + 1) % 300 END AS DOUBLE) AS dur_us,
               ${q(host)} AS host, p.pid, CAST(p.pid + (CASE WHEN bh(i * 17) % 4 = 0 THEN 1 + bh(i * 19) % 8 ELSE 0 END) AS INTEGER) AS tid, p.ppid, p.process,
               'api' AS kind, o.op, o.category,
               CASE o.target_kind
                 WHEN 'file' THEN CASE bh(i * 23) % 6
                   WHEN 0 THEN '/var/lib/' || p.process || '/tags/tag_' || (bh(i * 29) % 400) || '.dat'
                   WHEN 1 THEN '/opt/scada/projects/line' || (bh(i * 29) % 8) || '/screen_' || (bh(i * 31) % 60) || '.xml'
                   WHEN 2 THEN '/usr/lib/x86_64-linux-gnu/lib' || ['ssl', 'crypto', 'modbus', 'open62541', 'z', 'pthread'][1 + bh(i * 29) % 6] || '.so'
                   WHEN 3 THEN '/proc/' || p.pid || '/' || ['stat', 'status', 'maps', 'fd'][1 + bh(i * 29) % 4]
                   WHEN 4 THEN '/etc/' || ['hosts', 'resolv.conf', 'passwd', 'localtime', 'ssl/openssl.cnf'][1 + bh(i * 29) % 5]
                   ELSE '/var/log/' || p.process || '.log' END
                 WHEN 'net' THEN '10.20.' || (bh(i * 29) % 4) || '.' || (10 + bh(i * 31) % 240) || ':' || [502, 4840, 102, 20000, 443, 5432][1 + bh(i * 37) % 6]
                 WHEN 'ipc' THEN printf('0x7f%08x', bh(p.pid * 41 + bh(i * 43) % 6) % 4294967296)
                 WHEN 'proc' THEN CASE WHEN o.op = 'execve' THEN ['/bin/sh', '/usr/bin/python3', '/usr/sbin/ip', '/usr/bin/curl'][1 + bh(i * 29) % 4] ELSE CAST(1000 + bh(i * 29) % 8000 AS VARCHAR) END
                 ELSE NULL END AS target,
               CASE WHEN o.target_kind IN ('file', 'net') THEN (3 + bh(i * 47) % 60) || ', ' || (bh(i * 53) % 8192) ELSE NULL END AS args,
               CASE WHEN err IS NOT NULL THEN '-1' ELSE CAST(bh(i * 59) % 4096 AS VARCHAR) END AS ret,
               err AS error, i + 1 AS source_line, NULL AS fields, NULL AS level
        FROM (SELECT i, ${timeExpr(n)} AS ts,
                     CAST(floor(${procsOnHost} * pow(${u(1)}, 2.5)) AS BIGINT) AS rank,
                     CAST(bh(i * 7 + 3) % 1000 AS BIGINT) AS slot
              FROM range(${n}) t(i)) r
        JOIN bench_procs p ON p.host = ${q(host)} AND p.rank = r.rank
        JOIN bench_ops o ON o.slot = r.slot
        CROSS JOIN LATERAL (SELECT CASE
                 WHEN o.op IN ('openat', 'stat') AND bh(i * 61) % 100 < 12 THEN 'ENOENT'
                 WHEN o.op IN ('recvfrom', 'connect') AND bh(i * 61) % 100 < 6 THEN 'EAGAIN'
                 WHEN o.op = 'connect' AND bh(i * 61) % 100 < 9 THEN 'ECONNREFUSED'
                 WHEN bh(i * 67) % 1000 < 3 THEN 'EINTR' END AS err) e
        ORDER BY i`);
      captures.push({ id: captureId, file: `strace-${host}.txt`, format: 'strace', host, bytesPerEvent: 140 });
      nextEventId += n;
    }

    for (const o of OTHER) {
      captureId++;
      await conn.run(`INSERT INTO event_rows
        SELECT ${nextEventId} + i, ${captureId}, ts, ts, NULL, ${q(o.host)}, NULL, NULL, NULL,
               ['plc-sync', 'alarmd', 'sshd', 'modbus-gw', 'kernel'][1 + bh(i * 71) % 5],
               ${q(o.kind)}, ${q(o.op)}, ${q(o.category)},
               CASE ${q(o.kind)}
                 WHEN 'network' THEN '10.20.' || (bh(i * 29) % 4) || '.' || (10 + bh(i * 31) % 240) || ':' || [502, 4840, 102, 22][1 + bh(i * 37) % 4]
                 WHEN 'ics' THEN 'unit ' || (1 + bh(i * 29) % 8) || ' register ' || (40001 + bh(i * 31) % 200)
                 WHEN 'alarm' THEN 'TAG_' || (bh(i * 29) % 300) || ' ' || ['HI', 'HIHI', 'LO', 'COMM'][1 + bh(i * 31) % 4]
                 ELSE ['sshd', 'systemd', 'kernel', 'cron', 'plc-sync'][1 + bh(i * 29) % 5] END,
               'line ' || i, NULL,
               CASE WHEN bh(i * 73) % 100 < 2 THEN 'failed' ELSE NULL END, i + 1, NULL, NULL
        FROM (SELECT i, ${timeExpr(o.n)} AS ts FROM range(${o.n}) t(i)) ORDER BY i`);
      captures.push({ id: captureId, file: o.file, format: o.format, host: o.host, bytesPerEvent: 120 });
      nextEventId += o.n;
    }

    for (const c of captures) {
      const sha = createHash('sha256').update(`tracebench ui bench ${UI_CASE_VERSION} ${c.file}`).digest('hex');
      await conn.run(`INSERT INTO captures (capture_id, file_name, file_path, format, sha256, size_bytes, host, events, rejected,
          first_ts, last_ts, imported_at, importer_version, date_basis, warnings)
        SELECT ${c.id}, ${q(c.file)}, NULL, ${q(c.format)}, ${q(sha)}, count(*) * ${c.bytesPerEvent}, ${q(c.host)}, count(*), 0,
               make_timestamp(min(ts_us)), make_timestamp(max(ts_us)), now()::TIMESTAMP, 'bench-ui-${UI_CASE_VERSION}',
               ${c.format === 'strace' ? q('--date 2026-11-26 (synthetic case: bench/ui-case.ts)') : 'NULL'}, NULL
        FROM event_rows WHERE capture_id = ${c.id}`);
    }
    // The timeline's summaries, as an import fills them per capture (capture-writer.ts).
    for (const c of captures) for (const statement of fillSummariesSql(c.id)) await store.exec(statement);
    // Its distinct values per column (sorted pages, free-text filter) and its target counts
    // (stacking), as an import and the derived step after it fill them. Version 2 of this case had
    // neither: a freshly built one measured the scans those tables stand in for.
    for (const c of captures) for (const statement of fillColumnValuesSql(c.id)) await store.exec(statement);
    await ensureTargetCounts(store);
    await conn.run('CHECKPOINT');
  } finally {
    store.close();
  }
}

export interface UiCase {
  path: string;
  built: boolean;
  /** Seconds this call spent building (0 when the case was cached). */
  build_s: number;
  /** Seconds the build took when it was made (kept next to the case), for the growth table. */
  recorded_build_s: number | null;
  /**
   * Seconds the sort keys took (sort-keys.ts): an open case builds them in the background after
   * its import; here once, after the build, so that every run measures the case as an analyst
   * has it a few seconds after an import. Null for a case cached without the figure.
   */
  sort_keys_s: number | null;
}

/** A figure recorded beside the case when it was built (`<case>.build.json`), or null. */
function recordedSeconds(path: string, key: 'build_s' | 'sort_keys_s' | 'index_s'): number | null {
  try {
    const value = (JSON.parse(readFileSync(`${path}.build.json`, 'utf8')) as Record<string, unknown>)[key];
    return typeof value === 'number' ? value : null;
  } catch {
    return null;
  }
}

/** The cached case under `dir` for `events` events, built when missing. */
export async function ensureUiCase(dir: string, events: number): Promise<UiCase> {
  const path = `${dir}/ui-${events}-v${UI_CASE_VERSION}.duckdb`;
  if (existsSync(path)) {
    // What a case cached before a keyed column or the event id index lacks: made here, once, as
    // the builder would after an import (the time of keys added is added to the keys' time).
    const added = await backgroundBuilds(path);
    if (added.keys_s !== null) recordBuild(path, { sort_keys_s: +((recordedSeconds(path, 'sort_keys_s') ?? 0) + added.keys_s).toFixed(1) });
    if (added.index_s !== null) recordBuild(path, { index_s: added.index_s });
    return { path, built: false, build_s: 0, recorded_build_s: recordedSeconds(path, 'build_s'), sort_keys_s: recordedSeconds(path, 'sort_keys_s') };
  }
  const building = `${path}.building`;
  rmSync(building, { force: true });
  rmSync(`${building}.wal`, { force: true });
  const started = performance.now();
  await buildInto(building, events);
  renameSync(building, path);
  if (existsSync(`${building}.wal`)) renameSync(`${building}.wal`, `${path}.wal`);
  const buildSeconds = +((performance.now() - started) / 1000).toFixed(1);
  const built = await backgroundBuilds(path);
  const keysSeconds = built.keys_s ?? 0;
  recordBuild(path, { build_s: buildSeconds, sort_keys_s: keysSeconds, index_s: built.index_s ?? 0, at: new Date().toISOString() });
  return { path, built: true, build_s: buildSeconds, recorded_build_s: buildSeconds, sort_keys_s: keysSeconds };
}

/**
 * What an open case builds in the background (sort-keys.ts, then event-id-index.ts), built here
 * in one open of the case: seconds each took, null for one that had nothing to build.
 */
async function backgroundBuilds(path: string): Promise<{ keys_s: number | null; index_s: number | null }> {
  const store = await CaseStore.open(path);
  const seconds = (since: number) => +((performance.now() - since) / 1000).toFixed(1);
  try {
    let started = performance.now();
    const keys_s = (await buildMissingSortKeys(store, () => false)) > 0 ? seconds(started) : null;
    started = performance.now();
    const index_s = (await buildEventIdIndex(store)) ? seconds(started) : null;
    return { keys_s, index_s };
  } finally {
    store.close();
  }
}

/** Adds figures to `<case>.build.json`. */
function recordBuild(path: string, figures: Record<string, number | string>): void {
  let kept: Record<string, unknown> = {};
  try {
    kept = JSON.parse(readFileSync(`${path}.build.json`, 'utf8')) as Record<string, unknown>;
  } catch {
    // none yet
  }
  writeFileSync(`${path}.build.json`, `${JSON.stringify({ ...kept, ...figures })}\n`);
}
