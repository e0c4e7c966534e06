// Tests only: the text of each page of a PDF, as a reader copying it out would get it (pdfjs-dist,
// Mozilla's PDF.js: the glyphs mapped back through the fonts' ToUnicode maps, in drawing order),
// line ends where PDF.js sees them. No normalisation, so a character drawn is a character read.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export async function pdfPageTexts(pdf: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent({ disableNormalization: true });
      pages.push(content.items.map((item) => ('str' in item ? `${item.str}${item.hasEOL ? '\n' : ''}` : '')).join(''));
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

/** Text without any whitespace: where a line was broken does not matter to what was written. */
export function squeezed(text: string): string {
  return text.replace(/\s+/g, '');
}
