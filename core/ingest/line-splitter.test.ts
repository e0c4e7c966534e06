// The line splitter against a plain reference (split at "\n", one trailing "\r" dropped, a line
// longer than the limit reported as over-long with its length as read), whatever the chunking:
// chunks may end between "\r" and "\n", and lines may hold stray "\r"s of their own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter.ts';
import { cutAt } from '../testing/cut-text.ts';

/** A line's text, or an over-long line's length (and the head kept of it, when `heads`). */
type Seen = ['line', string, number] | ['overlong', number, number, string];

function split(chunks: string[], maxLine: number, heads = true): Seen[] {
  const seen: Seen[] = [];
  const splitter = new LineSplitter(
    {
      line: (text, n) => seen.push(['line', text, n]),
      overlong: (n, head, length) => seen.push(['overlong', n, length, heads ? head : '']),
    },
    maxLine,
  );
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return seen;
}

function reference(text: string, maxLine: number): Seen[] {
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((raw, i): Seen => (raw.length > maxLine ? ['overlong', i + 1, raw.length, ''] : ['line', raw.endsWith('\r') ? raw.slice(0, -1) : raw, i + 1]));
}

/** `text` cut at the given offsets (taken modulo its length + 1). */
function cut(text: string, at: number[]): string[] {
  return cutAt(text, at.map((a) => a % (text.length + 1)));
}

describe('LineSplitter', () => {
  it('gives the lines of an LF / CRLF text, whatever the chunking', () => {
    const line = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\r'), maxLength: 12 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n')), { minLength: 1, maxLength: 30 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 1, max: 14 }),
        (lines, endsWithBreak, at, maxLine) => {
          // The first line ends with "\n" so the text is read as LF/CRLF (line-ending.ts).
          let text = lines.map(([l, end]) => l + end).join('');
          if (!endsWithBreak) text += 'tail';
          expect(split(cut(text, at), maxLine, false)).toEqual(reference(text, maxLine));
        },
      ),
    );
  });

  it('counts the "\\r" of a CRLF line in its length against the limit, and keeps it in the head', () => {
    expect(split(['abc\r\n', 'ab\r\n'], 3)).toEqual([
      ['overlong', 1, 4, 'abc\r'],
      ['line', 'ab', 2],
    ]);
  });
});
