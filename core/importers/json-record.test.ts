// One bad JSON line is one reject: a line nested 100,000 levels deep used to overflow the stack in
// the flatteners (and JSON.stringify) and abort the whole file. Each JSON importer now reads its
// records through parseJsonRecord; each is checked here with good lines around a deep one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runText } from '../testing/collecting-sink.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan, parseJsonRecord } from './json-record.ts';
import { jsonLinesImporter } from './jsonl.ts';
import { makeDetectSample } from './registry.ts';
import { tsharkJsonImporter } from './tshark-json.ts';
import { windowsEventJsonImporter } from './winevent-jsonl.ts';
import { zeekImporter } from './zeek.ts';

const LEVELS = 100_000;
const deepArray = '['.repeat(LEVELS) + ']'.repeat(LEVELS);
const deepObject = '{"a":'.repeat(LEVELS) + '1' + '}'.repeat(LEVELS);
/** Lines that carry a real record's keys and one very deep value. */
const deepLines = (prefix: string): string[] => [`{${prefix},"x":${deepArray}}`, `{${prefix},"x":${deepObject}}`];

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? (value as unknown[]) : Object.values(value as Record<string, unknown>);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe('parseJsonRecord', () => {
  it('accepts a record at the depth limit and refuses one level more', () => {
    const nested = (levels: number): string => '{"a":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);
    expect(parseJsonRecord(nested(MAX_JSON_DEPTH)).ok).toBe(true);
    expect(parseJsonRecord(nested(MAX_JSON_DEPTH + 1))).toMatchObject({ ok: false, problem: 'too-deep' });
    expect(parseJsonRecord(`{"x":${deepArray}}`)).toMatchObject({ ok: false, problem: 'too-deep' });
    expect(parseJsonRecord('[1]')).toMatchObject({ ok: false, problem: 'not-object' });
    expect(parseJsonRecord('{"a":')).toMatchObject({ ok: false, problem: 'syntax' });
  });

  it('measures depth as a recursive walk would', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, max) => {
        expect(nestsDeeperThan(value, max)).toBe(depthOf(value) > max);
      }),
    );
  });
});

describe('a deeply nested line is one reject and the good lines import', () => {
  it('jsonl', () => {
    const good = '{"ts":"2024-05-01T10:00:00Z","msg":"pump started","pid":7}';
    const run = runText(jsonLinesImporter, [good, ...deepLines('"ts":"2024-05-01T10:00:01Z"'), deepArray, good].join('\n'));
    expect(run.events.map((e) => e.source_line)).toEqual([1, 5]);
    expect(run.rejects.map((r) => [r.line, r.reason])).toEqual([
      [2, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`],
      [3, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`],
      [4, 'not a JSON object'],
    ]);
  });

  it('jsonl detection does not throw on a deep line', () => {
    const good = '{"ts":"2024-05-01T10:00:00Z","msg":"pump started"}';
    const sample = makeDetectSample('x.jsonl', new TextEncoder().encode([good, ...deepLines('"ts":"2024-05-01T10:00:01Z"'), good, ''].join('\n')));
    expect(() => jsonLinesImporter.detect(sample)).not.toThrow();
  });

  it('zeek JSON', () => {
    const good = '{"_path":"conn","ts":1588205198.89971,"uid":"C1","id.orig_h":"10.0.0.5","id.orig_p":50000,"id.resp_h":"10.0.0.9","id.resp_p":502,"proto":"tcp"}';
    const run = runText(zeekImporter, [good, ...deepLines('"_path":"conn","ts":1588205199.1,"uid":"C2"'), good].join('\n'));
    expect(run.events.map((e) => e.source_line)).toEqual([1, 4]);
    expect(run.rejects.map((r) => [r.line, r.reason])).toEqual([
      [2, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`],
      [3, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`],
    ]);
  });

  it('winevent-jsonl', () => {
    const good = JSON.stringify({
      EventID: 1,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      SourceName: 'Microsoft-Windows-Sysmon',
      Hostname: 'eng-ws',
      TimeCreated: '2024-05-01T10:00:00.000Z',
      UtcTime: '2024-05-01 10:00:00.000',
      ProcessId: '42',
      Image: 'C:\\Windows\\System32\\cmd.exe',
    });
    const run = runText(windowsEventJsonImporter, [good, ...deepLines('"EventID":1,"Channel":"Security"'), good].join('\n'));
    expect(run.events.map((e) => e.source_line)).toEqual([1, 4]);
    expect(run.rejects.map((r) => [r.line, r.reason])).toEqual([
      [2, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`],
      [3, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`],
    ]);
  });

  it('tshark -T ek', () => {
    const index = '{"index":{"_index":"packets-2026-11-26","_type":"doc"}}';
    const packet =
      '{"timestamp":"1795673637618","layers":{"frame":{"frame_frame_time_epoch":"1795673637.618980000","frame_frame_len":"78"},' +
      '"ip":{"ip_ip_src":"127.0.0.1","ip_ip_dst":"127.0.0.1"},"tcp":{"tcp_tcp_srcport":"38610","tcp_tcp_dstport":"502"}}}';
    const deep = `{"timestamp":"1795673637700","layers":{"frame":${deepArray}}}`;
    const run = runText(tsharkJsonImporter, [index, packet, index, deep, index, packet].join('\n'));
    expect(run.events.map((e) => e.source_line)).toEqual([2, 6]);
    expect(run.rejects.map((r) => [r.line, r.reason])).toEqual([[4, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`]]);
  });
});
