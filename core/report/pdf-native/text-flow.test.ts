// Breaking runs into lines: nothing is lost or reordered, no line is wider than the room (but for
// a single character wider than it), spaces are the break points, and a token wider than a whole
// line — a hash, a base64 argument — is cut by code point.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flowLines, type FlowRun, type Measure } from './text-flow.ts';

/** Every code point 1 unit wide, 'W' 3 units: easy to reason about. */
const measure: Measure = (text) => [...text].reduce((w, ch) => w + (ch === 'W' ? 3 : 1), 0);
const run = (text: string, font: FlowRun['font'] = 'sans'): FlowRun => ({ text, font, color: '#000' });
const lineText = (l: ReturnType<typeof flowLines>[number]) => l.pieces.map((p) => p.text).join('');

describe('flowLines', () => {
  it('breaks after spaces, keeps words whole, and starts pieces where the previous one ended', () => {
    const lines = flowLines([run('the quick '), run('brown', 'bold'), run(' fox jumps')], 11, measure);
    expect(lines.map(lineText)).toEqual(['the quick ', 'brown fox ', 'jumps']);
    const second = lines[1];
    expect(second?.pieces.map((p) => [p.text, p.font, p.x])).toEqual([['brown', 'bold', 0], [' fox ', 'sans', 5]]);
  });

  it('cuts a token longer than the line, by code point (never a surrogate pair in two)', () => {
    const hash = 'ab'.repeat(20);
    expect(flowLines([run(hash)], 16, measure).map(lineText)).toEqual(['ab'.repeat(8), 'ab'.repeat(8), 'ab'.repeat(4)]);
    const astral = '😀'.repeat(5);
    expect(flowLines([run(astral)], 2, measure).map(lineText)).toEqual(['😀😀', '😀😀', '😀']);
  });

  it('ends lines at hard newlines', () => {
    expect(flowLines([run('a\n\nb c')], 80, measure).map(lineText)).toEqual(['a', '', 'b c']);
  });

  it('loses, adds and reorders nothing, and fits every line in the width (any runs, any width)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'W', ' ', '\n', '😀', 'é'), maxLength: 80 });
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 40 }), (texts, width) => {
        const lines = flowLines(texts.map((t) => run(t)), width, measure);
        expect(lines.map(lineText).join('').replace(/\s/g, '')).toBe(texts.join('').replace(/\s/g, ''));
        for (const l of lines) {
          const inked = measure(lineText(l).trimEnd(), 'sans');
          if ([...lineText(l).trimEnd()].length > 1) expect(inked).toBeLessThanOrEqual(width);
        }
      }),
    );
  });
});
