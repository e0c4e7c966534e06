import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnnotation } from '../annotations/annotations.ts';
import { alignCapture } from '../case/align.ts';
import { importFile } from '../ingest/import-file.ts';
import { CaptureWriter } from '../store/capture-writer.ts';
import { CaseStore } from '../store/case-store.ts';
import { tempDir } from '../testing/temp.ts';
import { buildReport } from './build.ts';
import { uncoveredIntervals } from './coverage.ts';
import { explanationBody } from './model.ts';

const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(2)>',
  "'><svg/onload=alert(3)>",
  '<iframe src="javascript:alert(4)"></iframe>',
  '</style><script>alert(5)</script>',
  '`${alert(6)}`',
  '<a href="javascript:alert(7)">x</a>',
  '[x](javascript:alert(8)) | --- |',
];

const REPORT_TAGS = ['doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'h3', 'h4', 'p', 'code', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'br', 'ul', 'ol', 'li', 'div', 'strong', 'section',
  // The timeline figure (inline SVG, figure.ts).
  'figure', 'figcaption', 'svg', 'g', 'rect', 'line', 'path', 'text'];

let dir: ReturnType<typeof tempDir>;
let store: CaseStore;
beforeEach(async () => {
  dir = tempDir();
  store = await CaseStore.open(dir.file('case.duckdb'));
});
afterEach(() => {
  store.close();
  dir.remove();
});

async function addCapture(name: string, host: string, events: { ts: number; op: string; target?: string; process?: string }[], kind: 'api' | 'log' = 'api') {
  const w = await CaptureWriter.begin(store, { fileName: name, filePath: null, format: 'jsonl', importerVersion: 'jsonl@test', host, dateBasis: null, tz: 'UTC' });
  events.forEach((e, i) => w.addEvent({ ts_us: e.ts, kind, op: e.op, category: 'file', target: e.target ?? null, process: e.process ?? null, pid: 100 + i, source_line: i + 1 }));
  return w.commit({ sha256: 'f'.repeat(64), sizeBytes: 100, continuationLines: 0, skippedLines: 0, warnings: [] });
}

describe('case report', () => {
  it('escapes every capture string: a capture full of XSS payloads yields a report with no script', async () => {
    const base = 1_795_673_602_000_000;
    await addCapture(`evil${PAYLOADS[0]}.log`, `host${PAYLOADS[1]}`, PAYLOADS.map((p, i) => ({ ts: base + i * 1000, op: p, target: p, process: p })));
    const jsonl = dir.file('evil.jsonl');
    writeFileSync(jsonl, PAYLOADS.map((p) => `${p}\n`).join(''));
    await importFile(store, jsonl, { format: 'jsonl', displayName: `x${PAYLOADS[2]}` });
    await createAnnotation(store, { event_id: 1, tag: `tag${PAYLOADS[3]}`, note: PAYLOADS.join('\n') }, `author${PAYLOADS[4]}`);

    const html = (await buildReport(store, { format: 'html' })).content;
    // Every real tag in the output is one the report itself writes, with no event handlers.
    const tags = html.match(/<[a-zA-Z!][^>]*>/g) ?? [];
    const names = new Set(tags.map((t) => /^<!?([a-zA-Z][a-zA-Z0-9]*)/.exec(t)?.[1]?.toLowerCase()));
    for (const name of names) expect(REPORT_TAGS).toContain(name);
    for (const tag of tags) expect(tag).not.toMatch(/\son\w+\s*=|javascript:/i);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain("default-src 'none'");
    // Neither falls back to default-src for <base>, and plugins get their own directive.
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="[^"]*object-src 'none'; base-uri 'none'/);

    const md = (await buildReport(store, { format: 'md' })).content;
    expect(md).not.toMatch(/<script|<img|<svg|<iframe/i);
    expect(md).not.toContain('](javascript:');
  });

  it('lists sources with hashes, annotations with ±5 s context from other captures, and coverage gaps', async () => {
    const t0 = 1_795_673_602_000_000;
    await addCapture('strace.txt', 'hmi', [
      { ts: t0, op: 'execve', target: '/bin/sh' },
      { ts: t0 + 100_000_000, op: 'openat', target: '/etc/shadow' },
    ]);
    await addCapture('syslog.log', 'hmi', [
      { ts: t0 + 2_000_000, op: 'log line near' },
      { ts: t0 + 9_000_000, op: 'log line far' },
    ], 'log');
    await addCapture('later.log', 'plc', [{ ts: t0 + 500_000_000, op: 'late' }], 'log');
    await createAnnotation(store, { event_id: 1, tag: 'suspicious', note: 'shell from the HMI' });

    const report = JSON.parse((await buildReport(store, { format: 'json' })).content);
    expect(report.sources.map((s: { file_name: string }) => s.file_name)).toEqual(['strace.txt', 'syslog.log', 'later.log']);
    expect(report.sources[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const [a] = report.annotations;
    expect(a.event.op).toBe('execve');
    expect(a.context.map((e: { op: string }) => e.op)).toEqual(['log line near']);
    expect(a.context[0].delta_s).toBe(2);
    expect(report.coverage.gaps).toHaveLength(1);
    expect(report.coverage.gaps[0].seconds).toBe(400);
    expect(report.coverage.blind_spots.join(' ')).toMatch(/plc: no API-call/);

    const html = (await buildReport(store, { format: 'html' })).content;
    expect(html).toContain('shell from the HMI');
    expect(html).toContain('Scope, collection governance and blind spots');
  });

  it('says which sources carry no host name instead of judging an unknown host', async () => {
    const w = await CaptureWriter.begin(store, { fileName: 'trace.txt', filePath: null, format: 'strace', importerVersion: 't', host: null, dateBasis: null, tz: 'UTC' });
    w.addEvent({ ts_us: 1_795_673_602_000_000, kind: 'api', op: 'openat', category: 'file', source_line: 1 });
    await w.commit({ sha256: 'a'.repeat(64), sizeBytes: 1, continuationLines: 0, skippedLines: 0, warnings: [] });
    const report = JSON.parse((await buildReport(store, { format: 'json' })).content);
    const spots = report.coverage.blind_spots.join(' ');
    expect(spots).toMatch(/Sources without a host name \(trace\.txt\).*--host/);
    expect(spots).not.toMatch(/Host \(unknown host\)/);
  });

  it('shows an aligned capture at its aligned times, with the offset once', async () => {
    const t0 = 1_795_673_602_000_000;
    const c = await addCapture('plc.log', 'plc', [{ ts: t0, op: 'a' }, { ts: t0 + 1_000_000, op: 'b' }], 'log');
    await alignCapture(store, { capture_id: c.capture_id, offset_us: 10_000_000 });
    const report = JSON.parse((await buildReport(store, { format: 'json' })).content);
    const [source] = report.sources;
    expect(source.first_ts).toBe('2026-11-26T06:13:32.000000Z');
    expect(source.last_ts).toBe('2026-11-26T06:13:33.000000Z');
    expect(source.clock_offset_s).toBe(10);
  });

  it('lists a finding\'s checks once: the explanation loses its trailing "Check next" sentence', () => {
    const f = { explanation: 'Rule X matched #1. Why it matters: Y. Check next: A. B.', check_next: ['A.', 'B.'] };
    expect(explanationBody(f)).toBe('Rule X matched #1. Why it matters: Y.');
    expect(explanationBody({ ...f, check_next: [] })).toBe(f.explanation);
  });

  it('finds uncovered intervals between capture spans', () => {
    expect(uncoveredIntervals([{ from_us: 0, to_us: 10e6 }, { from_us: 5e6, to_us: 20e6 }, { from_us: 30e6, to_us: 40e6 }])).toEqual([{ from_us: 20e6, to_us: 30e6 }]);
    expect(uncoveredIntervals([])).toEqual([]);
  });
});
