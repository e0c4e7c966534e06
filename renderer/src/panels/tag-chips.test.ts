import { describe, expect, it } from 'vitest';
import { addTypedTags, tagSuggestions } from './tag-chips.ts';

describe('tag chips', () => {
  it('adds typed tags split on commas, trimmed, without repeats ignoring case', () => {
    expect(addTypedTags(['malicious'], ' initial-access ,  Malicious,, lateral  move ')).toEqual(['malicious', 'initial-access', 'lateral move']);
    expect(addTypedTags([], '  ')).toEqual([]);
  });

  it("suggests the case's tags first, then the standard ones, matching the typed text and skipping chosen ones", () => {
    expect(tagSuggestions(['T0855', 'malicious'], [], '')).toEqual(['T0855', 'malicious', 'benign', 'suspicious', 'needs-review']);
    expect(tagSuggestions(['T0855', 'malicious'], ['Malicious'], 'm')).toEqual([]);
    expect(tagSuggestions(['initial-access', 'malicious'], [], 'acc')).toEqual(['initial-access']);
    expect(tagSuggestions(['ics-write'], [], 'i')).toEqual(['ics-write', 'benign', 'suspicious', 'malicious', 'needs-review']);
    expect(tagSuggestions([], [], 'ci')).toEqual(['suspicious', 'malicious']);
    expect(tagSuggestions(['a', 'b', 'c'], [], '', 2)).toEqual(['a', 'b']);
  });
});
