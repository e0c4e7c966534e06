// Keeps the pages of one listing (filter + sort) that the table's viewport needs. A change of
// filter, sort or data starts a fresh cache; answers for an old cache are dropped.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EventFilter, EventPageRequest, WorkbenchApi } from '../../../core/api.ts';
import { listingKey } from './filters.ts';
import { PAGE_SIZE, PageCache, pagesFor } from './pages.ts';

export interface PagedEvents {
  cache: PageCache;
  /** Rows matching the filter; null until the first page answered. */
  total: number | null;
  /** Bumps whenever a page arrives, so the table re-renders its rows. */
  version: number;
  ensureRows(firstRow: number, lastRow: number): void;
}

export function usePagedEvents(
  api: WorkbenchApi,
  filter: EventFilter,
  sort: EventPageRequest['sort'],
  /** Changes whenever the listing's rows may have changed (new data; pins, for a pinned-only listing). */
  dataVersion: number | string,
  reportError: (error: unknown) => void,
): PagedEvents {
  const key = `${listingKey(filter, sort)}#${dataVersion}`;
  const cache = useMemo(() => new PageCache(key, PAGE_SIZE), [key]);
  const [total, setTotal] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const current = useRef(cache);
  current.current = cache;
  // The latest filter and sort for the fetches started by ensureRows.
  const request = useRef({ filter, sort });
  request.current = { filter, sort };

  const fetchPage = useCallback(
    (target: PageCache, page: number) => {
      if (!target.claim(page)) return;
      api
        .eventPage({ filter: request.current.filter, sort: request.current.sort, offset: page * target.pageSize, limit: target.pageSize })
        .then(
          (answer) => {
            if (current.current !== target) return;
            target.store(page, answer.rows, page);
            setTotal(answer.total);
            setVersion((v) => v + 1);
          },
          (error: unknown) => {
            target.release(page);
            if (current.current === target) reportError(error);
          },
        );
    },
    [api, reportError],
  );

  useEffect(() => {
    setTotal(null);
    fetchPage(cache, 0);
  }, [cache, fetchPage]);

  const ensureRows = useCallback(
    (firstRow: number, lastRow: number) => {
      const target = current.current;
      for (const page of pagesFor(firstRow, lastRow, total ?? 0, target.pageSize)) fetchPage(target, page);
    },
    [fetchPage, total],
  );

  return { cache, total, version, ensureRows };
}
