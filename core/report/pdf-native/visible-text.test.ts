// Capture text as the PDF shows it: what cannot be drawn faithfully becomes a visible escape,
// nothing is dropped, and plain text is left exactly as it is.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fontCoverage } from './fonts.ts';
import { visibleText } from './visible-text.ts';

const sans = fontCoverage('sans');
const mono = fontCoverage('mono');

describe('visibleText', () => {
  it('leaves printable ASCII and characters the font draws as they are', () => {
    expect(visibleText('execve("/bin/sh", ["sh", "-c", "write 40001 9999"]) = 0', sans)).toBe('execve("/bin/sh", ["sh", "-c", "write 40001 9999"]) = 0');
    expect(visibleText('Grüße — Ωμέγα Кириллица …', sans)).toBe('Grüße — Ωμέγα Кириллица …');
    expect(visibleText('Grüße Ωμέγα Кириллица', mono)).toBe('Grüße Ωμέγα Кириллица');
  });

  it('shows control characters as escapes, and newlines unless the block keeps them', () => {
    expect(visibleText('a\x07b\tc\rd\x7fe\x85f\x00', sans)).toBe('a\\x07b\\tc\\rd\\x7fe\\x85f\\x00');
    expect(visibleText('line 1\nline 2', sans)).toBe('line 1\\nline 2');
    expect(visibleText('line 1\nline 2', sans, true)).toBe('line 1\nline 2');
  });

  it('shows what would print as nothing or as something else: bidi overrides, zero-width and line separators, lone surrogates', () => {
    expect(visibleText('file\u202Etxt.exe', sans)).toBe('file\\u{202e}txt.exe');
    expect(visibleText('a\u200Bb\uFEFFc\u2028d', sans)).toBe('a\\u{200b}b\\u{feff}c\\u{2028}d');
    expect(visibleText('x\uD800y\uDC00', sans)).toBe('x\\u{d800}y\\u{dc00}');
  });

  it('shows characters the font cannot draw and those beyond U+FFFF by code point', () => {
    expect(visibleText('中文', sans)).toBe('\\u{4e2d}\\u{6587}');
    expect(visibleText('ok 😀', sans)).toBe('ok \\u{1f600}');
    // Right to left: drawn left to right it would read reversed.
    expect(visibleText('שלום', sans)).toBe('\\u{5e9}\\u{5dc}\\u{5d5}\\u{5dd}');
    // DejaVu has a glyph of its own for the no-break space (no glyph is shared): it stays.
    expect(visibleText('a\u00A0b', sans)).toBe('a\u00A0b');
  });

  it('never lets through a character that is invisible, unassigned or not drawn by the font (any text)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.boolean(), (text, keep) => {
        const shown = visibleText(text, sans, keep);
        for (const ch of shown) {
          const cp = ch.codePointAt(0) ?? 0;
          if (ch === '\n') expect(keep).toBe(true);
          else {
            expect(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.test(ch)).toBe(false);
            expect(cp < 0x80 || sans(cp)).toBe(true);
          }
        }
      }),
    );
  });

  it('maps each character on its own: the text shown for a + b is the text shown for a, then for b', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), (a, b) => {
        expect(visibleText(a + b, sans)).toBe(visibleText(a, sans) + visibleText(b, sans));
      }),
    );
  });
});
