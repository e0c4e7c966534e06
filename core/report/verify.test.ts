// Evidence integrity end to end: a report made from a case verifies while nothing changed, and
// each kind of tampering is detected — an edited audit row, an annotation changed after the
// report (logged or not), one byte of a source file, one byte of the report's body. A source no
// longer on disk is "not available", not a failure.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnnotation, updateAnnotation } from '../annotations/annotations.ts';
import { CaptureWriter } from '../store/capture-writer.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { buildReport } from './build.ts';
import { extractManifest } from './manifest.ts';
import { verifyCase } from './verify.ts';

const SOURCE = '2026-11-20T10:00:00Z plc1 write register 40001 = 7\n2026-11-20T10:00:01Z plc1 write register 40002 = 9\n';

let dir: ReturnType<typeof tempDir>;
let store: CaseStore;
let sourcePath: string;

beforeEach(async () => {
  dir = tempDir();
  sourcePath = dir.file('plc.log');
  writeFileSync(sourcePath, SOURCE);
  store = await CaseStore.open(dir.file('case.duckdb'));
  const writer = await CaptureWriter.begin(store, {
    fileName: 'plc.log', filePath: sourcePath, format: 'textlog', importerVersion: 'textlog@1', host: 'plc1', dateBasis: null, tz: 'UTC',
  });
  writer.addEvent({ ts_us: 1_795_687_200_000_000, kind: 'log', op: 'write', category: 'ics', source_line: 1 });
  writer.addEvent({ ts_us: 1_795_687_201_000_000, kind: 'log', op: 'write', category: 'ics', source_line: 2 });
  const sha256 = createHash('sha256').update(SOURCE).digest('hex');
  await writer.commit({ sha256, sizeBytes: SOURCE.length, continuationLines: 0, skippedLines: 0, warnings: [] });
  await createAnnotation(store, { event_id: 1, tag: 'suspicious', note: 'first write' }, 'analyst');
});
afterEach(() => {
  store.close();
  dir.remove();
});

async function writeReport(format: 'html' | 'md' | 'json'): Promise<string> {
  const path = dir.file(`report.${format}`);
  writeFileSync(path, (await buildReport(store, { format })).content);
  return path;
}

describe('verify', () => {
  it.each(['html', 'md', 'json'] as const)('an untouched case and its %s report verify', async (format) => {
    const report = await writeReport(format);
    const result = await verifyCase(store, report);
    expect(result.lines.join('\n')).toMatch(/verdict: verified/);
    expect(result.verdict).toBe('verified');
    expect(result.sources.map((s) => s.status)).toEqual(['ok']);
    expect(result.report?.body).toBe('ok');
    // The body hash covers the report without its manifest block, exactly.
    const { body, manifest } = extractManifest(format, readFileSync(report, 'utf8'));
    expect(createHash('sha256').update(body).digest('hex')).toBe(manifest.body_sha256);
    expect(manifest.sources[0]?.sha256).toBe(createHash('sha256').update(SOURCE).digest('hex'));
  });

  it('the JSON report stays the report object, with the manifest as its last member', async () => {
    const parsed = JSON.parse(readFileSync(await writeReport('json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(parsed).at(-1)).toBe('manifest');
    expect(parsed['report_version']).toBe(1);
  });

  it('detects one byte changed in a report body', async () => {
    for (const format of ['html', 'md', 'json'] as const) {
      const report = await writeReport(format);
      const text = readFileSync(report, 'utf8');
      const at = text.indexOf('first write');
      writeFileSync(report, `${text.slice(0, at)}F${text.slice(at + 1)}`);
      const result = await verifyCase(store, report);
      expect(result.verdict, format).toBe('failed');
      expect(result.report?.body, format).toBe('changed');
      expect(result.report?.case, format).toBe('same');
    }
  });

  it('detects an edited audit row', async () => {
    await store.exec(sql`UPDATE audit_log SET detail = replace(detail, 'suspicious', 'benign') WHERE action = 'annotate'`);
    const result = await verifyCase(store);
    expect(result.verdict).toBe('failed');
    expect(result.chain.problems.map((p) => p.seq)).toEqual([2]);
    expect(result.lines[0]).toMatch(/BROKEN/);
  });

  it('detects an annotation changed after the report, with or without an audit entry', async () => {
    const report = await writeReport('html');
    await store.exec(sql`UPDATE annotations SET note = 'nothing to see' WHERE annotation_id = 1`);
    const unlogged = await verifyCase(store, report);
    expect(unlogged.verdict).toBe('failed');
    expect(unlogged.report?.case).toBe('changed-unlogged');
    expect(unlogged.chain.problems).toEqual([]);

    await updateAnnotation(store, { annotation_id: 1, tag: 'benign' });
    const logged = await verifyCase(store, report);
    expect(logged.verdict).toBe('failed');
    expect(logged.report?.case).toBe('changed-logged');
    expect(logged.lines.join('\n')).toMatch(/1 later audit entry \(annotation-update\)/);
  });

  it('detects one byte changed in a source file, and calls a missing one not available', async () => {
    writeFileSync(sourcePath, SOURCE.replace('= 7', '= 8'));
    const changed = await verifyCase(store);
    expect(changed.verdict).toBe('failed');
    expect(changed.sources[0]?.status).toBe('changed');
    rmSync(sourcePath);
    const missing = await verifyCase(store);
    expect(missing.sources[0]?.status).toBe('not-available');
    expect(missing.verdict).toBe('verified');
    expect(missing.lines.join('\n')).toMatch(/not available/);
  });

  it('finds a source recorded by a relative path beside the case file', async () => {
    await store.exec(sql`UPDATE captures SET file_path = 'plc.log'`);
    expect((await verifyCase(store)).sources[0]?.status).toBe('ok');
    writeFileSync(sourcePath, SOURCE.replace('= 9', '= 1'));
    expect((await verifyCase(store)).sources[0]?.status).toBe('changed');
  });
});
