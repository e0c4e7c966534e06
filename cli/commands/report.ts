import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildReport } from '../../core/report/build.ts';
import { CaseStore } from '../../core/store/case-store.ts';
import { CliUsageError, parse, type Command } from '../command.ts';

const FORMATS = ['html', 'md', 'json', 'pdf'] as const;
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const reportCommand: Command = {
  usage: 'report CASE --out FILE [--format html|md|json|pdf]',
  summary: 'writes the case report: sources with hashes, findings, annotations with their context, scope and blind spots',
  help: `
  --format pdf prints the HTML report with a local Chromium (headless); html is the default.`,
  async run(argv) {
    const { values, positionals } = parse(argv, { out: { type: 'string' }, format: { type: 'string' } });
    const [casePath] = positionals;
    if (!casePath || positionals.length !== 1) throw new CliUsageError('need exactly one case file');
    if (!values.out) throw new CliUsageError('--out FILE is required');
    const format = (values.format ?? 'html') as (typeof FORMATS)[number];
    if (!FORMATS.includes(format)) throw new CliUsageError(`--format must be one of ${FORMATS.join(', ')}`);
    const store = await CaseStore.open(casePath, { create: false });
    try {
      const report = await buildReport(store, { format: format === 'pdf' ? 'html' : format });
      const out = resolve(values.out);
      if (format === 'pdf') printPdf(report.content, out);
      else writeFileSync(out, report.content);
      process.stderr.write(`report written to ${out}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};

/**
 * Whether Chromium prints inside its sandbox. It refuses to run sandboxed as root (and CI runs as
 * root), so only then is the sandbox turned off from the start; otherwise it is tried sandboxed
 * first and turned off only when the sandbox cannot start here (no user namespaces in some
 * containers), which the command says on stderr.
 */
export function pdfSandboxAttempts(uid: number | undefined): boolean[] {
  return uid === 0 ? [false] : [true, false];
}

/** Prints HTML to PDF with headless Chromium; the HTML has no script, so printing is safe. */
function printPdf(htmlText: string, out: string): void {
  const chromium = CHROMIUM_CANDIDATES.find((p) => existsSync(p));
  if (!chromium) throw new Error('PDF needs Chromium (apt-get install chromium); use --format html instead');
  const dir = mkdtempSync(join(tmpdir(), 'tracebench-pdf-'));
  try {
    const page = join(dir, 'report.html');
    writeFileSync(page, htmlText);
    let failure = '';
    for (const sandboxed of pdfSandboxAttempts(process.getuid?.())) {
      if (!sandboxed && failure) process.stderr.write('tracebench report: Chromium\'s sandbox could not start here; printing without it (the report has no script)\n');
      const run = spawnSync(
        chromium,
        ['--headless', ...(sandboxed ? [] : ['--no-sandbox']), '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
          `--user-data-dir=${join(dir, 'profile')}`, '--no-pdf-header-footer', `--print-to-pdf=${out}`, `file://${page}`],
        { encoding: 'utf8', timeout: 120_000 },
      );
      if (run.status === 0 && existsSync(out)) return;
      failure = (run.stderr || '').split('\n').slice(-3).join(' ');
    }
    throw new Error(`Chromium could not print the report: ${failure}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
