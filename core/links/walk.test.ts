// The walk over links: bounded depth and size, cycles entered once, fan-out kinds only downward
// from the start or from a flow reached from the host side.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Link, LinkKind } from '../model/link.ts';
import { walkLinks } from './walk.ts';

const link = (from_event: number, to_event: number, kind: LinkKind): Link => ({ from_event, to_event, kind, confidence: 1, rule: 'test' });
const UNBOUNDED = { max_depth: Number.POSITIVE_INFINITY, max_links: 10_000 };

// connect 1 → calls 2, 3; connect 1 → SYN 10; SYN 10 → reads 11, 12 and write 13; write 13 → alarm 20.
const CHAIN = [
  link(1, 2, 'socket-call'), link(1, 3, 'socket-call'), link(1, 10, 'socket-flow'),
  link(10, 11, 'flow-ics'), link(10, 12, 'flow-ics'), link(10, 13, 'flow-ics'), link(13, 20, 'ics-alarm'),
];

describe('walkLinks', () => {
  it('from a call reaches its connect, the flow, every operation of the flow and the alarm, with depths', () => {
    const w = walkLinks(CHAIN, 2, UNBOUNDED);
    expect(Object.fromEntries(w.depth)).toEqual({ 2: 0, 1: 1, 10: 2, 11: 3, 12: 3, 13: 3, 20: 4 });
    expect(w.depth.has(3)).toBe(false); // a sibling call is not walked to from another call
    expect(w.truncated).toBe(false);
  });

  it('from one read goes up to its flow and connect, without the other operations or the socket\'s calls', () => {
    const w = walkLinks(CHAIN, 11, UNBOUNDED);
    expect([...w.depth.keys()].sort((a, b) => a - b)).toEqual([1, 10, 11]);
  });

  it('stops at the depth bound and says so', () => {
    const w = walkLinks(CHAIN, 1, { max_depth: 2, max_links: 100 });
    expect(w.depth.has(13)).toBe(true);
    expect(w.depth.has(20)).toBe(false);
    expect(w.truncated).toBe(true);
  });

  it('terminates on cycles and never returns a link twice or more than the bound (property)', () => {
    const kinds: LinkKind[] = ['socket-call', 'socket-flow', 'flow-ics', 'ics-device', 'flow-device', 'ics-alarm'];
    const arbLink = fc.record({ from_event: fc.integer({ min: 1, max: 12 }), to_event: fc.integer({ min: 1, max: 12 }), kind: fc.constantFrom(...kinds) });
    fc.assert(
      fc.property(fc.array(arbLink, { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 30 }), (raw, start, maxDepth, maxLinks) => {
        const links = raw.map((l) => link(l.from_event, l.to_event, l.kind));
        const w = walkLinks(links, start, { max_depth: maxDepth, max_links: maxLinks });
        expect(w.links.length).toBeLessThanOrEqual(maxLinks);
        expect(new Set(w.links).size).toBe(w.links.length);
        for (const d of w.depth.values()) expect(d).toBeLessThanOrEqual(maxDepth);
        // Every returned link touches an event the walk reached.
        for (const l of w.links) expect(w.depth.has(l.from_event) && w.depth.has(l.to_event)).toBe(true);
      }),
    );
  });

  it('walks the spine before the fan-out, and caps the fan-out per event when asked', () => {
    const polling = [...Array.from({ length: 50 }, (_, i) => link(1, 100 + i, 'socket-call')), link(1, 10, 'socket-flow'), link(10, 13, 'flow-ics')];
    const w = walkLinks(polling, 1, { max_depth: 5, max_links: 10 });
    expect(w.depth.get(10)).toBe(1); // the flow is reached although the calls alone exceed the bound
    const capped = walkLinks(polling, 1, { max_depth: 5, max_links: 1000, max_fan_out: 5 });
    expect([...capped.depth.keys()].filter((e) => e >= 100)).toHaveLength(5);
    expect(capped.depth.get(13)).toBe(2);
    expect(capped.truncated).toBe(true);
  });

  it('a two-event cycle is walked once', () => {
    const w = walkLinks([link(1, 2, 'ics-device'), link(2, 1, 'ics-device')], 1, UNBOUNDED);
    expect(w.links).toHaveLength(2);
    expect(Object.fromEntries(w.depth)).toEqual({ 1: 0, 2: 1 });
  });
});
