// The case-state digest a report's manifest records, so `tracebench verify` can tell whether the
// case still holds what the report was made from. Defined (and documented in
// docs/architecture.md, "Evidence integrity") as the SHA-256 of these UTF-8 lines:
//
//   tracebench-case-state/1
//   captures      then one line per capture, by capture_id
//   annotations   then one line per annotation, by annotation_id
//   findings      then one line per finding, by finding_id
//   audit-head    then "<seq> <entry_hash>" of the audit chain's last entry ("0 000…0" when empty)
//
// Each row line is DuckDB's to_json of the listed columns in that order (timestamps as
// "YYYY-MM-DD HH:MM:SS[.ffffff]", lists as JSON arrays). Columns are named, not `*`, so a later
// migration that adds a column does not change the digest of an unchanged case. Events are not
// listed one by one: each capture's sha256 and counts stand for its rows, and any logged change
// moves the audit head.
import { createHash } from 'node:crypto';
import type { RowReader } from '../store/case-session.ts';
import { readChainHead, type ChainHead } from '../store/audit-chain.ts';
import { rawSql } from '../store/sql.ts';

const SECTIONS: readonly { name: string; key: string; select: string }[] = [
  {
    name: 'captures',
    key: 'capture_id',
    select: `SELECT capture_id, file_name, file_path, format, sha256, size_bytes, host, events, rejected, first_ts, last_ts,
               clock_offset_us, clock_offset_basis, imported_at, importer_version, is_baseline
             FROM captures`,
  },
  {
    name: 'annotations',
    key: 'annotation_id',
    select: `SELECT annotation_id, event_id, ts_from, ts_to, tag, note, author, created_at, updated_at
             FROM annotations`,
  },
  {
    name: 'findings',
    key: 'finding_id',
    select: `SELECT finding_id, rule, title, score, severity, explanation, event_ids, attack, first_ts, last_ts, host, created_at
             FROM findings`,
  },
];

export interface CaseState {
  sha256: string;
  audit_head: { seq: number; entry_hash: string };
}

export async function caseStateDigest(reader: RowReader): Promise<CaseState> {
  const hash = createHash('sha256').update('tracebench-case-state/1\n');
  for (const s of SECTIONS) {
    hash.update(`${s.name}\n`);
    const rows = await reader.rows(rawSql(`SELECT to_json(t)::VARCHAR AS j FROM (${s.select}) t ORDER BY t.${s.key}`), { j: 'str' });
    for (const r of rows) hash.update(`${r.j}\n`);
  }
  const head: ChainHead = await readChainHead(reader);
  hash.update(`audit-head\n${head.seq} ${head.hash}\n`);
  return { sha256: hash.digest('hex'), audit_head: { seq: head.seq, entry_hash: head.hash } };
}
