import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COLUMN_IDS,
  type ColumnLayout,
  MAX_COLUMN_WIDTH,
  MIN_COLUMN_WIDTH,
  defaultLayout,
  moveColumn,
  moveColumnTo,
  parseLayout,
  serialiseLayout,
  setHidden,
  setWidth,
  visibleColumns,
} from './column-layout.ts';

/** Any layout the table can hold: a permutation of the columns, some (not all) hidden, some widths. */
const layoutArb: fc.Arbitrary<ColumnLayout> = fc
  .tuple(
    fc.shuffledSubarray([...COLUMN_IDS], { minLength: COLUMN_IDS.length, maxLength: COLUMN_IDS.length }),
    fc.subarray([...COLUMN_IDS], { maxLength: COLUMN_IDS.length - 1 }),
    fc.dictionary(fc.constantFrom(...COLUMN_IDS), fc.integer({ min: MIN_COLUMN_WIDTH, max: MAX_COLUMN_WIDTH })),
  )
  .map(([order, hidden, widths]) => ({ order, hidden: order.filter((id) => hidden.includes(id)), widths }));

function isComplete(layout: ColumnLayout): boolean {
  return (
    layout.order.length === COLUMN_IDS.length &&
    new Set(layout.order).size === COLUMN_IDS.length &&
    layout.hidden.every((id) => layout.order.includes(id)) &&
    visibleColumns(layout).length > 0 &&
    Object.values(layout.widths).every((w) => w >= MIN_COLUMN_WIDTH && w <= MAX_COLUMN_WIDTH)
  );
}

describe('column layout', () => {
  it('round-trips through its text form', () => {
    fc.assert(fc.property(layoutArb, (layout) => {
      expect(parseLayout(serialiseLayout(layout))).toEqual(layout);
    }), { numRuns: 300 });
  });

  it('gives the default for unreadable or wrongly shaped input', () => {
    const fallback = defaultLayout({ api: 10 });
    for (const bad of [null, '', '{', 'null', '42', '[]', '{"order":"ts_us","hidden":[],"widths":{}}', '{"order":[],"hidden":[1],"widths":{}}']) {
      expect(parseLayout(bad, fallback), String(bad)).toEqual(fallback);
    }
    // Hiding every column is not a usable layout either.
    expect(parseLayout(JSON.stringify({ order: COLUMN_IDS, hidden: COLUMN_IDS, widths: {} }), fallback)).toEqual(fallback);
  });

  it('always yields a complete layout, whatever the text', () => {
    const junk = fc.oneof(
      fc.string(),
      fc.json(),
      fc.record({ order: fc.array(fc.oneof(fc.constantFrom(...COLUMN_IDS), fc.string())), hidden: fc.array(fc.string()), widths: fc.dictionary(fc.string(), fc.double()) }).map((v) => JSON.stringify(v)),
    );
    fc.assert(fc.property(junk, (text) => {
      expect(isComplete(parseLayout(text))).toBe(true);
    }), { numRuns: 300 });
  });

  it('completes an older layout with the columns it does not name, where the default has them', () => {
    const fallback = defaultLayout();
    const layout = parseLayout(JSON.stringify({ order: ['args', 'ts_us'], hidden: [], widths: { args: 5, nope: 90 } }), fallback);
    expect(layout.order.indexOf('args')).toBeLessThan(layout.order.indexOf('ts_us'));
    expect(isComplete(layout)).toBe(true);
    expect(layout.hidden).toEqual(fallback.hidden.filter((id) => id !== 'args' && id !== 'ts_us'));
    expect(layout.widths).toEqual({ args: MIN_COLUMN_WIDTH });
  });

  it('puts the informative text first: a call’s target and args, a log case’s message', () => {
    const calls = visibleColumns(defaultLayout({ api: 900, network: 50, log: 10 }));
    expect(calls.indexOf('target')).toBeLessThan(calls.indexOf('args'));
    expect(calls.indexOf('target')).toBeLessThanOrEqual(4);
    expect(calls).not.toContain('level'); // 1 % logs: not worth the width
    expect(visibleColumns(defaultLayout({ api: 900, log: 100 }))).toContain('level');
    const logs = visibleColumns(defaultLayout({ log: 500, api: 20 }));
    expect(logs.indexOf('args')).toBeLessThan(logs.indexOf('target'));
    expect(visibleColumns(defaultLayout({ api: 1 }))).not.toContain('level');
  });

  it('moves, hides and resizes without losing a column', () => {
    fc.assert(
      fc.property(layoutArb, fc.constantFrom(...COLUMN_IDS), fc.constantFrom(...COLUMN_IDS), fc.integer({ min: -5, max: 5 }), fc.integer({ min: -100, max: 5000 }), (layout, a, b, delta, width) => {
        for (const next of [moveColumn(layout, a, delta), moveColumnTo(layout, a, b, 'before'), moveColumnTo(layout, a, b, 'after'), setHidden(layout, a, true), setHidden(layout, a, false), setWidth(layout, a, width)]) {
          expect(isComplete(next)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
    const base = defaultLayout({ api: 1 });
    const [first, second] = visibleColumns(base);
    expect(visibleColumns(moveColumn(base, first ?? '', 1)).slice(0, 2)).toEqual([second, first]);
    expect(visibleColumns(moveColumnTo(base, second ?? '', first ?? '', 'before')).slice(0, 2)).toEqual([second, first]);
    expect(visibleColumns(setHidden(base, 'op', true))).not.toContain('op');
    const onlyOne = COLUMN_IDS.reduce((l, id) => setHidden(l, id, true), base);
    expect(visibleColumns(onlyOne)).toHaveLength(1);
  });
});
