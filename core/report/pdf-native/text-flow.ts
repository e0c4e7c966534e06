// Paragraphs of mixed runs (fonts, colours) broken into lines and placed on pages. pdfkit's own
// wrapper runs the Unicode line-breaking algorithm over every paragraph and starts a new wrapper
// per run (`continued`), which was most of the remaining time of the 1,000-annotation report
// (docs/benchmarks.md); the report needs less: break after spaces and at hard newlines, and cut a
// token wider than the line (a hash, a base64 argument, a long path) at any character — by code
// point, so a pair is never split. Each finished line is drawn run by run without wrapping.
import type { FontName } from './fonts.ts';

/** One run of text already made visible (visible-text.ts), in one font and colour. */
export interface FlowRun {
  text: string;
  font: FontName;
  color: string;
}

/** A line's pieces, each drawn at its x offset from the line's start. */
export interface FlowLine {
  pieces: { text: string; font: FontName; color: string; x: number }[];
  width: number;
}

/** Width of a string in a font at the paragraph's size, in points. */
export type Measure = (text: string, font: FontName) => number;

const TOKEN = /\n|[^ \n]+ *| +/g;

/**
 * Breaks runs into lines no wider than `width` (greedy: as many whole tokens as fit, a token wider
 * than a whole line cut at the character that no longer fits). Trailing spaces do not count
 * against the width. Hard newlines end a line.
 */
export function flowLines(runs: readonly FlowRun[], width: number, measure: Measure): FlowLine[] {
  const lines: FlowLine[] = [];
  let line: FlowLine = { pieces: [], width: 0 };
  const push = (text: string, run: FlowRun, w: number) => {
    const last = line.pieces[line.pieces.length - 1];
    if (last && last.font === run.font && last.color === run.color) last.text += text;
    else line.pieces.push({ text, font: run.font, color: run.color, x: line.width });
    line.width += w;
  };
  const endLine = () => {
    lines.push(line);
    line = { pieces: [], width: 0 };
  };
  for (const run of runs) {
    for (const token of run.text.match(TOKEN) ?? []) {
      if (token === '\n') {
        endLine();
        continue;
      }
      const word = token.trimEnd();
      const full = measure(token, run.font);
      const inked = word === token ? full : measure(word, run.font);
      if (line.width + inked <= width) {
        push(token, run, full);
        continue;
      }
      if (inked <= width && line.pieces.length > 0) {
        endLine();
        if (word.length > 0) push(token, run, full);
        continue;
      }
      // Wider than the room left on a line of its own: cut it by code point.
      let rest = token;
      while (rest.length > 0) {
        const room = width - line.width;
        let cut = 0;
        let used = 0;
        for (const ch of rest) {
          const w = measure(ch, run.font);
          if (used + w > room && (cut > 0 || line.pieces.length > 0)) break;
          used += w;
          cut += ch.length;
        }
        if (cut === 0) {
          endLine();
          continue;
        }
        push(rest.slice(0, cut), run, used);
        rest = rest.slice(cut);
        if (rest.length > 0) endLine();
      }
    }
  }
  if (line.pieces.length > 0 || lines.length === 0) lines.push(line);
  return lines;
}
