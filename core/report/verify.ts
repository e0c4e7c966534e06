// `tracebench verify`: checks a case's evidence and, optionally, one of its reports.
// - the audit chain, every link (store/audit-chain.ts);
// - each source still on disk (captures.file_path) against the SHA-256 recorded at import; a file
//   that is no longer there is "not available", which is not evidence of tampering;
// - a report: its body against the manifest's body hash, and the manifest against the case (the
//   case-state digest, the audit head, the sources' hashes).
// The verdict is "verified", "failed" (something does not match) — callers map it to exit 0/1.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { CaseStore } from '../store/case-store.ts';
import { verifyAuditChain, type ChainVerdict } from '../store/audit-chain.ts';
import { sql } from '../store/sql.ts';
import { caseStateDigest } from './case-state.ts';
import { extractManifest, parseDetachedManifest, sha256Hex, type ManifestFormat, type ReportManifest } from './manifest.ts';

export type SourceStatus = 'ok' | 'changed' | 'not-available' | 'no-path';

export interface SourceCheck {
  capture_id: number;
  file_name: string;
  file_path: string | null;
  status: SourceStatus;
  recorded_sha256: string;
  actual_sha256: string | null;
}

export interface ReportCheck {
  path: string;
  format: ManifestFormat;
  body: 'ok' | 'changed';
  /** same: the case is as the report saw it; changed-logged: later work, all in the audit log; changed-unlogged: changed with no audit entry. */
  case: 'same' | 'changed-logged' | 'changed-unlogged';
  problems: string[];
  notes: string[];
}

export interface VerifyResult {
  verdict: 'verified' | 'failed';
  chain: ChainVerdict;
  sources: SourceCheck[];
  report: ReportCheck | null;
  /** The verdict as sentences, in the order they were checked. */
  lines: string[];
}

export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Where a recorded source path is now. An import records the path as it was given; a relative
 * one is tried from the current folder, then from the case file's folder (where sources usually
 * sit beside the case).
 */
function locate(filePath: string, casePath: string): string | null {
  const candidates = isAbsolute(filePath) ? [filePath] : [resolve(filePath), resolve(dirname(casePath), filePath)];
  return candidates.find((p) => existsSync(p)) ?? null;
}

export async function checkSources(store: CaseStore, casePath = store.path): Promise<SourceCheck[]> {
  const rows = await store.rows(
    sql`SELECT capture_id, file_name, file_path, sha256 FROM captures ORDER BY capture_id`,
    { capture_id: 'num', file_name: 'str', file_path: 'str?', sha256: 'str' },
  );
  const out: SourceCheck[] = [];
  for (const r of rows) {
    const base = { capture_id: r.capture_id, file_name: r.file_name, file_path: r.file_path, recorded_sha256: r.sha256 };
    const found = r.file_path ? locate(r.file_path, casePath) : null;
    if (!r.file_path) out.push({ ...base, status: 'no-path', actual_sha256: null });
    else if (!found) out.push({ ...base, status: 'not-available', actual_sha256: null });
    else {
      const actual = await hashFile(found);
      out.push({ ...base, status: actual === r.sha256 ? 'ok' : 'changed', actual_sha256: actual });
    }
  }
  return out;
}

function formatOf(reportPath: string): ManifestFormat {
  const ext = /\.([a-z]+)$/i.exec(reportPath)?.[1]?.toLowerCase();
  if (ext === 'html' || ext === 'htm') return 'html';
  if (ext === 'md' || ext === 'markdown') return 'md';
  if (ext === 'json') return 'json';
  if (ext === 'pdf') return 'pdf';
  throw new Error(`${reportPath}: cannot tell the report's format from its name (expected .html, .md, .json or .pdf)`);
}

/** Reads the report and its manifest; throws (ManifestError or a read error) when it cannot. */
function readReport(reportPath: string): { format: ManifestFormat; manifest: ReportManifest; bodyHash: string } {
  const format = formatOf(reportPath);
  if (format === 'pdf') {
    const detached = `${reportPath}.manifest.json`;
    if (!existsSync(detached)) throw new Error(`${reportPath}: its detached manifest ${detached} is missing`);
    return { format, manifest: parseDetachedManifest(readFileSync(detached, 'utf8')), bodyHash: sha256Hex(readFileSync(reportPath)) };
  }
  const { body, manifest } = extractManifest(format, readFileSync(reportPath, 'utf8'));
  return { format, manifest, bodyHash: sha256Hex(body) };
}

async function checkReport(store: CaseStore, reportPath: string, chain: ChainVerdict, casePath: string): Promise<ReportCheck> {
  const { format, manifest, bodyHash } = readReport(reportPath);
  const problems: string[] = [];
  const notes: string[] = [];
  const body = bodyHash === manifest.body_sha256 ? 'ok' : 'changed';
  if (body === 'changed') problems.push(`the report's body was changed after it was written (SHA-256 ${bodyHash}, manifest says ${manifest.body_sha256})`);
  if (manifest.format !== format) problems.push(`the manifest is for a ${manifest.format} report, the file is ${format}`);

  const state = await caseStateDigest(store);
  let caseStatus: ReportCheck['case'] = 'same';
  if (state.sha256 !== manifest.case.state_sha256) {
    const head = manifest.case.audit_head;
    const entry = await store.one(sql`SELECT entry_hash, seq FROM audit_log WHERE seq = ${head.seq}`, { entry_hash: 'str?', seq: 'num' });
    const headStillThere = head.seq === 0 ? true : entry?.entry_hash === head.entry_hash;
    const later = chain.head.seq - head.seq;
    if (headStillThere && later > 0) {
      caseStatus = 'changed-logged';
      const actions = await store.rows(sql`SELECT action FROM audit_log WHERE seq > ${head.seq} ORDER BY seq`, { action: 'str' });
      problems.push(
        `the case changed after the report was made: ${later} later audit entr${later === 1 ? 'y' : 'ies'} (${actions.map((a) => a.action).join(', ')}); the report no longer describes the case as it is`,
      );
    } else {
      caseStatus = 'changed-unlogged';
      problems.push(
        headStillThere
          ? 'the case (captures, annotations or findings) was changed after the report without any audit entry: tampering or an edit outside Tracebench'
          : `the audit entry the report was made at (seq ${head.seq}) is no longer in the case as it was`,
      );
    }
  }
  const current = new Map((await store.rows(sql`SELECT capture_id, sha256 FROM captures`, { capture_id: 'num', sha256: 'str' })).map((c) => [c.capture_id, c.sha256]));
  for (const s of manifest.sources) {
    const now = current.get(s.capture_id);
    if (now === undefined) problems.push(`source ${s.capture_id} (${s.file_name}) named in the report is no longer in the case`);
    else if (now !== s.sha256) problems.push(`source ${s.capture_id} (${s.file_name}) has SHA-256 ${now} in the case, the report says ${s.sha256}`);
  }
  if (manifest.case.path !== casePath) notes.push(`the report was made from ${manifest.case.path}; verified against ${casePath}`);
  return { path: reportPath, format, body, case: caseStatus, problems, notes };
}

/** `casePath` names the case when `store` reads a copy of it (case-snapshot.ts). */
export async function verifyCase(store: CaseStore, reportPath?: string, casePath = store.path): Promise<VerifyResult> {
  const chain = await verifyAuditChain(store);
  const sources = await checkSources(store, casePath);
  const report = reportPath === undefined ? null : await checkReport(store, reportPath, chain, casePath);
  const lines: string[] = [];
  lines.push(
    chain.problems.length === 0
      ? `audit log: ${chain.entries} entr${chain.entries === 1 ? 'y' : 'ies'}, every link verified (head ${chain.head.seq} ${chain.head.hash.slice(0, 16)}…)`
      : `audit log: BROKEN — ${chain.problems.map((p) => p.problem).join('; ')}`,
  );
  for (const s of sources) {
    const name = `source ${s.capture_id} ${s.file_name}`;
    if (s.status === 'ok') lines.push(`${name}: matches its recorded SHA-256`);
    else if (s.status === 'changed') lines.push(`${name}: CHANGED — ${s.file_path} now hashes to ${s.actual_sha256}, recorded ${s.recorded_sha256}`);
    else if (s.status === 'not-available') lines.push(`${name}: not available (${s.file_path} is no longer on disk); not checked`);
    else lines.push(`${name}: not available (the case records no path for it); not checked`);
  }
  if (report) {
    if (report.problems.length === 0) lines.push(`report ${report.path}: body matches its manifest, and the case is as the report saw it`);
    for (const p of report.problems) lines.push(`report ${report.path}: ${p}`);
    for (const n of report.notes) lines.push(`report ${report.path}: note: ${n}`);
  }
  const failed = chain.problems.length > 0 || sources.some((s) => s.status === 'changed') || (report?.problems.length ?? 0) > 0;
  lines.push(failed ? 'verdict: FAILED — see above' : 'verdict: verified');
  return { verdict: failed ? 'failed' : 'verified', chain, sources, report, lines };
}
