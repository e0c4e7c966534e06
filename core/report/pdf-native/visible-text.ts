// Capture text as the PDF shows it. Arguments, paths and command lines are evidence, so nothing is
// dropped or silently replaced: a character that would print as nothing, as something else, or as
// the font's empty box is written as a visible escape instead —
//   controls (C0, DEL, C1)            \x07, \t, \r, \n (a newline is kept where a block allows it)
//   format / line separators, bidi    \u{202e} (an override could reorder what the reader sees)
//   lone surrogates (invalid UTF-16)  \u{d800}
//   unassigned or private-use         \u{e000}
//   characters the font cannot draw   \u{4e2d}
//   characters beyond U+FFFF          \u{1f600} (kept out of the layout: one glyph per UTF-16
//                                      unit is all the fonts' cmaps need for the report's text)
//   right-to-left scripts             \u{5d0} (Hebrew, Arabic…: the PDF is laid out left to right
//                                      without reordering or Arabic joining, so such text would be
//                                      drawn and read back reversed; the HTML report shows it)
// A backslash itself is left as it is: the sources (strace, say) already write their own escapes.

/** What may stay as it is: whether the font has a glyph for a code point. */
export type GlyphCoverage = (codePoint: number) => boolean;

const NAMED: Record<number, string> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r' };

/** Control, format, separator, surrogate, private-use or unassigned: never drawn as it is. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;
/** Scripts written right to left (within the Basic Multilingual Plane; beyond it all is escaped). */
const RIGHT_TO_LEFT = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}]/u;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function escapeCodePoint(cp: number): string {
  if (NAMED[cp] !== undefined) return NAMED[cp];
  if (cp < 0x100 && (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))) return `\\x${cp.toString(16).padStart(2, '0')}`;
  return `\\u{${cp.toString(16)}}`;
}

/**
 * The text with every character that cannot be shown faithfully written as an escape (see the
 * file comment). `keepNewlines`: a multi-line block (a note, a command line) keeps its line breaks.
 */
export function visibleText(text: string, covered: GlyphCoverage, keepNewlines = false): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  let out = '';
  let plainFrom = 0;
  // A fast path: runs of plain ASCII are copied as they are.
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x20 && unit < 0x7f) continue;
    out += text.slice(plainFrom, i);
    const cp = text.codePointAt(i) ?? unit;
    const width = cp > 0xffff ? 2 : 1;
    const ch = String.fromCodePoint(cp);
    if (unit === 0x0a && keepNewlines) out += '\n';
    else if (cp > 0xffff || INVISIBLE.test(ch) || RIGHT_TO_LEFT.test(ch) || !covered(cp)) out += escapeCodePoint(cp);
    else out += ch;
    i += width - 1;
    plainFrom = i + 1;
  }
  return out + text.slice(plainFrom);
}
