// The fonts shipped for the PDF: each draws every character with a glyph of its own (a glyph
// shared by two characters would read back from the PDF as one of them: plain-layout.ts relies on
// this), they draw the report's own punctuation, and their licence travels with them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FONT_FILES, fontCoverage, openFont, type FontName } from './fonts.ts';

const NAMES = Object.keys(FONT_FILES) as FontName[];

describe('the PDF fonts', () => {
  it.each(NAMES)('%s draws no two characters with one glyph', (name) => {
    const font = openFont(name);
    const owner = new Map<number, number>();
    const shared: string[] = [];
    for (const cp of font.characterSet) {
      const id = font.glyphForCodePoint(cp).id;
      const first = owner.get(id);
      if (first !== undefined && id !== 0) shared.push(`U+${first.toString(16)} and U+${cp.toString(16)}`);
      else owner.set(id, cp);
    }
    expect(shared).toEqual([]);
    expect(owner.size).toBeGreaterThan(2000);
  });

  it.each(NAMES)('%s draws the punctuation the report writes itself', (name) => {
    const covered = fontCoverage(name);
    for (const ch of '—…×±→↔≥•·°') expect(covered(ch.codePointAt(0) ?? 0)).toBe(true);
  });

  it('ships the licence beside the font files', () => {
    const licence = join(import.meta.dirname, 'fonts', 'LICENSE');
    expect(existsSync(licence)).toBe(true);
    expect(readFileSync(licence, 'utf8')).toContain('Bitstream');
  });
});
