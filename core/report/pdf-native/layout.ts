// A small page layout over pdfkit for the report: A4, the report's three fonts, headings, paragraphs
// of mixed runs, indented lines, and the running header and "Page X of Y" footer drawn on every
// page once the page count is known (pdfkit keeps the pages buffered until then). Every string
// goes through visibleText first, so capture text is never dropped or drawn as the font's box.
import { createRequire } from 'node:module';
import type PDFKitDocument from 'pdfkit';
import { fontBytes, fontCoverage, type FontName } from './fonts.ts';
import { usePlainLayout, type PlainFont } from './plain-layout.ts';
import { flowLines } from './text-flow.ts';
import { visibleText } from './visible-text.ts';

/** A4 in points, and the print edition's margins (16 mm top and bottom, 12 mm at the sides). */
const MM = 72 / 25.4;
export const PAGE = { width: 595.28, height: 841.89, top: 16 * MM, bottom: 16 * MM, side: 12 * MM } as const;

export const COLOUR = { text: '#1d232a', muted: '#57606a', error: '#b42318', rule: '#d0d7de', accent: '#6d28d9' } as const;

/** One run of text in one font and colour; a paragraph is a list of runs. */
export interface Run {
  text: string;
  font?: FontName;
  color?: string;
}

export interface BlockStyle {
  size?: number;
  /** Points from the left margin. */
  indent?: number;
  /** Points after the block. */
  gap?: number;
  /** Keep the text's own line breaks (a note, a command line); elsewhere they are shown as \n. */
  keepNewlines?: boolean;
  /** Start on a new page unless this many points are left (a heading with its first lines). */
  keepWith?: number;
}

export interface DocumentMeta {
  title: string;
  createdAt: Date;
  /** false in tests: the content streams stay readable. */
  compress: boolean;
}

/**
 * pdfkit through Node's own CommonJS loader: an `import` goes through the tsx loader hooks the
 * CLI runs under, module by module (pdfkit and fontkit are ~90 files), which took about twice as
 * long (docs/benchmarks.md).
 */
const PDFDocument = createRequire(import.meta.url)('pdfkit') as typeof PDFKitDocument;

/** Line height as a multiple of the font size (DejaVu's ascent + descent is 1.16 em). */
const LINE_HEIGHT = 1.22;

export class PdfLayout {
  readonly doc: PDFKit.PDFDocument;
  /** Whether every font lays text out one glyph per character (plain-layout.ts). */
  readonly plainLayout: boolean;
  private readonly plain = new Map<FontName, PlainFont>();
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;
  /** The font, size and colour last set on the document, so that unchanged ones are not set again. */
  private current = { font: '', size: 0, color: '' };

  constructor(meta: DocumentMeta) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: PAGE.top, bottom: PAGE.bottom, left: PAGE.side, right: PAGE.side },
      bufferPages: true,
      compress: meta.compress,
      // No default font: pdfkit would otherwise load Helvetica's metrics for nothing.
      font: '',
      info: { Title: meta.title, Creator: 'Tracebench', Producer: 'Tracebench (pdfkit)', CreationDate: meta.createdAt, ModDate: meta.createdAt },
      displayTitle: true,
    });
    for (const name of ['sans', 'bold', 'mono'] as const) {
      this.doc.registerFont(name, fontBytes(name));
      this.doc.font(name);
      const plain = usePlainLayout(this.doc);
      if (plain) this.plain.set(name, plain);
    }
    this.plainLayout = this.plain.size === 3;
    this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.done = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
    this.doc.font('sans').fontSize(9).fillColor(COLOUR.text);
  }

  get width(): number {
    return PAGE.width - 2 * PAGE.side;
  }

  /** The text as this font can show it (visible-text.ts). */
  visible(text: string, font: FontName = 'sans', keepNewlines = false): string {
    return visibleText(text, this.plain.get(font)?.covers ?? fontCoverage(font), keepNewlines);
  }

  /** Width of a string in points. */
  measure(text: string, font: FontName, size: number): number {
    const plain = this.plain.get(font);
    if (plain) return (plain.width(text) * size) / 1000;
    this.use(font, size, this.current.color || COLOUR.text);
    return this.doc.widthOfString(text);
  }

  /** Sets the font, size and colour unless they are set already. */
  private use(font: FontName, size: number, color: string): void {
    if (this.current.font !== font) this.doc.font(font);
    if (this.current.size !== size) this.doc.fontSize(size);
    if (this.current.color !== color) this.doc.fillColor(color);
    this.current = { font, size, color };
  }

  /**
   * Draws one line's piece at (x, y), its top, in the current font, size and colour: as one text
   * object when the fonts use the plain layout (plain-layout.ts: pdfkit's `text()` cost most of the
   * 1,000-annotation report's time in graphics-state and positioning work per piece), else
   * through `text()`.
   */
  private draw(text: string, x: number, y: number): void {
    const plain = this.plainLayout ? this.plain.get(this.current.font as FontName) : undefined;
    if (plain) plain.line(text, x, y, this.current.size);
    else this.doc.text(text, x, y, { lineBreak: false });
  }

  /** Code that draws on the document itself (the figure) calls this after, as it changed the font or colour. */
  forgetStyle(): void {
    this.current = { font: '', size: 0, color: '' };
  }

  /** A new page unless `points` are left on this one. */
  keep(points: number): void {
    if (this.doc.y + points > PAGE.height - PAGE.bottom) this.doc.addPage();
  }

  pageBreak(): void {
    this.doc.addPage();
  }

  space(points: number): void {
    this.doc.y += points;
  }

  heading(level: 1 | 2 | 3 | 4, text: string): void {
    const size = { 1: 17, 2: 13, 3: 10.5, 4: 9.5 }[level];
    this.space(level <= 2 ? 10 : 5);
    this.keep(size * 2 + 30);
    this.para([{ text, font: 'bold' }], { size, gap: 0 });
    if (level === 2) {
      const y = this.doc.y + 1;
      this.doc.moveTo(PAGE.side, y).lineTo(PAGE.side + this.width, y).lineWidth(1).strokeColor(COLOUR.rule).stroke();
      this.space(4);
    } else this.space(2);
  }

  /**
   * A paragraph of runs, broken into lines at the margin (text-flow.ts: long tokens are cut where
   * they must be) and onto the next page where the page ends.
   */
  para(runs: Run[] | string, style: BlockStyle = {}): void {
    const list = typeof runs === 'string' ? [{ text: runs }] : runs;
    const size = style.size ?? 9;
    const indent = style.indent ?? 0;
    const flow = list
      .filter((r) => r.text.length > 0)
      .map((r) => {
        const font = r.font ?? 'sans';
        return { text: this.visible(r.text, font, style.keepNewlines), font, color: r.color ?? COLOUR.text };
      });
    if (flow.length === 0) return;
    if (style.keepWith) this.keep(style.keepWith);
    const lineHeight = size * LINE_HEIGHT;
    const bottom = PAGE.height - PAGE.bottom;
    let y = this.doc.y;
    for (const line of flowLines(flow, this.width - indent, (text, font) => this.measure(text, font, size))) {
      if (y + lineHeight > bottom) {
        this.doc.addPage();
        y = this.doc.y;
      }
      line.pieces.forEach((p, i) => {
        const text = i === line.pieces.length - 1 ? p.text.trimEnd() : p.text;
        if (text.length === 0) return;
        this.use(p.font, size, p.color);
        this.draw(text, PAGE.side + indent + p.x, y);
      });
      y += lineHeight;
    }
    this.doc.x = PAGE.side;
    this.doc.y = y + (style.gap ?? 2);
  }

  /** A bulleted line. */
  bullet(runs: Run[] | string, style: BlockStyle = {}): void {
    const list = typeof runs === 'string' ? [{ text: runs }] : runs;
    this.para([{ text: '• ' }, ...list], { ...style, indent: (style.indent ?? 0) + 8 });
  }

  /**
   * The running header (title left, generation time right) and "Page X of Y" footer on every page.
   * Drawn last, once the page count is known, in the margins (placed without wrapping, so pdfkit
   * does not start a new page for them).
   */
  private runningHeads(left: string, right: string): void {
    const { start, count } = this.doc.bufferedPageRange();
    const size = 7;
    const headY = PAGE.top / 2 - 3;
    const footY = PAGE.height - PAGE.bottom / 2 - 3;
    const leftText = this.visible(left);
    const rightText = this.visible(right);
    const rightX = PAGE.side + this.width - this.measure(rightText, 'sans', size);
    for (let i = start; i < start + count; i++) {
      this.doc.switchToPage(i);
      this.forgetStyle();
      this.use('sans', size, COLOUR.muted);
      this.draw(leftText, PAGE.side, headY);
      this.draw(rightText, rightX, headY);
      const footer = `Page ${i + 1} of ${count}`;
      this.draw(footer, PAGE.side + this.width - this.measure(footer, 'sans', size), footY);
    }
  }

  /** Draws the running header and footer, ends the document and gives its bytes. */
  async finish(header: { left: string; right: string }): Promise<Buffer> {
    this.runningHeads(header.left, header.right);
    this.doc.end();
    return this.done;
  }
}
