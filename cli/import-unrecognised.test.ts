// `tracebench import` of a file no importer recognises: a clear error naming the file, the
// closest formats with their confidence and how to force one; the case records the offer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../core/testing/corpus.ts';
import { tempDir } from '../core/testing/temp.ts';
import { tb } from '../core/testing/cli-run.ts';

const STACK_TRACES = fixture('logs/flowview-stacktraces.log');


let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.remove());

describe('tracebench import of an unrecognised file', () => {
  it('fails naming the file, the closest formats with their confidence, and --format; the offer is recorded; --format imports it', () => {
    const casePath = dir.file('case.duckdb');
    const refused = tb('import', casePath, STACK_TRACES, '--json');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('tracebench import: flowview-stacktraces.log: format not recognised from its content');
    expect(refused.err).toContain('textlog (0.25)');
    expect(refused.err).toContain('force one with --format NAME (e.g. --format textlog;');
    const out = JSON.parse(refused.out) as { captures: unknown[]; errors: { file: string; error: string }[] };
    expect(out.captures).toEqual([]);
    expect(out.errors[0]?.file).toBe(STACK_TRACES);

    const offered = tb('query', casePath, 'SELECT file_name, reason FROM offered_files', '--json');
    expect(offered.code).toBe(0);
    expect(JSON.parse(offered.out)).toEqual([{ file_name: 'flowview-stacktraces.log', reason: expect.stringContaining('textlog (0.25)') }]);

    const forced = tb('import', casePath, STACK_TRACES, '--format', 'textlog', '--json', '--no-triage');
    expect(forced.code).toBe(0);
    expect((JSON.parse(forced.out) as { captures: { events: number }[] }).captures[0]?.events).toBe(3);
  });
});
