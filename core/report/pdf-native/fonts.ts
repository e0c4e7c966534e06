// The fonts the native PDF embeds: DejaVu Sans (text, headings) and DejaVu Sans Mono (arguments,
// paths, hashes, SQL), shipped in ./fonts with their licence (Bitstream Vera / public domain,
// LICENSE) so a clean clone prints the same PDF without Debian's font packages. pdfkit embeds
// each as a subset of the glyphs used. Which characters each font can draw is read from its cmap
// once per process (visible-text.ts escapes the others instead of drawing the font's empty box).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Fontkit from 'fontkit';
import type { GlyphCoverage } from './visible-text.ts';

const DIR = join(import.meta.dirname, 'fonts');

export const FONT_FILES = {
  sans: join(DIR, 'DejaVuSans.ttf'),
  bold: join(DIR, 'DejaVuSans-Bold.ttf'),
  mono: join(DIR, 'DejaVuSansMono.ttf'),
} as const;

export type FontName = keyof typeof FONT_FILES;

/** fontkit (pdfkit's font engine) through Node's CommonJS loader, as layout.ts loads pdfkit. */
const fontkit = createRequire(import.meta.url)('fontkit') as typeof Fontkit;

const bytes = new Map<FontName, Buffer>();
const coverage = new Map<FontName, GlyphCoverage>();

/** The font file's bytes, read once per process. */
export function fontBytes(name: FontName): Buffer {
  let b = bytes.get(name);
  if (!b) {
    b = readFileSync(FONT_FILES[name]);
    bytes.set(name, b);
  }
  return b;
}

/**
 * Whether the font has a glyph of its own for a code point (not the .notdef box). The PDF layout
 * asks the font pdfkit parsed (plain-layout.ts); this is for the rest (tests, a fall-back). A PDF maps each
 * glyph back to one text (its ToUnicode map), so two characters drawn with one glyph would read
 * back as one of them: the shipped fonts have no such pair (fonts.test.ts checks it, should a
 * font be replaced). Looked up on the first non-ASCII character asked about, once per process.
 */
export function fontCoverage(name: FontName): GlyphCoverage {
  let c = coverage.get(name);
  if (!c) {
    let font: Fontkit.Font | undefined;
    const known = new Map<number, boolean>();
    c = (cp) => {
      let has = known.get(cp);
      if (has === undefined) {
        font ??= openFont(name);
        has = font.hasGlyphForCodePoint(cp);
        known.set(cp, has);
      }
      return has;
    };
    coverage.set(name, c);
  }
  return c;
}

/** The font file parsed by fontkit (one font, not a collection). */
export function openFont(name: FontName): Fontkit.Font {
  const font = fontkit.create(fontBytes(name));
  if (!('hasGlyphForCodePoint' in font)) throw new Error(`${FONT_FILES[name]}: a font collection, expected one font`);
  return font;
}
