// How an analyst's filter is run over the events: its WHERE condition, with a free text turned
// into equality tests when the case lists its columns' values (column-values.ts), and whether the
// listed counts alone can answer it. Remembered per text and cleared with the count cache
// (the matching values change only when events are added).
import type { EventFilter } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import type { Sql } from '../store/sql.ts';
import { columnValuesComplete, textMatches, type TextMatches } from './column-values.ts';
import { containsIgnoringCase, filterToSql } from './event-filter.ts';
import { remembered } from '../util/remembered.ts';

const TEXT_CACHE_LIMIT = 100;

export interface FilterPlan {
  where: Sql;
  /** The free text's matching values, when looked up (else the text is scanned with ILIKE). */
  text: TextMatches | null;
  /** Every capture's values are listed (column_values can stand in for the events). */
  listed: boolean;
}

/** True when `filter` restricts by nothing but the given members (empty lists and texts restrict nothing). */
export function restrictsOnly(filter: EventFilter | undefined, members: readonly (keyof EventFilter)[]): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(
    ([key, value]) => value === undefined || value === '' || (Array.isArray(value) && value.length === 0) || members.includes(key as keyof EventFilter),
  );
}

export class FilterPlanner {
  private listed: Promise<boolean> | null = null;
  private readonly texts = new Map<string, Promise<TextMatches | null>>();

  async plan(store: CaseStore, filter: EventFilter | undefined): Promise<FilterPlan> {
    const listed = await this.isListed(store);
    const text = filter?.text;
    if (!listed || text === undefined || text === '') return { where: filterToSql(filter), text: null, listed };
    const matches = await this.matches(store, text);
    return { where: filterToSql(filter, matches ?? undefined), text: matches, listed };
  }

  clear(): void {
    this.listed = null;
    this.texts.clear();
  }

  private isListed(store: CaseStore): Promise<boolean> {
    if (!this.listed) {
      const listed = columnValuesComplete(store);
      this.listed = listed;
      listed.catch(() => (this.listed = null));
    }
    return this.listed;
  }

  private matches(store: CaseStore, text: string): Promise<TextMatches | null> {
    return remembered(this.texts, text, () => textMatches(store, (column) => containsIgnoringCase(column, text)), TEXT_CACHE_LIMIT);
  }
}
