import { describe, expect, it } from 'vitest';
import { dateBasisLabel } from './date-basis.ts';

// the strings are captures.date_basis as core/model/date-basis.ts writes them
describe('date basis label', () => {
  it('says which value completed the times and whether it was assumed', () => {
    expect(dateBasisLabel('2026-11-26 (user)')).toBe('date: 2026-11-26 (user)');
    expect(dateBasisLabel('2026-11-26 (file modification date)')).toBe('date: 2026-11-26 (file modification date) — assumed; correct it with align');
    expect(dateBasisLabel('start 2019-07-01T10:00:00.000000Z (file modification time)')).toBe(
      'start of relative times: 2019-07-01T10:00:00.000000Z (file modification time) — assumed; correct it with align',
    );
  });
});
