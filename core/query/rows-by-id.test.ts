import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idRuns } from './rows-by-id.ts';

describe('idRuns', () => {
  it('splits sorted ids into runs of close ids, in order, every id once', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 50_000 }), { maxLength: 60 }), (ids) => {
        const sorted = [...ids].sort((a, b) => a - b);
        const runs = idRuns(sorted);
        expect(runs.flat()).toEqual(sorted);
        for (const run of runs) for (let i = 1; i < run.length; i++) expect((run[i] ?? 0) - (run[i - 1] ?? 0)).toBeLessThanOrEqual(2_048);
        for (let i = 1; i < runs.length; i++) expect((runs[i]?.[0] ?? 0) - (runs[i - 1]?.at(-1) ?? 0)).toBeGreaterThan(2_048);
      }),
    );
  });
});
