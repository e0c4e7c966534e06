// What must hold after any kill: the case opens, every capture and annotation committed before is
// intact, and nothing half-written is visible (a capture whose rows do not add up, rows without a
// capture, a findings set that is not the one the last triage recorded, a torn report file).
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, readFileSync } from 'node:fs';
import { CAPTURE_OWNED_TABLES } from '../core/store/orphans.ts';
import { CaseStore } from '../core/store/case-store.ts';
import { sql } from '../core/store/sql.ts';

/** What earlier rounds committed (grows as rounds commit). */
export interface KnownState {
  captures: Map<number, number>;
  annotations: Map<number, string>;
}

/**
 * Rows without a capture as DuckDB's own recovery leaves them, read before our open removes them:
 * the count that tells whether the import path itself stayed atomic.
 */
export async function rawOrphanRows(path: string): Promise<number> {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  try {
    const conn = await instance.connect();
    let total = 0;
    for (const table of CAPTURE_OWNED_TABLES) {
      const reader = await conn.runAndReadAll(`SELECT count(*) AS n FROM ${table} WHERE capture_id NOT IN (SELECT capture_id FROM captures)`);
      total += Number(reader.getRowObjectsJS()[0]?.['n'] ?? 0);
    }
    conn.closeSync();
    return total;
  } finally {
    instance.closeSync();
  }
}

/** Checks the case after a round; returns the problems found (empty: nothing lost) and updates `known`. */
export async function checkCase(path: string, known: KnownState, reportFile: string | null): Promise<string[]> {
  const problems: string[] = [];
  const orphans = await rawOrphanRows(path);
  if (orphans > 0) problems.push(`${orphans} row(s) without a capture after DuckDB's recovery`);
  let store: CaseStore;
  try {
    store = await CaseStore.open(path, { create: false });
  } catch (err) {
    return [...problems, `the case does not open: ${(err as Error).message}`];
  }
  try {
    const captures = await store.rows(
      sql`SELECT c.capture_id, c.events, (SELECT count(*) FROM event_rows e WHERE e.capture_id = c.capture_id) AS stored,
                 (SELECT count(*) FROM capture_lanes l WHERE l.capture_id = c.capture_id) AS lanes,
                 (SELECT count(*) FROM audit_log a WHERE a.action = 'import' AND json_extract(a.detail, '$.capture_id')::INTEGER = c.capture_id) AS audited
          FROM captures c ORDER BY c.capture_id`,
      { capture_id: 'num', events: 'num', stored: 'num', lanes: 'num', audited: 'num' },
    );
    const seen = new Set<number>();
    for (const c of captures) {
      seen.add(c.capture_id);
      const before = known.captures.get(c.capture_id);
      if (before !== undefined && before !== c.events) problems.push(`capture ${c.capture_id} had ${before} events, now says ${c.events}`);
      if (c.stored !== c.events) problems.push(`capture ${c.capture_id} says ${c.events} events but ${c.stored} are stored`);
      if (c.events > 0 && c.lanes === 0) problems.push(`capture ${c.capture_id} has no timeline lanes`);
      if (c.audited !== 1) problems.push(`capture ${c.capture_id} has ${c.audited} import record(s) in the history`);
      known.captures.set(c.capture_id, c.events);
    }
    for (const id of known.captures.keys()) if (!seen.has(id)) problems.push(`capture ${id} is gone`);

    const annotations = await store.rows(sql`SELECT annotation_id, tag || '|' || note AS text FROM annotations`, { annotation_id: 'num', text: 'str' });
    const present = new Map(annotations.map((a) => [a.annotation_id, a.text]));
    for (const [id, text] of known.annotations) {
      if (present.get(id) !== text) problems.push(`annotation ${id} "${text}" is ${present.has(id) ? `now "${present.get(id)}"` : 'gone'}`);
    }
    for (const [id, text] of present) known.annotations.set(id, text);

    const [triage] = await store.rows(sql`SELECT detail FROM audit_log WHERE action = 'triage' ORDER BY logged_at DESC LIMIT 1`, { detail: 'str' });
    const recorded = triage ? (JSON.parse(triage.detail) as { findings: number }).findings : 0;
    const findings = await store.one(sql`SELECT count(*) AS n FROM findings`, { n: 'num' });
    if ((findings?.n ?? 0) !== recorded) problems.push(`${findings?.n ?? 0} findings stored, the last triage recorded ${recorded}`);
  } finally {
    store.close();
  }
  if (reportFile && existsSync(reportFile) && !readFileSync(reportFile, 'utf8').trimEnd().endsWith('</html>')) {
    problems.push(`report ${reportFile} is torn`);
  }
  return problems;
}
