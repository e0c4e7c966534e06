import { describe, expect, it } from 'vitest';
import { tokenInFragment, withoutToken } from './http.ts';

describe('token in the URL fragment', () => {
  it('reads the token tracebench serve prints, with or without the leading #', () => {
    expect(tokenInFragment('#token=abcdefghijklmnop_-0123456789ABCD')).toBe('abcdefghijklmnop_-0123456789ABCD');
    expect(tokenInFragment('token=abcdefghijklmnop_-0123456789ABCD&x=1')).toBe('abcdefghijklmnop_-0123456789ABCD');
  });

  it('ignores fragments that are not a token: empty, too short, or with other characters', () => {
    expect(tokenInFragment('')).toBeNull();
    expect(tokenInFragment('#lane=3')).toBeNull();
    expect(tokenInFragment('#token=short')).toBeNull();
    expect(tokenInFragment('#token=abcdefghijklmnop<script>')).toBeNull();
  });
});

describe('stripping the token from the fragment', () => {
  it('keeps the view state that shares the fragment and drops only the token', () => {
    expect(withoutToken('#token=abcdefghijklmnop_-0123456789ABCD&view=%7B%22v%22%3A1%7D')).toBe('view=%7B%22v%22%3A1%7D');
    expect(withoutToken('#token=abcdefghijklmnop_-0123456789ABCD')).toBe('');
  });
});
