// Time display for the renderer. The contract carries µs since the epoch (UTC) as numbers; these
// stay exact below 2^53 µs (year 2255), so all arithmetic here is plain number math. Date
// objects only hold milliseconds, so the last three digits are always added by hand.

const US_PER_MS = 1000;
const US_PER_S = 1_000_000;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Microseconds within the second, 0..999999, also for times before 1970. */
function microsOfSecond(us: number): number {
  return ((us % US_PER_S) + US_PER_S) % US_PER_S;
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function partsOf(us: number, local: boolean): Parts {
  const date = new Date(Math.floor(us / US_PER_S) * 1000);
  return local
    ? { year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate(), hour: date.getHours(), minute: date.getMinutes(), second: date.getSeconds() }
    : {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour: date.getUTCHours(),
        minute: date.getUTCMinutes(),
        second: date.getUTCSeconds(),
      };
}

function datePart(p: Parts): string {
  return `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}`;
}

function clockPart(p: Parts): string {
  return `${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}`;
}

/** `2026-11-26T06:13:22.123456Z`: the events table's ts column, always UTC with µs. */
export function formatUtcMicros(us: number): string {
  return `${datePart(partsOf(us, false))}T${clockPart(partsOf(us, false))}.${pad(microsOfSecond(us), 6)}Z`;
}

/** Date and time with µs in UTC or the browser's zone; the zone is named so it is never ambiguous. */
export function formatTimestamp(us: number, local: boolean): string {
  const p = partsOf(us, local);
  return `${datePart(p)} ${clockPart(p)}.${pad(microsOfSecond(us), 6)}${local ? ' local' : ' UTC'}`;
}

/** A duration with a unit that keeps 3–4 significant digits. */
export function formatDuration(us: number | null): string {
  if (us === null || !Number.isFinite(us)) return '';
  const abs = Math.abs(us);
  if (abs < US_PER_MS) return `${trim(us, abs < 10 ? 1 : 0)} µs`;
  if (abs < US_PER_S) return `${trim(us / US_PER_MS, 3)} ms`;
  if (abs < 60 * US_PER_S) return `${trim(us / US_PER_S, 3)} s`;
  if (abs < 3600 * US_PER_S) return `${trim(us / (60 * US_PER_S), 2)} min`;
  return `${trim(us / (3600 * US_PER_S), 2)} h`;
}

function trim(value: number, digits: number): string {
  return value.toFixed(digits).replace(/\.?0+$/, '') || '0';
}

/** Signed distance for the surrounding panel: `+1.2 ms`, `−3 s`, `0 µs`. */
export function formatDelta(us: number): string {
  if (us === 0) return '0 µs';
  return `${us > 0 ? '+' : '−'}${formatDuration(Math.abs(us))}`;
}

/** Parses an offset typed by the analyst in seconds (`-1.5`, `+0.000250`) into whole µs. */
export function parseSecondsToUs(text: string): number | null {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) return null;
  const value = Math.round(Number(trimmed) * US_PER_S);
  return Number.isSafeInteger(value) ? value : null;
}

/** Today's date or a file's modification date as YYYY-MM-DD in UTC (the importers' default zone). */
export function utcDateOf(ms: number): string {
  return datePart(partsOf(ms * US_PER_MS, false));
}

export interface Tick {
  us: number;
  label: string;
}

// Tick steps from 1 µs to 1 day, each a "round" step for a clock reader.
const TICK_STEPS_US = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 10e6, 15e6, 30e6, 60e6, 120e6, 300e6, 600e6,
  900e6, 1800e6, 3600e6, 7200e6, 3 * 3600e6, 6 * 3600e6, 12 * 3600e6, 24 * 3600e6,
];

/** The smallest round step giving at most `maxTicks` ticks over the span. */
export function tickStepUs(spanUs: number, maxTicks: number): number {
  const wanted = spanUs / Math.max(1, maxTicks);
  for (const step of TICK_STEPS_US) if (step >= wanted) return step;
  const day = 24 * 3600e6;
  return Math.ceil(wanted / day) * day;
}

/** Label for a tick: as much precision as the step needs, the date only where it matters. */
export function tickLabel(us: number, stepUs: number, local: boolean): string {
  const p = partsOf(us, local);
  const micros = microsOfSecond(us);
  if (stepUs >= 24 * 3600e6) return datePart(p);
  if (stepUs >= US_PER_S) return p.hour === 0 && p.minute === 0 && p.second === 0 ? `${datePart(p)} 00:00` : clockPart(p);
  if (stepUs >= US_PER_MS) return `${clockPart(p)}.${pad(Math.floor(micros / 1000), 3)}`;
  return `${clockPart(p)}.${pad(micros, 6)}`;
}

/**
 * Ticks for [fromUs, toUs]. Steps of an hour or less are aligned on the displayed zone's clock
 * (local zones differ from UTC by whole minutes, and quarter hours for a few zones), so ticks
 * fall on round local times too.
 */
export function timeTicks(fromUs: number, toUs: number, maxTicks: number, local: boolean): Tick[] {
  if (!(toUs > fromUs)) return [];
  const step = tickStepUs(toUs - fromUs, maxTicks);
  const zoneShiftUs = local ? -new Date(Math.floor(fromUs / 1000)).getTimezoneOffset() * 60 * US_PER_S : 0;
  const first = Math.ceil((fromUs + zoneShiftUs) / step) * step - zoneShiftUs;
  const ticks: Tick[] = [];
  for (let us = first; us <= toUs && ticks.length <= maxTicks + 1; us += step) ticks.push({ us, label: tickLabel(us, step, local) });
  return ticks;
}
