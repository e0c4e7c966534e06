// The PDF report printed by a local headless Chromium (`--pdf-engine chromium`; the default is
// written without a browser, pdf-native/): the print edition of the HTML report (print-edition.ts).
// One code path for the CLI and the UI's export (the backend prints, in the browser shell and in
// Electron alike). The HTML has no script, so printing it is safe. Paged with a
// running header and page numbers (Chromium's header template, set through the print CSS title).
// Chromium is normally started ahead of the report and driven over its DevTools pipe
// (pdf-browser.ts); the one-shot `--print-to-pdf` run here is the fall-back when that fails.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractManifest, sha256Hex } from './manifest.ts';

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * Whether Chromium prints inside its sandbox. It refuses to run sandboxed as root (and CI runs as
 * root), so only then is the sandbox turned off from the start; otherwise it is tried sandboxed
 * first and turned off only when the sandbox cannot start here (no user namespaces in some
 * containers).
 */
export function pdfSandboxAttempts(uid: number | undefined): boolean[] {
  return uid === 0 ? [false] : [true, false];
}

/**
 * How Chromium is run to print, either way. --disable-pdf-tagging: a tagged (accessibility-structured) PDF
 * costs Chromium about twice the CPU per page and five times the bytes (a 1,000-annotation report:
 * docs/benchmarks.md); the HTML report written beside the PDF is the accessible edition.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--disable-pdf-tagging',
];

/**
 * The one-shot `--print-to-pdf` run's flags: no header and footer of Chromium's own (the report's
 * @page CSS sets them). Only for that run: given to a Chromium driven over its DevTools pipe
 * (pdf-browser.ts), `--no-pdf-header-footer` makes its renderer crash on the first page loaded.
 */
export const PRINT_FLAGS: readonly string[] = [...CHROMIUM_FLAGS, '--no-pdf-header-footer'];

export class PdfUnavailableError extends Error {}

/** The installed Chromium that prints reports, if any. */
export function findChromium(): string | undefined {
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

/**
 * Prints an HTML report (the print edition, build.ts) to PDF bytes. `warn` hears about a
 * fall-back to no sandbox. Chromium runs as a child process awaited without blocking, so a server
 * printing a report keeps answering the UI meanwhile.
 */
export async function printPdf(htmlText: string, warn: (message: string) => void = () => {}): Promise<Buffer> {
  const chromium = findChromium();
  if (!chromium) throw new PdfUnavailableError('PDF needs Chromium (apt-get install chromium); export HTML instead');
  const dir = mkdtempSync(join(tmpdir(), 'tracebench-pdf-'));
  try {
    const page = join(dir, 'report.html');
    const out = join(dir, 'report.pdf');
    writeFileSync(page, htmlText);
    let failure = '';
    for (const sandboxed of pdfSandboxAttempts(process.getuid?.())) {
      if (!sandboxed && failure) warn('Chromium\'s sandbox could not start here; printing without it (the report has no script)');
      const run = await runChromium(chromium, [...PRINT_FLAGS, ...(sandboxed ? [] : ['--no-sandbox']), `--user-data-dir=${join(dir, 'profile')}`, `--print-to-pdf=${out}`, `file://${page}`]);
      if (run.status === 0 && existsSync(out)) return readFileSync(out);
      failure = run.stderrTail || `exit ${run.status ?? 'signal'}`;
    }
    throw new Error(`Chromium could not print the report: ${failure}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The longest a print may take before Chromium is killed. */
export const PRINT_TIMEOUT_MS = 120_000;
const STDERR_KEPT = 4096;

/** Runs Chromium once; its exit status (null when killed at the time limit) and the end of its stderr. */
function runChromium(chromium: string, args: string[]): Promise<{ status: number | null; stderrTail: string }> {
  return new Promise((resolve) => {
    const child = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_KEPT);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), PRINT_TIMEOUT_MS);
    const done = (status: number | null) => {
      clearTimeout(timer);
      resolve({ status, stderrTail: stderr.split('\n').filter(Boolean).slice(-3).join(' ') });
    };
    child.on('error', (err) => {
      stderr += String(err);
      done(null);
    });
    child.on('close', (code) => done(code));
  });
}

/**
 * A PDF cannot carry its own hash, so its manifest travels beside it (FILE.pdf.manifest.json):
 * the printed HTML's manifest, for the PDF's bytes. The printed pages show the HTML's manifest too.
 */
export function detachedPdfManifest(htmlText: string, pdf: Uint8Array): string {
  const { manifest } = extractManifest('html', htmlText);
  return `${JSON.stringify({ ...manifest, format: 'pdf' as const, body_sha256: sha256Hex(pdf) }, null, 2)}\n`;
}
