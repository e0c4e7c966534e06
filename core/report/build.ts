// Case report entry point: gathers the data once, lays it out in the requested format and
// embeds the evidence manifest (manifest.ts) that `tracebench verify` checks.
import type { ReportFile, ReportRequest } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import { caseStateDigest, type CaseState } from './case-state.ts';
import { gatherReport } from './gather.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { embedManifest, makeManifest, sha256Hex } from './manifest.ts';
import { renderTimelineSvg, svgFile } from './figure.ts';
import { figureCaption } from './summary-text.ts';
import { detachedPdfManifest } from './pdf.ts';
import { startPdfPrinter, type PdfPrinter } from './pdf-browser.ts';
import type { ReportData } from './model.ts';
import type { FullEditionRef } from './print-edition.ts';

/** Tries to read the case between two writes; a case that keeps changing gets the last try. */
const CONSISTENT_READ_TRIES = 3;

export interface BuildOptions {
  /** The case the report names when `store` reads a copy of it (case-snapshot.ts). */
  casePath?: string;
  /** Hears what the PDF printer had to give up (its sandbox, say). */
  warn?: (message: string) => void;
  /**
   * How a PDF is made: written directly (native, the default: pdf-native/render.ts) or the HTML
   * print edition printed by a local Chromium (chromium: `tracebench report --pdf-engine chromium`).
   */
  pdfEngine?: PdfEngine;
  /**
   * For a Chromium-printed PDF: a Chromium the caller started earlier (the CLI, before it opens the
   * case), used and closed here. Without one, such a report starts its own before gathering the case.
   */
  printer?: PdfPrinter;
}

export const PDF_ENGINES = ['native', 'chromium'] as const;
export type PdfEngine = (typeof PDF_ENGINES)[number];

export async function buildReport(store: CaseStore, request: ReportRequest, options: BuildOptions = {}): Promise<ReportFile> {
  // Chromium starts while the case is gathered and rendered (pdf-browser.ts).
  const printer = request.format === 'pdf' && options.pdfEngine === 'chromium' ? (options.printer ?? startPdfPrinter(options.warn)) : null;
  try {
    return await buildWith(store, request, options, printer);
  } finally {
    await (printer ?? options.printer)?.close();
  }
}

async function buildWith(store: CaseStore, request: ReportRequest, options: BuildOptions, printer: PdfPrinter | null): Promise<ReportFile> {
  const { data, state } = await gatherConsistently(store, options.casePath ?? store.path);
  const stem = `${data.case.name}-report`;
  const textFormat = request.format === 'pdf' ? 'html' : request.format;
  const body = render(data, textFormat, stem);
  const content = embedManifest(textFormat, body, makeManifest(data, state, textFormat, body));
  switch (request.format) {
    case 'pdf': {
      // The PDF is the print edition (print-edition.ts); the full report goes beside it, and
      // the print edition names it with its body hash.
      const full = { file_name: fullEditionFileName(stem), body_sha256: sha256Hex(body) };
      if (options.pdfEngine !== 'chromium') return nativePdf(data, state, stem, full, content);
      const printBody = renderHtml(data, { print: full });
      const printed = embedManifest('html', printBody, makeManifest(data, state, 'html', printBody));
      if (!printer) throw new Error('a PDF report needs its printer');
      const pdf = await printer.print(printed);
      const companions = [
        { file_name: `${stem}.pdf.manifest.json`, mime: 'application/json', content: detachedPdfManifest(printed, pdf) },
        { file_name: full.file_name, mime: 'text/html', content },
      ];
      return { file_name: `${stem}.pdf`, mime: 'application/pdf', content: pdf.toString('base64'), encoding: 'base64', companions };
    }
    case 'html':
      return { file_name: `${stem}.html`, mime: 'text/html', content };
    case 'md':
      // GitHub shows neither inline SVG nor data: images in Markdown: the figure is a file beside it.
      return { file_name: `${stem}.md`, mime: 'text/markdown', content, companions: [{ file_name: figureFileName(stem), mime: 'image/svg+xml', content: svgFile(figureSvg(data)) }] };
    case 'json':
      return { file_name: `${stem}.json`, mime: 'application/json', content };
  }
}

/**
 * The PDF written directly (pdf-native/render.ts). Its manifest states everything but its own
 * hash on its last page; the detached FILE.pdf.manifest.json adds the hash of the bytes written.
 * The writer (pdfkit and its font engine: not every command's to load) is loaded only now: loaded
 * while the case was gathered, it slowed the gathering by more than its own cost
 * (docs/benchmarks.md).
 */
async function nativePdf(data: ReportData, state: CaseState, stem: string, full: FullEditionRef, fullContent: string): Promise<ReportFile> {
  const { renderNativePdf } = await import('./pdf-native/render.ts');
  const fileName = `${stem}.pdf`;
  const { body_sha256: _unknownYet, ...manifest } = makeManifest(data, state, 'pdf', '');
  const pdf = await renderNativePdf(data, { full, manifest, fileName });
  const detached = `${JSON.stringify({ ...manifest, body_sha256: sha256Hex(pdf) }, null, 2)}\n`;
  const companions = [
    { file_name: `${fileName}.manifest.json`, mime: 'application/json', content: detached },
    { file_name: full.file_name, mime: 'text/html', content: fullContent },
  ];
  return { file_name: fileName, mime: 'application/pdf', content: pdf.toString('base64'), encoding: 'base64', companions };
}

function render(data: ReportData, format: 'html' | 'md' | 'json', stem: string): string {
  switch (format) {
    case 'html':
      return renderHtml(data);
    case 'md':
      return renderMarkdown(data, { file_name: figureFileName(stem), sha256: sha256Hex(svgFile(figureSvg(data))) });
    case 'json':
      return `${JSON.stringify(data, null, 2)}\n`;
  }
}

/**
 * The report's data and the case-state digest of the same moment: the digest is taken before and
 * after gathering, and the gathering is repeated when a write (in the browser shell, say) fell
 * between them.
 */
async function gatherConsistently(store: CaseStore, casePath: string): Promise<{ data: ReportData; state: CaseState }> {
  let before = await caseStateDigest(store);
  for (let attempt = 1; ; attempt++) {
    const data = await gatherReport(store, new Date(), casePath);
    const after = await caseStateDigest(store);
    if (after.sha256 === before.sha256 || attempt >= CONSISTENT_READ_TRIES) return { data, state: after };
    before = after;
  }
}

/** The full-context HTML report written beside a PDF; it keeps this name wherever the PDF is saved. */
export function fullEditionFileName(stem: string): string {
  return `${stem}-full.html`;
}

function figureFileName(stem: string): string {
  return `${stem}-timeline.svg`;
}

function figureSvg(data: ReportData): string {
  return renderTimelineSvg(data.timeline, figureCaption(data));
}
