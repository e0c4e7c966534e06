import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildReport, PDF_ENGINES, type PdfEngine } from '../../core/report/build.ts';
import { startPdfPrinter } from '../../core/report/pdf-browser.ts';
import { takeEarlyPdfPrinter } from '../../core/report/pdf-early.ts';
import { openCaseSnapshot } from '../../core/store/case-snapshot.ts';
import { CaseLockedError, CaseStore } from '../../core/store/case-store.ts';
import { CliUsageError, parse, type Command } from '../command.ts';

const FORMATS = ['html', 'md', 'json', 'pdf'] as const;

export const reportCommand: Command = {
  usage: 'report CASE --out FILE [--format html|md|json|pdf] [--pdf-engine native|chromium]',
  summary: 'writes the case report: sources with hashes, findings, annotations with their context, scope and blind spots',
  help: `
  --format pdf writes the report's print edition as a PDF and the full-context HTML report beside
  it (NAME-report-full.html); html is the default. --pdf-engine chromium prints the print edition
  with a local Chromium (headless) instead of writing the PDF directly (native, the default).`,
  async run(argv) {
    const { values, positionals } = parse(argv, { out: { type: 'string' }, format: { type: 'string' }, 'pdf-engine': { type: 'string' } });
    const [casePath] = positionals;
    if (!casePath || positionals.length !== 1) throw new CliUsageError('need exactly one case file');
    if (!values.out) throw new CliUsageError('--out FILE is required');
    const format = (values.format ?? 'html') as (typeof FORMATS)[number];
    if (!FORMATS.includes(format)) throw new CliUsageError(`--format must be one of ${FORMATS.join(', ')}`);
    const pdfEngine = (values['pdf-engine'] ?? 'native') as PdfEngine;
    if (!PDF_ENGINES.includes(pdfEngine)) throw new CliUsageError(`--pdf-engine must be one of ${PDF_ENGINES.join(', ')}`);
    if (values['pdf-engine'] !== undefined && format !== 'pdf') throw new CliUsageError('--pdf-engine is for --format pdf');
    const warn = (message: string) => process.stderr.write(`tracebench report: ${message}\n`);
    // Chromium starts first, so that it is ready when the report is (core/report/pdf-browser.ts) —
    // or has started already, before the CLI's modules loaded (bin/tracebench.js, pdf-early.ts).
    const printer = format === 'pdf' && pdfEngine === 'chromium' ? (takeEarlyPdfPrinter() ?? startPdfPrinter(warn)) : undefined;
    const opened = await openForReading(casePath).catch(async (err: unknown) => {
      await printer?.close();
      throw err;
    });
    const { store, close } = opened;
    try {
      const report = await buildReport(store, { format }, { casePath: resolve(casePath), warn, printer, pdfEngine });
      const out = resolve(values.out);
      writeFileSync(out, report.encoding === 'base64' ? Buffer.from(report.content, 'base64') : report.content);
      process.stderr.write(`report written to ${out}\n`);
      for (const c of report.companions ?? []) {
        const path = companionPath(out, report.file_name, c.file_name);
        writeFileSync(path, c.content);
        process.stderr.write(`${companionKind(c.mime)} written to ${path}\n`);
      }
      return 0;
    } finally {
      close();
    }
  },
};

/**
 * The case itself, or — while the browser shell or another process has it open, which DuckDB's
 * lock makes exclusive — a consistent copy of it (core/store/case-snapshot.ts). The report then
 * describes the case as it was at that moment, and its manifest lets verify check it later.
 */
export async function openForReading(casePath: string, readOnly = false): Promise<{ store: CaseStore; close: () => void }> {
  try {
    const store = await CaseStore.open(casePath, { create: false, readOnly });
    return { store, close: () => store.close() };
  } catch (err) {
    if (!(err instanceof CaseLockedError)) throw err;
    const snapshot = await openCaseSnapshot(casePath);
    process.stderr.write(`${err.message}: reading a copy taken at ${snapshot.taken_at}\n`);
    return { store: snapshot.store, close: snapshot.dispose };
  }
}

/** What a companion file is, for the messages: the Markdown figure, the PDF's full-context HTML report, or a manifest. */
function companionKind(mime: string): string {
  if (mime === 'image/svg+xml') return 'figure';
  if (mime === 'text/html') return 'full-context HTML report';
  return 'manifest';
}

/** A companion named after the report (FILE.pdf.manifest.json) follows --out; the Markdown figure keeps its name, beside it. */
function companionPath(out: string, reportName: string, companionName: string): string {
  return companionName.startsWith(reportName) ? `${out}${companionName.slice(reportName.length)}` : join(dirname(out), companionName);
}
