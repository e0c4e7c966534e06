// Which pages of the listing the table's viewport needs, and a cache of fetched pages for one
// listing (filter + sort). Rows are fetched from eventPage in fixed windows as the analyst
// scrolls, so a million-row case only ever holds a few hundred rows in memory.
import type { StoredEvent } from '../../../core/api.ts';

export const PAGE_SIZE = 200;
/** Pages kept when scrolling far: enough for the viewport and its neighbours. */
export const MAX_CACHED_PAGES = 12;

/** Page indices covering rows [firstRow, lastRow] (inclusive), clipped to the listing. */
export function pagesFor(firstRow: number, lastRow: number, total: number, pageSize = PAGE_SIZE): number[] {
  if (total <= 0 || lastRow < firstRow) return [];
  const first = Math.max(0, Math.floor(firstRow / pageSize));
  const last = Math.min(Math.floor((total - 1) / pageSize), Math.floor(Math.max(firstRow, lastRow) / pageSize));
  const pages: number[] = [];
  for (let page = first; page <= last; page++) pages.push(page);
  return pages;
}

export class PageCache {
  private readonly pages = new Map<number, StoredEvent[]>();
  private readonly inflight = new Set<number>();

  constructor(
    readonly key: string,
    readonly pageSize = PAGE_SIZE,
  ) {}

  has(page: number): boolean {
    return this.pages.has(page);
  }

  /** Marks a page as requested; false when it is loaded or already on its way. */
  claim(page: number): boolean {
    if (this.pages.has(page) || this.inflight.has(page)) return false;
    this.inflight.add(page);
    return true;
  }

  release(page: number): void {
    this.inflight.delete(page);
  }

  store(page: number, rows: StoredEvent[], keepNear: number): void {
    this.inflight.delete(page);
    this.pages.set(page, rows);
    // Evict the pages farthest from where the analyst is now.
    if (this.pages.size > MAX_CACHED_PAGES) {
      const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - keepNear) - Math.abs(a - keepNear));
      for (const victim of far.slice(0, this.pages.size - MAX_CACHED_PAGES)) this.pages.delete(victim);
    }
  }

  /** The row at a listing index, or undefined while its page is not loaded. */
  row(index: number): StoredEvent | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }
}
