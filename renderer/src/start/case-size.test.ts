import { describe, expect, it } from 'vitest';
import { formatBytes } from './case-size.ts';

describe('formatBytes', () => {
  it('keeps small sizes in bytes and scales larger ones by 1024', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1023)).toBe('1023 bytes');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(12 * 1024 ** 2)).toBe('12.0 MiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });
});
