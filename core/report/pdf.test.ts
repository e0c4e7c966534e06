// PDF printing with Chromium (`--pdf-engine chromium`; the native writer is pdf-native/*.test.ts):
// the sandbox choice, and (where a Chromium is installed) a real print of a small case — paged, titled with the running header's text, its detached manifest matching the bytes,
// the full-context HTML report beside it matching the hash the print edition names, and
// `verify` accepting the PDF and rejecting it after a one-byte change.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnnotation } from '../annotations/annotations.ts';
import { addCapture } from '../api/testing-case.ts';
import { CaseStore } from '../store/case-store.ts';
import { tempDir } from '../testing/temp.ts';
import { buildReport, fullEditionFileName } from './build.ts';
import { extractManifest, parseDetachedManifest, sha256Hex } from './manifest.ts';
import { pdfSandboxAttempts, PRINT_FLAGS } from './pdf.ts';
import { verifyCase } from './verify.ts';

describe('PDF printing sandbox', () => {
  it('keeps Chromium sandboxed unless it runs as root (where Chromium refuses its sandbox)', () => {
    expect(pdfSandboxAttempts(1000)).toEqual([true, false]);
    expect(pdfSandboxAttempts(0)).toEqual([false]);
    // No uid (Windows): sandbox first.
    expect(pdfSandboxAttempts(undefined)).toEqual([true, false]);
  });

  it('prints headless, without Chromium\'s own header and footer (the report sets its own)', () => {
    expect(PRINT_FLAGS).toEqual(expect.arrayContaining(['--headless', '--no-pdf-header-footer']));
  });
});

const HAS_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].some((p) => existsSync(p));

describe.skipIf(!HAS_CHROMIUM)('a PDF report printed by Chromium', () => {
  const dir = tempDir();
  let store: CaseStore;
  beforeAll(async () => {
    store = await CaseStore.open(dir.file('plant.duckdb'));
    const t0 = 1_795_687_200_000_000;
    await addCapture(store, 'hmi.strace', Array.from({ length: 40 }, (_, i) => ({ ts_us: t0 + i * 100_000, pid: 10 + (i % 7), process: `p${i % 7}`, op: `op${i}` })), 'hmi-1');
    for (let i = 1; i <= 12; i++) await createAnnotation(store, { event_id: i * 3, tag: 'suspicious', note: `note ${i}` }, 'ana');
  }, 60_000);
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('is paged, carries its title, and verifies with its detached manifest; the full report beside it is the one it names', async () => {
    const report = await buildReport(store, { format: 'pdf' }, { pdfEngine: 'chromium' });
    expect(report.encoding).toBe('base64');
    const pdf = Buffer.from(report.content, 'base64');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The summary page breaks before the figure: at least two pages.
    expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBeGreaterThanOrEqual(2);
    // The document title (the running header's text), UTF-16BE in the PDF's info.
    const title = /\/Title <FEFF([0-9A-F]+)>/.exec(pdf.toString('latin1'))?.[1] ?? '';
    expect(Buffer.from(title, 'hex').swap16().toString('utf16le')).toBe('Tracebench case report — plant');

    const manifestFile = report.companions?.find((c) => c.file_name === `${report.file_name}.manifest.json`);
    const full = report.companions?.find((c) => c.file_name === fullEditionFileName('plant-report'));
    if (!manifestFile || !full) throw new Error('a PDF comes with its manifest and the full-context HTML report');
    const manifest = parseDetachedManifest(manifestFile.content);
    expect(manifest.format).toBe('pdf');
    expect(manifest.body_sha256).toBe(sha256Hex(pdf));
    // The full report is a complete HTML report with every context row and its own manifest.
    const fullManifest = extractManifest('html', full.content).manifest;
    expect(fullManifest.case.state_sha256).toBe(manifest.case.state_sha256);
    expect(full.content).not.toContain('data-edition="print"');

    const pdfPath = dir.file('plant-report.pdf');
    writeFileSync(pdfPath, pdf);
    writeFileSync(`${pdfPath}.manifest.json`, manifestFile.content);
    const fullPath = dir.file(full.file_name);
    writeFileSync(fullPath, full.content);
    expect((await verifyCase(store, pdfPath)).verdict).toBe('verified');
    expect((await verifyCase(store, fullPath)).verdict).toBe('verified');
    const bytes = readFileSync(pdfPath);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 1;
    writeFileSync(pdfPath, bytes);
    const tampered = await verifyCase(store, pdfPath);
    expect(tampered.verdict).toBe('failed');
    expect(tampered.report?.body).toBe('changed');
  }, 120_000);
});
