// What a click on a stacked value does to the events table: the EventFilter fields that keep the
// events it counted (a directory keeps everything under it). Picks stack up as chips above the
// table, each removable, and a pick on a field replaces an earlier pick on the same field.
import { stackValueFilter, type EventFilter, type StackField } from '../../../core/api.ts';

export const STACK_FIELD_LABELS: Record<StackField, string> = {
  process: 'process',
  op: 'op',
  category: 'category',
  kind: 'kind',
  host: 'host',
  target: 'target',
  path_prefix: 'path prefix (directory)',
  endpoint: 'remote endpoint',
};

export interface StackPick {
  field: StackField;
  value: string;
}

export function pickFilter({ field, value }: StackPick): EventFilter {
  return stackValueFilter(field, value);
}

/** Adds a pick, replacing any earlier pick on the same field. */
export function addPick(picks: readonly StackPick[], pick: StackPick): StackPick[] {
  return [...picks.filter((p) => p.field !== pick.field), pick];
}

/**
 * The table's filter with the picks applied. A pick narrows: where the table's own inputs set the
 * same field (ops typed in the op box, a category chosen), the pick takes that field's place.
 */
export function withPicks(base: EventFilter, picks: readonly StackPick[]): EventFilter {
  return picks.reduce<EventFilter>((filter, pick) => ({ ...filter, ...pickFilter(pick) }), base);
}
