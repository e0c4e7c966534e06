import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TAG_LENGTH, MAX_TAGS, joinTags, normalizeTag, parseTags } from './tags.ts';

describe('annotation tags', () => {
  it('splits the one-string form on commas, trims, and drops empties', () => {
    expect(parseTags('malicious, initial-access')).toEqual(['malicious', 'initial-access']);
    expect(parseTags(' ,needs-review,, ')).toEqual(['needs-review']);
    expect(parseTags('')).toEqual([]);
  });

  it('merges lists and strings in order, dropping repeats case-insensitively (the first spelling wins)', () => {
    expect(parseTags(['Malicious', 'lateral  movement'], 'malicious, T0855')).toEqual(['Malicious', 'lateral movement', 'T0855']);
    expect(parseTags(undefined, null, ['a'])).toEqual(['a']);
  });

  it('caps the length of a tag and the number of tags', () => {
    expect(normalizeTag('x'.repeat(200))).toHaveLength(MAX_TAG_LENGTH);
    expect(parseTags(Array.from({ length: 50 }, (_, i) => `t${i}`))).toHaveLength(MAX_TAGS);
  });

  it('property: parsing the joined form gives the same tags back (the legacy column loses nothing)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 80 }), { maxLength: 40 }), (raw) => {
        const tags = parseTags(raw);
        expect(parseTags(joinTags(tags))).toEqual(tags);
        for (const tag of tags) {
          expect(tag).not.toContain(',');
          expect(tag).toBe(tag.trim());
          expect(tag.length).toBeGreaterThan(0);
        }
        expect(new Set(tags.map((t) => t.toLowerCase())).size).toBe(tags.length);
      }),
    );
  });
});
