import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TOOLTIP_MARGIN, TOOLTIP_OFFSET, placeTooltip } from './tooltip-place.ts';

const WINDOW = { width: 1600, height: 1000 };
const TIP = { width: 320, height: 90 };

describe('tooltip placement', () => {
  it('sits below and right of the pointer when there is room', () => {
    expect(placeTooltip({ x: 100, y: 100 }, TIP, WINDOW)).toEqual({ left: 100 + TOOLTIP_OFFSET, top: 100 + TOOLTIP_OFFSET });
  });

  it('flips to the left near the right edge and above near the bottom edge', () => {
    expect(placeTooltip({ x: 1590, y: 980 }, TIP, WINDOW)).toEqual({ left: 1590 - TOOLTIP_OFFSET - 320, top: 980 - TOOLTIP_OFFSET - 90 });
  });

  it('property: a tooltip that fits the window always lies inside it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1600 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 1500 }),
        fc.integer({ min: 1, max: 900 }),
        (x, y, width, height) => {
          const { left, top } = placeTooltip({ x, y }, { width, height }, WINDOW);
          expect(left).toBeGreaterThanOrEqual(TOOLTIP_MARGIN - 1);
          expect(top).toBeGreaterThanOrEqual(TOOLTIP_MARGIN - 1);
          expect(left + width).toBeLessThanOrEqual(WINDOW.width - TOOLTIP_MARGIN + 1);
          expect(top + height).toBeLessThanOrEqual(WINDOW.height - TOOLTIP_MARGIN + 1);
        },
      ),
    );
  });
});
