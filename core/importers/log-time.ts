// Timestamps in generic event logs (JSON Lines, CSV/TSV): which field holds the time, and how
// to read its value. Shared by jsonl.ts and delimited.ts so both judge the same way.
import { epochNumberToUs, epochSecondsTextToUs, isoToUs } from '../util/time.ts';

/**
 * Field names that usually hold the event time, best first. Compared case-insensitively and
 * ignoring "_", "-", "." and "@", so "@timestamp", "Time_UTC" and "event.created" all match.
 * Receive/ingest times come last: they are when a collector saw the event, not when it happened.
 */
const TS_NAMES_RANKED = [
  'timestamp',
  'ts',
  'time',
  'timeutc',
  'timeiso',
  'timeepoch',
  'eventtime',
  'timecreated',
  'utctime',
  'datetime',
  'date',
  'eventcreated',
  'created',
  'createdat',
  'epoch',
  'when',
  'logtime',
  'recvtime',
  'receivedat',
  'ingesttime',
].map(squash);

/** "@Time_UTC" → "timeutc": the comparison key for field names. */
export function squash(name: string): string {
  return name.toLowerCase().replace(/[_\-.@\s]/g, '');
}

/**
 * How strongly a field name suggests a time: 0 = not at all; higher = better. Exact names
 * from the ranked list win; then names that merely contain time/date/ts/epoch words.
 */
export function timeNameScore(name: string): number {
  const key = squash(name);
  const rank = TS_NAMES_RANKED.indexOf(key);
  if (rank >= 0) return 100 - rank;
  const lower = name.toLowerCase();
  // "recv_epoch", "time_received": when a collector saw it; keep as a last resort.
  if (/recv|receiv|ingest|arriv|collect/.test(lower)) return 5;
  if (/(^|[_\-.@\s])(time|timestamp|ts|epoch|date|datetime)($|[_\-.\s])/.test(lower)) return 40;
  if (/time|epoch/.test(lower)) return 20;
  return 0;
}

/** Plausible capture years: keeps pids, counters and monotonic clocks from passing as times. */
const MIN_PLAUSIBLE_US = Date.UTC(1980, 0, 1) * 1000;
const MAX_PLAUSIBLE_US = Date.UTC(2200, 0, 1) * 1000;

export function isPlausibleUs(us: number): boolean {
  return Number.isFinite(us) && us >= MIN_PLAUSIBLE_US && us < MAX_PLAUSIBLE_US;
}

/**
 * Integer epoch text of unknown unit → µs, exactly (no float rounding for ns values): the
 * unit follows the digit count, matching epochNumberToUs's magnitude rule.
 */
export function epochIntegerTextToUs(digits: string): number | null {
  if (!/^\d{1,19}$/.test(digits)) return null;
  const n = digits.replace(/^0+(?=\d)/, '');
  if (n.length <= 11) return Number(n) * 1_000_000; // seconds
  if (n.length <= 14) return Number(n) * 1000; // milliseconds
  if (n.length <= 17) return Number(n); // microseconds
  return Number(n.slice(0, -3)); // nanoseconds, truncated to µs
}

/**
 * A field value → µs UTC, or null. Strings: ISO 8601 / RFC 3339 (with or without offset;
 * without one the time is read in `tz`), "YYYY/MM/DD hh:mm:ss", or epoch digits. Numbers:
 * epoch s/ms/µs/ns by magnitude. `allowEpoch` is false for fields whose name does not say
 * "time", so a pid or a counter is never taken for a date.
 */
export function parseTimeValue(value: unknown, tz: string, allowEpoch = true): number | null {
  let us: number | null = null;
  if (typeof value === 'number') {
    if (!allowEpoch || !Number.isFinite(value)) return null;
    // String(value) is the shortest exact decimal, so "1795673601.294747" stays exact.
    us = Number.isInteger(value) ? epochIntegerTextToUs(String(value)) ?? epochNumberToUs(value) : epochSecondsTextToUs(String(value)) ?? epochNumberToUs(value);
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return null;
    if (/^\d+$/.test(text)) us = allowEpoch ? epochIntegerTextToUs(text) : null;
    else if (/^\d{1,12}\.\d+$/.test(text)) us = allowEpoch ? epochSecondsTextToUs(text) : null;
    else us = isoToUs(text.replace(/^(\d{4})\/(\d{2})\/(\d{2})/, '$1-$2-$3'), tz);
  }
  return us !== null && isPlausibleUs(us) ? us : null;
}

/**
 * Picks the timestamp field of a record: the best-named field whose value parses; failing
 * that, any field whose value is an ISO date-time string (never a bare number).
 */
export function findTimeField(names: readonly string[], valueOf: (name: string) => unknown, tz: string): string | null {
  const ranked = names
    .map((name) => ({ name, score: timeNameScore(name) }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score);
  for (const c of ranked) {
    if (parseTimeValue(valueOf(c.name), tz, true) !== null) return c.name;
  }
  for (const name of names) {
    const v = valueOf(name);
    if (typeof v === 'string' && /^\d{4}[-/]\d{2}[-/]\d{2}[T ]\d{2}:\d{2}/.test(v.trim()) && parseTimeValue(v, tz, false) !== null) {
      return name;
    }
  }
  return null;
}
