// The print edition (what the PDF is printed from): an annotation's context is folded and capped
// with the count of what was left out and where it is; the edition says so on its first page and
// still carries the running header, the summary and the figure; long runs in the case history
// fold to their ends without losing count. The screen edition is left as it was.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnnotation } from '../annotations/annotations.ts';
import { addCapture } from '../api/testing-case.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { tempDir } from '../testing/temp.ts';
import { gatherReport } from './gather.ts';
import { renderHtml } from './html.ts';
import type { ReportData } from './model.ts';
import { foldAuditRuns, PRINT_AUDIT_RUN_ENDS, PRINT_CONTEXT_ROWS, printContext, type FullEditionRef } from './print-edition.ts';

const T0 = 1_795_687_200_000_000;
const FULL: FullEditionRef = { file_name: 'case-report-full.html', body_sha256: 'ab'.repeat(32) };

const dir = tempDir();
let store: CaseStore;
let data: ReportData;

beforeAll(async () => {
  store = await CaseStore.open(dir.file('case.duckdb'));
  // Around the annotated event (pid 100): 4 events of its own process, 9 of other processes
  // (one each, so none folds), and an HMI's poll loop (one process, 30 × the same call: folded).
  await addCapture(store, 'host.strace', [
    { ts_us: T0, pid: 100, process: 'maint-tool', op: 'execve', args: '"/bin/sh", ["sh", "-c", "write 40001 9999"]' },
    ...[1, 2, 3, 4].map((i) => ({ ts_us: T0 + i * 100_000, pid: 100, process: 'maint-tool', op: `read${i}` })),
    ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => ({ ts_us: T0 + i * 200_000, pid: 200 + i, process: `helper${i}`, op: 'connect' })),
    ...Array.from({ length: 30 }, (_, i) => ({ ts_us: T0 + i * 45_000, pid: 4242, process: 'node', op: 'epoll_pwait' })),
  ], 'hmi-1');
  const [anchor] = await store.rows(sql`SELECT event_id FROM event_rows WHERE op = 'execve'`, { event_id: 'num' });
  await createAnnotation(store, { event_id: anchor?.event_id ?? 1, tag: 'malicious', note: 'the injected write' }, 'ana');
  for (let i = 0; i < 8; i++) await createAnnotation(store, { event_id: anchor?.event_id ?? 1, tag: 'suspicious', note: `again ${i}` }, 'ana');
  data = await gatherReport(store, new Date('2026-12-01T00:00:00Z'), dir.file('case.duckdb'));
}, 120_000);
afterAll(() => {
  store.close();
  dir.remove();
});

describe('print edition of an annotation', () => {
  it('keeps the most relevant context events, other processes first, and counts the rest', () => {
    const a = data.annotations[0];
    if (!a) throw new Error('the case has annotations');
    expect(a.context.length).toBe(13);
    const c = printContext(a);
    expect(c.shown).toHaveLength(PRINT_CONTEXT_ROWS);
    expect(c.omitted).toBe(a.context.length - PRINT_CONTEXT_ROWS);
    // Other processes before the annotated one: none of pid 100's own reads is among those kept.
    expect(c.shown.every((e) => e.pid !== 100)).toBe(true);
    // Nearest in time first: the first helpers, shown in time order.
    expect(c.shown.map((e) => e.process)).toEqual(['helper1', 'helper2', 'helper3', 'helper4', 'helper5'].slice(0, PRINT_CONTEXT_ROWS));
    expect(c.folded.map((f) => `${f.count} × ${f.op}`)).toEqual(['30 × epoll_pwait']);
  });

  it('prints the capped rows and says how many more are in the full report, by its file name', () => {
    const printed = renderHtml(data, { print: FULL });
    const first = /<section class="ann" data-annotation="1">[\s\S]*?<\/section>/.exec(printed)?.[0] ?? '';
    const rows = /data-context-rows="(\d+)"/.exec(first)?.[1];
    expect(Number(rows)).toBe(PRINT_CONTEXT_ROWS);
    expect(first.match(/<div class="ev">/g)).toHaveLength(PRINT_CONTEXT_ROWS + 1); // + the folded poll loop
    expect(first).toContain('30 × <code>epoll_pwait</code> by node');
    expect(first).toContain(`${13 - PRINT_CONTEXT_ROWS} more events in ${FULL.file_name}`);
    // The annotated event in full: its command line unclipped.
    expect(first).toContain('write 40001 9999');
    // The screen edition keeps all 13 rows of the same annotation.
    const screen = renderHtml(data);
    const screenFirst = screen.slice(screen.indexOf('id="annotation-1"'), screen.indexOf('id="annotation-2"'));
    expect(screenFirst.match(/<tr class="/g)).toHaveLength(13);
  });
});

describe('print edition of the report', () => {
  it('says on its first page that it is the print edition and where the full context is, with its hash', () => {
    const printed = renderHtml(data, { print: FULL });
    const firstPage = printed.slice(0, printed.indexOf('</section>'));
    expect(firstPage).toContain('Print edition.');
    expect(firstPage).toContain(FULL.file_name);
    expect(firstPage).toContain(FULL.body_sha256);
    expect(renderHtml(data)).not.toContain('data-edition="print"');
  });

  it('keeps the running header, the summary, the figure and every section in the same order', () => {
    const printed = renderHtml(data, { print: FULL });
    expect(printed).toMatch(/@top-left\{content:"Tracebench case report/);
    expect(printed).toContain('counter(pages)');
    expect(printed).toContain('<h2 id="summary">Executive summary</h2>');
    expect(printed).toMatch(/<figure><svg[\s\S]*<\/svg><figcaption>/);
    const order = ['summary', 'figure', 'incidents', 'annotations', 'findings', 'scope', 'evidence', 'sources', 'queries', 'audit', 'false-positives'];
    const at = order.map((id) => printed.indexOf(`id="${id}"`));
    expect(at.every((p) => p >= 0)).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
  });

  it('is laid out for print only, its context events one plain-text line each', () => {
    const printed = renderHtml(data, { print: FULL });
    // On screen the print edition shows nothing (Chromium lays it out once, in pages); the screen edition shows itself.
    expect(printed).toContain('@media screen{body{display:none}}');
    expect(renderHtml(data)).not.toContain('display:none');
    const first = /<section class="ann" data-annotation="1">[\s\S]*?<\/section>/.exec(printed)?.[0] ?? '';
    const lines = first.match(/<div class="ev">[^]*?<\/div>/g) ?? [];
    expect(lines.length).toBeGreaterThan(0);
    // No markup inside an event line but an error's mark or a folded line's op.
    for (const l of lines) expect(l.replace(/<\/?(div|code)[^>]*>/g, '')).not.toMatch(/<span/);
    expect(printed).toMatch(/\.ev\{[^}]*white-space:nowrap/);
  });

  it('folds the run of nine "annotate" entries in the case history to its ends, counting the rest', () => {
    const printed = renderHtml(data, { print: FULL });
    const audit = printed.slice(printed.indexOf('id="audit"'), printed.indexOf('id="false-positives"'));
    expect(audit.match(/<strong>annotate<\/strong>/g)).toHaveLength(2 * PRINT_AUDIT_RUN_ENDS + 1);
    expect(audit).toContain(`data-folded-audit="${9 - 2 * PRINT_AUDIT_RUN_ENDS}"`);
  });
});

describe('foldAuditRuns', () => {
  it('keeps every entry or counts it, in order, and folds only runs of one action', () => {
    const entry = fc.record({ at: fc.string({ maxLength: 3 }), action: fc.constantFrom('import', 'annotate', 'triage'), detail: fc.string({ maxLength: 3 }) });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 60 }), (audit: ReportData['audit']) => {
        const lines = foldAuditRuns(audit);
        const expanded = lines.flatMap((l) => ('entry' in l ? [l.entry.action] : Array<string>(l.count).fill(l.action)));
        expect(expanded).toEqual(audit.map((a) => a.action));
        const kept = lines.flatMap((l) => ('entry' in l ? [l.entry] : []));
        expect(kept.every((k, i) => i === 0 || audit.indexOf(k) > audit.indexOf(kept[i - 1] ?? k))).toBe(true);
        for (const l of lines) if (!('entry' in l)) expect(l.count).toBeGreaterThan(0);
      }),
    );
  });
});
