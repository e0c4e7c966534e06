// The PDF written without a browser, read back as a reader would (PDF.js text extraction): the
// summary's facts on its first page, the running header and "Page X of Y" on every page, the
// annotations in time order with the annotated event's arguments intact (Unicode, a control
// character shown as an escape, a long base64 token wrapped rather than cut off), the figure, the
// manifest; `verify` accepts the PDF and rejects a one-byte change. A property: any event text
// renders, and what it shows (visible-text.ts) is all in the extracted text.
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnnotation } from '../../annotations/annotations.ts';
import { addCapture } from '../../api/testing-case.ts';
import { CaseStore } from '../../store/case-store.ts';
import { sql } from '../../store/sql.ts';
import { tempDir } from '../../testing/temp.ts';
import { buildReport, fullEditionFileName } from '../build.ts';
import { gatherReport } from '../gather.ts';
import { extractManifest, parseDetachedManifest, sha256Hex } from '../manifest.ts';
import type { ReportData } from '../model.ts';
import { verifyCase } from '../verify.ts';
import { fontCoverage } from './fonts.ts';
import { PdfLayout } from './layout.ts';
import { renderNativePdf, type NativePdfOptions } from './render.ts';
import { pdfPageTexts, squeezed } from './testing-pdf-text.ts';
import { visibleText } from './visible-text.ts';

const T0 = 1_795_687_200_000_000;
const UNICODE_ARG = '"/opt/Anlage/Grüße-Ωμέγα-Кириллица.cfg", "setpoint ≥ 950 °C"';
const BASE64 = 'QUJD'.repeat(90);
const ARGS = `"/bin/sh", ["sh", "-c", "echo ${BASE64} | base64 -d > /tmp/x\x07"], ${UNICODE_ARG}`;

const dir = tempDir();
let store: CaseStore;
let data: ReportData;

beforeAll(async () => {
  store = await CaseStore.open(dir.file('plant.duckdb'));
  await addCapture(store, 'hmi.strace', [
    ...Array.from({ length: 40 }, (_, i) => ({ ts_us: T0 + i * 100_000, pid: 10 + (i % 7), process: `p${i % 7}`, op: `op${i}` })),
    { ts_us: T0 + 2_050_000, pid: 99, process: 'maint-tool', op: 'execve', args: ARGS },
  ], 'hmi-1');
  const [exec] = await store.rows(sql`SELECT event_id FROM event_rows WHERE op = 'execve'`, { event_id: 'num' });
  // Made out of time order: the report puts them in time order.
  for (const i of [9, 3, 12, 1, 7, 5, 11, 2, 8, 4, 10, 6]) await createAnnotation(store, { event_id: i * 3, tag: i % 2 ? 'suspicious' : 'malicious', note: `note ${i}` }, 'ana');
  await createAnnotation(store, { event_id: exec?.event_id ?? 1, tag: 'malicious', note: 'the injected command — Grüße\nsecond line' }, 'ana');
  data = await gatherReport(store, new Date('2026-12-01T00:00:00Z'), dir.file('plant.duckdb'));
}, 60_000);
afterAll(() => {
  store.close();
  dir.remove();
});

describe('the native PDF report', () => {
  it('holds the summary, the figure, the annotations in time order with the event in full, and a header and footer on every page; verify accepts it and rejects a one-byte change', async () => {
    const report = await buildReport(store, { format: 'pdf' });
    const pdf = Buffer.from(report.content, 'base64');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = await pdfPageTexts(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    pages.forEach((text, i) => {
      expect(text).toContain('Tracebench case report — plant');
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
    });

    // The first page: the summary, its facts as the data states them.
    const first = pages[0] ?? '';
    expect(first).toContain('Executive summary');
    expect(first).toContain(`The analyst annotated ${data.annotations.length} moment(s)`);
    expect(first).toContain('hmi-1');
    expect(first).toContain(fullEditionFileName('plant-report'));
    const all = pages.join('\n');
    // The figure: its lanes' labels and time axis are drawn (vector marks with them).
    expect(all).toMatch(/Timeline[\s\S]*UTC, 2026-/);

    // Annotations in time order: each heading "A<id> <tag> event #…" where the data puts it.
    const positions = data.annotations.map((a) => all.indexOf(`A${a.annotation_id} ${a.tag} event #${a.event?.event_id ?? ''}`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((x, y) => x - y)).toEqual(positions);
    expect(data.annotations.map((a) => a.from)).toEqual([...data.annotations.map((a) => a.from)].sort());
    // The annotated event's arguments in full: Unicode intact, the control character escaped, the
    // 360-character token wrapped (all of it there).
    expect(squeezed(all)).toContain(squeezed(UNICODE_ARG));
    expect(squeezed(all)).toContain(squeezed(`echo ${BASE64} | base64 -d > /tmp/x\\x07`));
    expect(all).toContain('the injected command — Grüße');

    // Its manifest: beside it with the hash of these bytes, and on its last page without it.
    const detached = report.companions?.find((c) => c.file_name === `${report.file_name}.manifest.json`);
    const full = report.companions?.find((c) => c.file_name === fullEditionFileName('plant-report'));
    if (!detached || !full) throw new Error('a PDF comes with its manifest and the full-context HTML report');
    const manifest = parseDetachedManifest(detached.content);
    expect(manifest.format).toBe('pdf');
    expect(manifest.body_sha256).toBe(sha256Hex(pdf));
    expect(squeezed(pages[pages.length - 1] ?? '')).toContain(squeezed(`"state_sha256": "${manifest.case.state_sha256}"`));
    expect(squeezed(first)).toContain(squeezed(sha256Hex(extractManifest('html', full.content).body)));

    const pdfPath = dir.file('plant-report.pdf');
    writeFileSync(pdfPath, pdf);
    writeFileSync(`${pdfPath}.manifest.json`, detached.content);
    expect((await verifyCase(store, pdfPath)).verdict).toBe('verified');
    const fullPath = dir.file(full.file_name);
    writeFileSync(fullPath, full.content);
    expect((await verifyCase(store, fullPath)).verdict).toBe('verified');
    const changed = Buffer.from(pdf);
    const at = Math.floor(changed.length / 2);
    changed[at] = (changed[at] ?? 0) ^ 1;
    writeFileSync(pdfPath, changed);
    const tampered = await verifyCase(store, pdfPath);
    expect(tampered.verdict).toBe('failed');
    expect(tampered.report?.body).toBe('changed');
  }, 120_000);

  it('lays text out one glyph per character with this pdfkit (the fast path holds)', () => {
    expect(new PdfLayout({ title: 't', createdAt: new Date(0), compress: false }).plainLayout).toBe(true);
  });

  it('renders any event text without throwing, and everything it shows is in the extracted text', async () => {
    const options: NativePdfOptions = {
      full: { file_name: 'plant-report-full.html', body_sha256: 'ab'.repeat(32) },
      manifest: { ...parseDetachedManifestShape(), case: { ...parseDetachedManifestShape().case, name: 'plant' } },
      fileName: 'plant-report.pdf',
      compress: false,
    };
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.string({ unit: fc.constantFrom('a', 'Z', '0', '/', ' ', '\n', '\t', '\x00', '\x1b', 'é', 'Ω', 'Ж', '—', '中', '😀', '\u202e', '\u0301', 'א'), maxLength: 200 }),
      fc.string({ unit: fc.constantFrom('A', 'b', '+', '/', '='), minLength: 300, maxLength: 900 }),
    );
    const base = data.annotations.find((a) => a.event !== null);
    if (!base?.event) throw new Error('the case has an annotated event');
    await fc.assert(
      fc.asyncProperty(anyText, anyText, anyText, async (args, target, note) => {
        const event = { ...base.event!, args, target };
        const r: ReportData = { ...data, annotations: [{ ...base, event, note }] };
        const text = squeezed((await pdfPageTexts(await renderNativePdf(r, options))).join(''));
        expect(text).toContain(squeezed(visibleText(args, fontCoverage('mono'), true)));
        expect(text).toContain(squeezed(visibleText(target, fontCoverage('mono'))));
        expect(text).toContain(squeezed(visibleText(note, fontCoverage('sans'), true)));
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

function parseDetachedManifestShape(): NativePdfOptions['manifest'] {
  return {
    manifest_version: 1,
    hash: 'sha256',
    format: 'pdf',
    generated_at: data.generated_at,
    case: { path: data.case.path, name: data.case.name, schema_version: data.case.schema_version, state_sha256: 'cd'.repeat(32), audit_head: { seq: 1, entry_hash: 'ef' } },
    sources: [],
  };
}
