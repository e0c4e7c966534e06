import { describe, expect, it } from 'vitest';
import { pdfSandboxAttempts } from './pdf.ts';

describe('PDF printing sandbox', () => {
  it('keeps Chromium sandboxed unless it runs as root (where Chromium refuses its sandbox)', () => {
    expect(pdfSandboxAttempts(1000)).toEqual([true, false]);
    expect(pdfSandboxAttempts(0)).toEqual([false]);
    // No uid (Windows): sandbox first.
    expect(pdfSandboxAttempts(undefined)).toEqual([true, false]);
  });
});
