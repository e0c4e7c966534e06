// The Chromium the entry point starts before the CLI loads: only for a PDF report, and never
// keeping the process alive when the command fails before taking it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium } from './pdf.ts';
import { reportWantsPdf } from './pdf-early.ts';

describe('reportWantsPdf', () => {
  it('is true for --format pdf with --pdf-engine chromium, in either spelling, anywhere among the options', () => {
    expect(reportWantsPdf(['case.duckdb', '--format', 'pdf', '--pdf-engine', 'chromium', '--out', 'r.pdf'])).toBe(true);
    expect(reportWantsPdf(['--pdf-engine=chromium', '--out', 'r.pdf', '--format=pdf', 'case.duckdb'])).toBe(true);
  });

  it('is false for a PDF written natively (the default engine needs no browser)', () => {
    expect(reportWantsPdf(['case.duckdb', '--format', 'pdf', '--out', 'r.pdf'])).toBe(false);
    expect(reportWantsPdf(['case.duckdb', '--format=pdf', '--pdf-engine', 'native', '--out', 'r.pdf'])).toBe(false);
  });

  it('is false for other formats, the default, a value that merely looks like pdf, and help', () => {
    expect(reportWantsPdf(['case.duckdb', '--out', 'r.html'])).toBe(false);
    expect(reportWantsPdf(['case.duckdb', '--format', 'html', '--out', 'pdf'])).toBe(false);
    expect(reportWantsPdf(['pdf', '--out', 'r'])).toBe(false);
    expect(reportWantsPdf(['case.duckdb', '--format', 'pdf', '--pdf-engine', 'chromium', '--help'])).toBe(false);
    expect(reportWantsPdf(['-h', '--format', 'pdf', '--pdf-engine=chromium'])).toBe(false);
  });
});

describe.skipIf(findChromium() === undefined)('tracebench report --format pdf failing before it prints', () => {
  it('exits with its error (the early Chromium closed), not hanging on it', () => {
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'tracebench.js');
    const run = spawnSync(process.execPath, [bin, 'report', 'no-such-case.duckdb', '--format', 'pdf', '--pdf-engine', 'chromium'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--out FILE is required');
  }, 90_000);
});
