// What a rule read on a finding's event, for its explanation: `ParentCommandLine "wevtutil cl
// Setup"` tells the analyst why a ProcessCreate of conhost.exe is a log clearing without opening
// the event. The values are read back from the event (its columns, then its source fields), never
// re-evaluated: a field the rule names but the event lacks is left out, and a value that holds
// one of the rule's own values (or matches its pattern) is listed first, as the likely match.
import type { TriageEvent } from './engine.ts';
import type { FieldMatcher, Rule } from './sigma/types.ts';
import { hexEscape, shorten } from '../util/text.ts';

/** Values shown per finding, and the length each is clipped to. */
const MAX_VALUES = 3;
const MAX_VALUE_CHARS = 120;

/** The event's own columns a rule may name (our rules' vocabulary). */
const COLUMNS: Record<string, (e: TriageEvent) => unknown> = {
  target: (e) => e.target,
  args: (e) => e.args,
  process: (e) => e.process,
  image: (e) => e.image,
  parent_image: (e) => e.parent_image,
  error: (e) => e.error,
  ret: (e) => e.ret,
};

/** Fields every finding's explanation already names (the sample shows op and target). */
const SHOWN = new Set(['op', 'category', 'kind']);

function matchersOf(rule: Rule): FieldMatcher[] {
  return [...rule.selections.values()].flatMap((s) => s.alternatives.flat()).filter((m) => m.field !== '');
}

/** An event's source field names by their lower case, worked out once per event. */
const lowerKeysOf = new WeakMap<object, Map<string, string>>();
function lowerKeys(fields: Record<string, unknown>): Map<string, string> {
  let keys = lowerKeysOf.get(fields);
  if (!keys) {
    keys = new Map(Object.keys(fields).map((k) => [k.toLowerCase(), k]));
    lowerKeysOf.set(fields, keys);
  }
  return keys;
}

/** The event's value of a field: its column, else its source field (exact name, then any case). */
export function valueOf(event: TriageEvent, field: string): string | null {
  const column = COLUMNS[field.toLowerCase()];
  const fields = event.fields ?? {};
  let value: unknown = column ? column(event) : fields[field];
  if (value === undefined && !column) {
    const key = lowerKeys(fields).get(field.toLowerCase());
    value = key === undefined ? undefined : fields[key];
  }
  if (value === null || value === undefined) return null;
  const text = String(value);
  return text.trim() === '' ? null : text;
}

/** The value as written (Windows paths keep single backslashes); control characters escaped. */
function visible(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : hexEscape(c)));
}

/** A matcher's values as lower-case word lists (literal parts of globs), worked out once per matcher. */
const literalsOf = new WeakMap<FieldMatcher, string[][]>();
function literals(matcher: FieldMatcher): string[][] {
  let words = literalsOf.get(matcher);
  if (!words) {
    words = matcher.values
      .filter((v): v is Exclude<typeof v, null> => v !== null)
      .map((v) => String(v).replace(/[*?]/g, ' ').trim().toLowerCase())
      .filter((literal) => literal.length > 0)
      .map((literal) => literal.split(/\s+/));
    literalsOf.set(matcher, words);
  }
  return words;
}

/** A |re matcher's patterns as JavaScript expressions, once per matcher; RE2-only syntax is left out (not shown as the likely match, still listed). */
const patternsOf = new WeakMap<FieldMatcher, RegExp[]>();
function patterns(matcher: FieldMatcher): RegExp[] {
  let list = patternsOf.get(matcher);
  if (!list) {
    list = [];
    for (const v of matcher.values) {
      if (v === null) continue;
      const text = String(v);
      try {
        list.push(new RegExp(text.replace(/^\(\?[imsU]+\)/, ''), matcher.plan.reFlags.includes('i') || /^\(\?[a-zA-Z]*i/.test(text) ? 'i' : ''));
      } catch {
        // not a JavaScript pattern
      }
    }
    patternsOf.set(matcher, list);
  }
  return list;
}

/** Whether the value holds one of the matcher's literal values, or matches its pattern. */
function looksMatched(matcher: FieldMatcher, value: string): boolean {
  if (matcher.plan.kind === 're') return patterns(matcher).some((re) => re.test(value));
  const lower = value.toLowerCase();
  return literals(matcher).some((parts) => parts.every((part) => lower.includes(part)));
}

/** `Field "value"` for the fields the rule reads that the event holds, likely matches first. */
export function readValues(rule: Rule, event: TriageEvent): string[] {
  // One entry per field (any case); a field several matchers name is a likely match if any says so.
  const byField = new Map<string, { text: string; matched: boolean }>();
  for (const matcher of matchersOf(rule)) {
    const key = matcher.field.toLowerCase();
    if (SHOWN.has(key)) continue;
    const value = valueOf(event, matcher.field);
    // The target is in the sample already (`#157 ProcessCreate C:\…\conhost.exe`).
    if (value === null || (key === 'target' && value === event.target)) continue;
    const matched = looksMatched(matcher, value);
    const entry = byField.get(key);
    if (entry) {
      entry.matched ||= matched;
      continue;
    }
    byField.set(key, { text: `${matcher.field} "${visible(shorten(value, MAX_VALUE_CHARS))}"`, matched });
  }
  const all = [...byField.values()];
  return [...all.filter((f) => f.matched), ...all.filter((f) => !f.matched)].slice(0, MAX_VALUES).map((f) => f.text);
}
