// The <Event> splitter finds the same elements however the text is broken into lines, and steps
// over the constructs that may hold "<" or ">" (quoted attribute values, comments, CDATA, PIs).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventElementSplitter } from './xml-event-splitter.ts';

interface Found {
  events: { text: string; line: number }[];
  strays: string[];
  abandoned: number;
  left: string | null;
}

function split(lines: string[]): Found {
  const found: Found = { events: [], strays: [], abandoned: 0, left: null };
  const splitter = new EventElementSplitter({
    event: (text, line) => void found.events.push({ text, line }),
    stray: (text) => void found.strays.push(text),
    abandoned: () => void found.abandoned++,
  });
  lines.forEach((l, i) => splitter.line(l, i + 1));
  found.left = splitter.end();
  return found;
}

const EVENTS = [
  `<Event xmlns='x'><System><EventID>1</EventID></System></Event>`,
  `<Event><Data Name="a>b" Other='c"d'>x &gt; y</Data></Event>`,
  `<Event><!-- a <comment> with </Event> inside --><Data>1</Data></Event>`,
  `<Event><Data><![CDATA[ <not a tag> </Event> ]]></Data></Event>`,
  `<Event><?pi <x> ?><Data/></Event>`,
  `<Event/>`,
  `<evt:Event xmlns:evt='x'><evt:System/></evt:Event>`,
];

describe('EventElementSplitter', () => {
  it('finds the same events whether they sit on one line or are broken at any space', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...EVENTS), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('', '<Events>', '<?xml version="1.0"?><Events>'),
        fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }),
        (events, wrapper, breaks) => {
          const text = `${wrapper}${events.join(' ')}${wrapper === '' ? '' : '</Events>'}`;
          let k = 0;
          const broken = text.replace(/ /g, () => (breaks[k++ % breaks.length] ? '\n' : ' '));
          const found = split(broken.split('\n'));
          expect(found.events.map((e) => e.text.replace(/\n/g, ' '))).toEqual(events);
          expect(found.strays).toEqual([]);
          expect(found.left).toBeNull();
        },
      ),
    );
  });

  it('reports the line each event starts on, stray text, and an event left open at the end', () => {
    const found = split(['banner 1.0', '<Events><Event><Data>', 'x</Data></Event> noise <Event>', '<Data a="1"/></Event><Event><Data>', 'cut']);
    expect(found.events).toEqual([
      { text: '<Event><Data>\nx</Data></Event>', line: 2 },
      { text: '<Event>\n<Data a="1"/></Event>', line: 3 },
    ]);
    expect(found.strays).toEqual(['banner 1.0', 'noise']);
    expect(found.left).toBe('<Event><Data>\ncut');
  });

  it('keeps a quote open across lines and closes the tag only outside it', () => {
    const found = split(['<Event><Data Name="first', 'second>still the value', 'end">v</Data></Event>']);
    expect(found.events.map((e) => e.text)).toEqual(['<Event><Data Name="first\nsecond>still the value\nend">v</Data></Event>']);
  });
});
