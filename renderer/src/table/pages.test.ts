import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../core/api.ts';
import { EMPTY_FILTERS, listingKey, toEventFilter } from './filters.ts';
import { MAX_CACHED_PAGES, PageCache, pagesFor } from './pages.ts';

function fakeEvents(first: number, count: number): StoredEvent[] {
  return Array.from({ length: count }, (_, i) => ({ event_id: first + i }) as StoredEvent);
}

describe('page windows', () => {
  it('covers the viewport rows and stops at the end of the listing', () => {
    expect(pagesFor(0, 30, 1_000_000, 200)).toEqual([0]);
    expect(pagesFor(190, 230, 1_000_000, 200)).toEqual([0, 1]);
    expect(pagesFor(999_990, 1_000_020, 1_000_000, 200)).toEqual([4999]);
    expect(pagesFor(0, 10, 0, 200)).toEqual([]);
  });

  it('never fetches a page twice and finds rows by listing index', () => {
    const cache = new PageCache('k', 200);
    expect(cache.claim(3)).toBe(true);
    expect(cache.claim(3)).toBe(false);
    cache.store(3, fakeEvents(600, 200), 3);
    expect(cache.claim(3)).toBe(false);
    expect(cache.row(600)?.event_id).toBe(600);
    expect(cache.row(799)?.event_id).toBe(799);
    expect(cache.row(800)).toBeUndefined();
  });

  it('evicts the pages farthest from the current position', () => {
    const cache = new PageCache('k', 10);
    for (let page = 0; page <= MAX_CACHED_PAGES; page++) {
      cache.claim(page);
      cache.store(page, fakeEvents(page * 10, 10), page);
    }
    expect(cache.has(0)).toBe(false);
    expect(cache.has(MAX_CACHED_PAGES)).toBe(true);
  });
});

describe('table filters', () => {
  it('builds an EventFilter only from what the analyst filled in', () => {
    expect(toEventFilter(EMPTY_FILTERS, { from_us: 1, to_us: 2 })).toEqual({});
    const filter = toEventFilter(
      { ...EMPTY_FILTERS, op: ' execve, openat  connect', process: ' sh ', category: 'process', failedOnly: true, limitToView: true },
      { from_us: 10.4, to_us: 20.2 },
    );
    expect(filter).toEqual({ ops: ['execve', 'openat', 'connect'], process: 'sh', categories: ['process'], failed_only: true, from_us: 10, to_us: 21 });
  });

  it('keys listings independently of property order', () => {
    expect(listingKey({ ops: ['a'], text: 'x' }, undefined)).toBe(listingKey({ text: 'x', ops: ['a'] }, undefined));
    expect(listingKey({}, { column: 'pid', desc: true })).not.toBe(listingKey({}, { column: 'pid', desc: false }));
  });
});
