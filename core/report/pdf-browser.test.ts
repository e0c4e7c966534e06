// The Chromium started ahead of the report (pdf-browser.ts): it prints over its DevTools pipe, and
// when it cannot start, printing falls back to the one-shot `--print-to-pdf` run with a warning.
import { describe, expect, it } from 'vitest';
import { startPdfPrinter } from './pdf-browser.ts';
import { findChromium } from './pdf.ts';

const PAGE = '<!DOCTYPE html><html><head><title>Printer test</title><style>@page{size:A4}</style></head><body><p>one</p><p style="break-before:page">two</p></body></html>';

function pageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}

describe.skipIf(findChromium() === undefined)('a PDF printer started ahead of its report', () => {
  it('prints a page loaded after start-up over the DevTools pipe, with no fall-back', async () => {
    const warnings: string[] = [];
    const printer = startPdfPrinter((m) => warnings.push(m));
    try {
      const pdf = await printer.print(PAGE);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pageCount(pdf)).toBe(2);
      // A4 as the page's CSS asks (Page.printToPDF's own default is Letter).
      expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 594\.\d+ 841\.\d+\]/);
      expect(warnings.filter((w) => w.includes('--print-to-pdf'))).toEqual([]);
    } finally {
      await printer.close();
    }
  }, 60_000);

  it.each([
    ['exits at once', '/bin/false'],
    ['cannot be started', '/nonexistent/chromium'],
  ])('falls back to --print-to-pdf, saying so, when the Chromium for the pipe %s', async (_why, executable) => {
    const warnings: string[] = [];
    const printer = startPdfPrinter((m) => warnings.push(m), { executable });
    try {
      const pdf = await printer.print(PAGE);
      expect(pageCount(pdf)).toBe(2);
      expect(warnings.some((w) => w.includes('printing with --print-to-pdf'))).toBe(true);
    } finally {
      await printer.close();
    }
  }, 60_000);

  it('closes without having printed, and more than once', async () => {
    const printer = startPdfPrinter();
    await printer.close();
    await printer.close();
    await expect(printer.print(PAGE)).rejects.toThrow();
  }, 60_000);
});
