// The short fuzz budget that runs with the unit tests: every importer in the registry gets its
// fixtures unchanged, cut at chunk boundaries, and mutated (byte flips, NUL runs, invalid UTF-8,
// CRLF/CR endings, a 3 MB line, a line just under the splitter's limit, 50 000-deep JSON, random
// stacks of these), fed the way the ingest feeds it. Each input must not crash, must finish within
// its time budget, must not hold more heap than its budget, and (text importers) must account for
// every line. The long form is `npm run fuzz` (core/importers/fuzz/run.ts).
import { describe, expect, it } from 'vitest';
import { IMPORTERS } from '../registry.ts';
import { capeImporter } from '../cape.ts';
import { tsharkJsonImporter } from '../tshark-json.ts';
import { lineFates, runText } from '../../testing/collecting-sink.ts';
import { describeCase, FIRST_RANDOM_CASE, fixedCases, randomCase, type CampaignSizes } from './campaign.ts';
import { runFuzzInput } from './harness.ts';
import type { TextImporter } from '../types.ts';
import { seedsFor } from './seeds.ts';

const RUN_SEED = 20261203;
const RANDOM_CASES = 16;
const SIZES: CampaignSizes = { longLineBytes: 3 * 1024 * 1024, nestingDepth: 50_000, truncationChunk: 4096, maxTruncationsPerSeed: 3, maxSeeds: 4 };

describe('importer fuzzing (short budget)', () => {
  it('has seed inputs for every importer in the registry', () => {
    const without = IMPORTERS.filter((i) => seedsFor(i.format).length === 0).map((i) => i.format);
    expect(without).toEqual([]);
  });

  it.each(IMPORTERS.map((i) => [i.format, i] as const))('%s: no crash, hang, memory growth or lost line', async (_format, importer) => {
    const seeds = seedsFor(importer.format);
    const cases = fixedCases(importer, seeds, RUN_SEED, SIZES);
    for (let i = 0; i < RANDOM_CASES; i++) cases.push(randomCase(importer, seeds, RUN_SEED, FIRST_RANDOM_CASE + i, SIZES));
    const failures: string[] = [];
    let seedsImported = 0;
    for (const c of cases) {
      const r = await runFuzzInput(importer, c.bytes, { chunkBytes: c.chunkBytes });
      if (r.verdict === 'ok' && c.steps.length === 0) seedsImported++;
      else if (r.verdict !== 'ok' && r.verdict !== 'refused') failures.push(`${r.verdict}: ${describeCase(c, RUN_SEED)}: ${r.detail.split('\n').slice(0, 3).join(' | ')}`);
    }
    expect(failures).toEqual([]);
    // An unchanged seed must import: a campaign where the importer refuses everything tests nothing.
    expect(seedsImported).toBeGreaterThan(0);
  });
});

describe('fuzz regressions', () => {
  it('tshark-json: a packet closed by a mismatched "]" is rejected at its line, not lost', () => {
    const run = runText(tsharkJsonImporter, '[\n  {\n    "_source": {}\n  ]\n]\n');
    expect(run.rejects.map((r) => r.line)).toEqual([2]);
    expect([...lineFates(run).keys()].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('tshark-json: an array opened at the packets\' level is blamed at its own line, not the previous packet\'s', () => {
    const packet = '{"_source": {"layers": {"frame": {"frame.time_epoch": "1795673764.596826000"}}}}';
    const run = runText(tsharkJsonImporter, `[\n  ${packet},\n  [\n    1\n`);
    expect(run.events.map((e) => e.source_line)).toEqual([2]);
    expect(run.rejects.map((r) => [r.line, r.reason])).toEqual([[3, 'the file ends inside a packet object (truncated export?)']]);
    expect([...lineFates(run).entries()].sort(([a], [b]) => a - b)).toEqual([[1, ['skip']], [2, ['event']], [3, ['reject']], [4, ['continuation']]]);
  });

  it('cape: a line the ingest drops as too long does not shift the numbers of the lines after it', async () => {
    const seed = seedsFor('cape')[0]!;
    const text = new TextDecoder().decode(seed.bytes);
    const lines = text.split('\n');
    // A runaway line (over the splitter's 1 Mi characters) inside the document, where JSON
    // allows whitespace: the rest still parses, and every line must keep its own number.
    lines.splice(1, 0, ' '.repeat((1 << 20) + 10));
    const r = await runFuzzInput(capeImporter, new TextEncoder().encode(lines.join('\n')));
    expect(r.verdict, r.detail).toBe('ok');
    expect(r.lines).toBe(text.split('\n').length + (text.endsWith('\n') ? 0 : 1));
  });
});

/** A text importer that does `onLine` with each line, for checking that the harness notices what it must. */
function fakeImporter(onLine: (text: string, n: number, sink: Parameters<TextImporter['open']>[1]) => void): TextImporter {
  return {
    mode: 'text',
    format: 'fake',
    title: 'fake',
    reads: 'anything',
    version: '0',
    module: import.meta.url,
    detect: () => 0,
    open: (_ctx, sink) => ({ line: (text, n) => onLine(text, n, sink), end: () => {} }),
  };
}

describe('fuzz harness verdicts', () => {
  const input = new TextEncoder().encode('a\nb\r\nc\n');
  it('accepts an importer that accounts for every line, and one that refuses with a plain Error', async () => {
    expect((await runFuzzInput(fakeImporter((_t, n, sink) => sink.skip(n)), input)).verdict).toBe('ok');
    const refusing = fakeImporter(() => {
      throw new Error('not this format');
    });
    expect((await runFuzzInput(refusing, input)).verdict).toBe('refused');
  });

  it('calls a TypeError a crash and a vanished line unaccounted', async () => {
    const typeError = fakeImporter(() => void (JSON.parse('null') as { x: string }).x.length);
    expect((await runFuzzInput(typeError, input)).verdict).toBe('crash');
    expect((await runFuzzInput(fakeImporter((t, n, sink) => (t === 'b' ? undefined : sink.skip(n))), input)).detail).toMatch(/line\(s\) 2 of 3/);
  });

  it('notices an importer that holds far more heap than its input', async () => {
    const hoard: number[][] = [];
    const hoarding = fakeImporter((_t, n, sink) => {
      if (n === 1) hoard.push(new Array<number>(12_000_000).fill(0.5)); // ~96 MB of doubles for a 9-byte input
      sink.skip(n);
    });
    const r = await runFuzzInput(hoarding, input);
    hoard.length = 0;
    expect(r.verdict).toBe('memory');
  });
});
