// The PDF report written directly, without a browser: the print edition (same sections, order and
// folding as core/report/print-edition.ts) laid out with pdfkit, the DejaVu fonts embedded, the
// timeline drawn as vectors. Chromium spent ~3.5 s laying out and printing the 1,000-annotation
// report's HTML and ~1.9 s starting (docs/benchmarks.md); this writes the same content in a
// fraction of that. `tracebench report --pdf-engine chromium` still prints the HTML print edition.
import type { ReportManifest } from '../manifest.ts';
import type { ReportData } from '../model.ts';
import type { FullEditionRef } from '../print-edition.ts';
import { PdfLayout } from './layout.ts';
import { annotationsSection, figureSection, findingsSection, incidentsSection, titlePage } from './sections.ts';
import { evidenceAppendix, falsePositiveAppendix, manifestSection, scopeSection } from './sections-evidence.ts';

export interface NativePdfOptions {
  /** The full-context HTML report written beside the PDF, as the first page names it. */
  full: FullEditionRef;
  /** The PDF's manifest but for its own body hash (in the detached FILE.pdf.manifest.json). */
  manifest: Omit<ReportManifest, 'body_sha256'>;
  /** The PDF's file name, to name its detached manifest. */
  fileName: string;
  /** Deflate the page contents (default); tests turn it off to read the text back. */
  compress?: boolean;
}

export async function renderNativePdf(r: ReportData, options: NativePdfOptions): Promise<Buffer> {
  const title = `Tracebench case report — ${r.case.name}`;
  const pdf = new PdfLayout({ title, createdAt: new Date(r.generated_at), compress: options.compress ?? true });
  titlePage(pdf, r, options.full);
  figureSection(pdf, r);
  incidentsSection(pdf, r.incidents.filter((i) => i.workflow.state !== 'false_positive'));
  annotationsSection(pdf, r.annotations, options.full);
  findingsSection(pdf, r.findings.filter((f) => f.state !== 'false_positive'));
  scopeSection(pdf, r);
  evidenceAppendix(pdf, r, options.full);
  falsePositiveAppendix(pdf, r.findings.filter((f) => f.state === 'false_positive'), r.incidents.filter((i) => i.workflow.state === 'false_positive'));
  manifestSection(pdf, options.manifest, options.fileName);
  return pdf.finish({ left: title, right: `generated ${r.generated_at}` });
}
