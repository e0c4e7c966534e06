// One glyph per character, no shaping. pdfkit lays every new word out with fontkit's OpenType
// shaper (GSUB/GPOS: ligatures, kerning, mark positioning); in the 1,000-annotation report nearly
// every word is new (timestamps, event ids, hashes), and shaping took ~460 of the ~1,080 ms the
// whole PDF took (a CPU profile, docs/benchmarks.md). The report's text is Latin, digits and
// punctuation in DejaVu, where shaping only adds ligatures and kerning — and a ligature glyph
// ("fi") is one glyph for two characters, which a reader copying an argument out of the PDF does
// not want. So each character is drawn with the font's own glyph for it (cmap lookup) and its
// advance width: the text extracted from the PDF is exactly the text written.
//
// pdfkit has no option for this; its embedded font's `layoutRun(text, features)` is replaced on
// the document's font objects. If a pdfkit version lays fonts out differently, installation
// reports false and pdfkit's own shaping is kept (slower, same text); a test pins that it holds.
import type { Glyph } from 'fontkit';

interface Position {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth: number;
}

/** The part of pdfkit's EmbeddedFont this relies on. */
interface PdfkitEmbeddedFont {
  /** Its resource name on a page (F1…), and the reference that makes it one of the page's fonts. */
  id: string;
  ref: () => unknown;
  /** Ascent in thousandths of the size: pdfkit places text by its top, the PDF by its baseline. */
  ascender: number;
  font: { glyphForCodePoint(cp: number): Glyph; hasGlyphForCodePoint(cp: number): boolean };
  scale: number;
  subset: { includeGlyph(id: number): number };
  /** Widths and texts (ToUnicode) of the glyphs in the subset, by subset glyph id. */
  widths: number[];
  unicode: number[][];
  encode: (text: string, features?: unknown) => [string[], Position[]];
  layoutRun: (text: string, features?: unknown) => Run;
  layout: (text: string, features?: unknown, onlyWidth?: boolean) => Run;
}

interface Run {
  glyphs: Glyph[];
  positions: Position[];
  advanceWidth: number;
}

function isEmbeddedFont(value: unknown): value is PdfkitEmbeddedFont {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Partial<PdfkitEmbeddedFont>;
  return (
    typeof f.id === 'string' &&
    typeof f.ref === 'function' &&
    typeof f.ascender === 'number' &&
    typeof f.layoutRun === 'function' &&
    typeof f.layout === 'function' &&
    typeof f.encode === 'function' &&
    typeof f.scale === 'number' &&
    typeof f.font?.glyphForCodePoint === 'function' &&
    typeof f.font.hasGlyphForCodePoint === 'function' &&
    typeof f.subset?.includeGlyph === 'function' &&
    Array.isArray(f.widths) &&
    Array.isArray(f.unicode)
  );
}

/** The part of pdfkit's document the line drawing below relies on. */
interface PdfkitDocumentInternals {
  _font: unknown;
  page: { fonts: Record<string, unknown> };
  addContent(data: string | Uint8Array): unknown;
}

function hasDocumentInternals(doc: unknown): doc is PdfkitDocumentInternals {
  const d = doc as Partial<PdfkitDocumentInternals>;
  return typeof d.addContent === 'function' && typeof d.page?.fonts === 'object';
}

/** A number as pdfkit writes one into a content stream (at most 2 decimals here: points). */
function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}

export interface PlainFont {
  /** Advance width of a string, in thousandths of the font size. */
  width: (text: string) => number;
  /** Whether the font has a glyph for a code point (read from the font pdfkit parsed already). */
  covers: (codePoint: number) => boolean;
  /**
   * Draws text in this font on one line, its top at (x, y) in pdfkit's top-down coordinates, the
   * fill colour as set: one text object (BT … ET) with the glyph ids in one string. pdfkit's own
   * `text()` wraps every piece in a saved and restored graphics state with its own coordinate flip
   * and positions each glyph run, which is most of its cost for a thousand annotations' lines.
   * The page's coordinates are flipped top-down by pdfkit, so the text matrix flips them back.
   */
  line: (text: string, x: number, y: number, size: number) => void;
}

/**
 * Makes the document's current font lay text out one glyph per character, and gives the width
 * of a string laid out so. Undefined when it could not (the font is not an embedded TrueType
 * font of the pdfkit version this was written against).
 */
export function usePlainLayout(doc: PDFKit.PDFDocument): PlainFont | undefined {
  if (!hasDocumentInternals(doc)) return undefined;
  const embedded: unknown = doc._font;
  if (!isEmbeddedFont(embedded)) return undefined;
  const { font, scale } = embedded;
  // One position object per character, shared by every occurrence: pdfkit only reads positions
  // when it draws (its own layout mutated them, but that layout is the one replaced here).
  // Its subset glyph id as the content stream writes it (4 hex digits), once it is drawn.
  const glyphs = new Map<number, { glyph: Glyph; width: number; position: Position; hex?: string }>();
  const glyphOf = (cp: number) => {
    let g = glyphs.get(cp);
    if (!g) {
      const glyph = font.glyphForCodePoint(cp);
      const width = glyph.advanceWidth * scale;
      g = { glyph, width, position: { xAdvance: width, yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth: width } };
      glyphs.set(cp, g);
    }
    return g;
  };
  // What pdfkit's encode() does per glyph (add it to the subset, note its width and its text for
  // the ToUnicode map), done once per character instead of once per glyph drawn. Its text is the
  // character drawn: the report's fonts draw no two characters with one glyph (fonts.test.ts).
  embedded.encode = (text: string) => {
    const hex: string[] = [];
    const positions: Position[] = [];
    for (let i = 0; i < text.length; i++) {
      const cp = text.codePointAt(i) ?? 0;
      if (cp > 0xffff) i++;
      const g = glyphOf(cp);
      if (g.hex === undefined) {
        const gid = embedded.subset.includeGlyph(g.glyph.id);
        g.hex = gid.toString(16).padStart(4, '0');
        embedded.widths[gid] ??= g.width;
        embedded.unicode[gid] ??= [cp];
      }
      hex.push(g.hex);
      positions.push(g.position);
    }
    return [hex, positions];
  };
  // pdfkit's layout() splits the text at spaces, lays each word out through a per-word cache and
  // concatenates the words' glyph arrays; one pass over the characters does the same here.
  embedded.layout = embedded.layoutRun = (text: string) => {
    const run: Run = { glyphs: [], positions: [], advanceWidth: 0 };
    for (let i = 0; i < text.length; i++) {
      const cp = text.codePointAt(i) ?? 0;
      if (cp > 0xffff) i++;
      const { glyph, width, position } = glyphOf(cp);
      run.glyphs.push(glyph);
      run.positions.push(position);
      run.advanceWidth += width;
    }
    return run;
  };
  const known = new Map<number, boolean>();
  const internals = doc;
  return {
    line: (text, x, y, size) => {
      internals.page.fonts[embedded.id] ??= embedded.ref();
      const [hex] = embedded.encode(text);
      // As bytes: given a string, pdfkit copies it into bytes one character at a time in JavaScript.
      const op = `BT\n1 0 0 -1 ${num(x)} ${num(y + (embedded.ascender / 1000) * size)} Tm\n/${embedded.id} ${num(size)} Tf\n<${hex.join('')}> Tj\nET\n`;
      internals.addContent(Buffer.from(op, 'latin1'));
    },
    width: (text) => {
      let w = 0;
      for (let i = 0; i < text.length; i++) {
        const cp = text.codePointAt(i) ?? 0;
        if (cp > 0xffff) i++;
        w += glyphOf(cp).width;
      }
      return w;
    },
    covers: (cp) => {
      let has = known.get(cp);
      if (has === undefined) {
        has = font.hasGlyphForCodePoint(cp);
        known.set(cp, has);
      }
      return has;
    },
  };
}
