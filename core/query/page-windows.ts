// Read-ahead of a listing's event ids. A table page costs one sort (the ids of the page) and one
// read of its rows; at 10 M events the sort is the dearer part when the sort column's values are
// spread thinly (a page by target or dur_us scans that whole column), and it costs about the same
// for five pages as for one. So once the analyst scrolls past the first page, the ids of the next
// pages are read with the requested one and kept until the case's events change: scrolling on
// asks only for rows. The listing's order is total
// (event_id breaks every tie), so the slice of a longer read is exactly the page a read of its own
// would give.

/** Pages of ids read per sort: the requested one and the next ones. */
export const READ_AHEAD_PAGES = 5;
/** Windows kept (each at most READ_AHEAD_PAGES × a page of ids). */
const WINDOW_LIMIT = 60;

interface Window {
  key: string;
  start: number;
  /** How many ids were asked for from `start`; fewer came back only at the listing's end. */
  asked: number;
  ids: Promise<number[]>;
}

/** Windows of ids per listing (filter + sort), from an offset; clear() whenever events change. */
export class PageIdWindows {
  private windows: Window[] = [];

  /**
   * Ids [offset, offset+limit) of the listing `key`: from a window read before (or being read)
   * when one covers them, else from `read(offset, count)` for READ_AHEAD_PAGES × limit ids, kept.
   * `read` may answer fewer ids than asked for only when the listing ends there; it may
   * answer null when it cannot read that many (then `readPage` gives just the page, not kept).
   */
  async ids(
    key: string,
    offset: number,
    limit: number,
    read: (offset: number, count: number) => Promise<number[] | null>,
    readPage: () => Promise<number[]>,
  ): Promise<number[]> {
    const hit = this.windows.find((w) => w.key === key && w.start <= offset && offset + limit <= w.start + w.asked);
    // A window that failed or was refused meanwhile: read as if there were none.
    const kept = hit && (await hit.ids.catch(() => null));
    if (hit && kept) return kept.slice(offset - hit.start, offset - hit.start + limit);
    // The first page is read alone: a new filter's first rows come back as soon as they are
    // found (a top-N of 1,000 rows keeps reading where one of 200 has already stopped —
    // free text `tag_42` at 10 M events: seconds against about one), and a listing that is only
    // looked at, not scrolled, costs no more than before.
    if (offset === 0) return (await read(offset, limit)) ?? readPage();
    const asked = limit * READ_AHEAD_PAGES;
    const ahead = read(offset, asked);
    const window: Window = { key, start: offset, asked, ids: ahead.then((ids) => ids ?? Promise.reject(new NoWindow())) };
    if (this.windows.length >= WINDOW_LIMIT) this.windows.shift();
    this.windows.push(window);
    // A failed or refused read is not remembered.
    window.ids.catch(() => (this.windows = this.windows.filter((w) => w !== window)));
    const ids = await ahead;
    return ids ? ids.slice(0, limit) : readPage();
  }

  clear(): void {
    this.windows = [];
  }
}

class NoWindow extends Error {}
