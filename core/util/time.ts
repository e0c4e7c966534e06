// Time helpers shared by importers, the store and reports. Everything inside Tracebench is
// microseconds since the Unix epoch (UTC) held in a JS number: exact up to year 2255.

const US_PER_SECOND = 1_000_000;
const US_PER_DAY = 86_400 * US_PER_SECOND;

/** "YYYY-MM-DD" → µs at 00:00:00 UTC of that day, or null when it is not a real date. */
export function dateToUtcUs(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    return null;
  }
  return ms * 1000;
}

/**
 * Parses a time of day "HH:MM:SS[.fraction]" (any number of fraction digits) into µs since
 * midnight, or null. Fractions beyond µs are truncated, not rounded, so order is kept.
 */
export function timeOfDayToUs(text: string): number | null {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d+))?$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const s = Number(m[3]);
  if (h > 23 || mi > 59 || s > 60) return null;
  return (h * 3600 + mi * 60 + s) * US_PER_SECOND + fractionToUs(m[4]);
}

/** ".5" → 500000, ".1234567" → 123456 (truncated). */
export function fractionToUs(digits: string | undefined): number {
  if (!digits) return 0;
  const six = (digits + '000000').slice(0, 6);
  return Number(six);
}

/** Epoch seconds written as decimal text ("1764137602.123456") → µs, exactly. */
export function epochSecondsTextToUs(text: string): number | null {
  const m = /^(\d{1,12})(?:\.(\d+))?$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * US_PER_SECOND + fractionToUs(m[2]);
}

/**
 * Offset of an IANA zone (or "UTC", "+02:00") from UTC at a given UTC instant, in µs.
 * Uses Intl so no time-zone database ships with us.
 */
export function zoneOffsetUs(zone: string, utcUs: number): number {
  const fixed = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (fixed) {
    const sign = fixed[1] === '-' ? -1 : 1;
    return sign * (Number(fixed[2]) * 3600 + Number(fixed[3]) * 60) * US_PER_SECOND;
  }
  if (zone === 'UTC' || zone === 'Z') return 0;
  const ms = Math.floor(utcUs / 1000);
  const parts = zoneFormatter(zone).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return (asUtc - (ms - (ms % 1000))) * 1000;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function zoneFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when `zone` is a zone this runtime knows ("UTC", "+02:00", "Europe/Berlin"). */
export function isValidZone(zone: string): boolean {
  if (/^([+-])(\d{2}):?(\d{2})$/.test(zone) || zone === 'UTC' || zone === 'Z') return true;
  try {
    zoneFormatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** A wall-clock time in `zone` (µs as if it were UTC) → true UTC µs. */
export function wallClockToUtcUs(wallUs: number, zone: string): number {
  if (zone === 'UTC' || zone === 'Z') return wallUs;
  // Two passes settle the offset across DST changes.
  let utc = wallUs - zoneOffsetUs(zone, wallUs);
  utc = wallUs - zoneOffsetUs(zone, utc);
  return utc;
}

/**
 * ISO 8601 / RFC 3339 date-time → µs UTC. Accepts "T" or space, optional fraction of any
 * length, "Z" or ±HH[:MM] offsets; without an offset the time is read in `defaultZone`.
 */
export function isoToUs(text: string, defaultZone = 'UTC'): number | null {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$/.exec(
      text.trim(),
    );
  if (!m) return null;
  const day = dateToUtcUs(`${m[1]}-${m[2]}-${m[3]}`);
  if (day === null) return null;
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6] ?? 0);
  if (h > 23 || mi > 59 || s > 60) return null;
  const wall = day + (h * 3600 + mi * 60 + s) * US_PER_SECOND + fractionToUs(m[7]);
  const zone = m[8];
  if (zone === undefined) return wallClockToUtcUs(wall, defaultZone);
  if (zone === 'Z' || zone === 'z' || zone === 'UTC') return wall;
  const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!z) return null;
  const sign = z[1] === '-' ? -1 : 1;
  const off = (Number(z[2]) * 3600 + Number(z[3] ?? 0) * 60) * US_PER_SECOND;
  return wall - sign * off;
}

/** µs UTC → "2026-11-26T06:13:22.123456Z". */
export function usToIso(us: number): string {
  const ms = Math.floor(us / 1000);
  const micros = us - ms * 1000;
  const base = new Date(ms).toISOString(); // …SS.mmmZ
  return `${base.slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

/** µs → a DuckDB TIMESTAMP literal value "2026-11-26 06:13:22.123456" (bound, never pasted). */
export function usToSqlTimestamp(us: number): string {
  return usToIso(us).replace('T', ' ').replace('Z', '');
}

/**
 * Epoch number of unknown unit → µs, judged by magnitude (s, ms, µs, ns). Works for dates
 * between 1973 and 2286, which covers every capture worth importing.
 */
export function epochNumberToUs(value: number): number {
  const abs = Math.abs(value);
  if (abs < 1e11) return Math.round(value * US_PER_SECOND); // seconds (may carry a fraction)
  if (abs < 1e14) return Math.round(value * 1000); // milliseconds
  if (abs < 1e17) return Math.round(value); // microseconds
  return Math.round(value / 1000); // nanoseconds
}

/** Parses durations like "250ms", "-3.5s", "1h2m", "+00:00:05.5" into µs. */
export function parseDurationUs(text: string): number | null {
  const t = text.trim();
  const clock = /^([+-])?(\d+):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(t);
  if (clock) {
    const sign = clock[1] === '-' ? -1 : 1;
    const us =
      (Number(clock[2]) * 3600 + Number(clock[3]) * 60 + Number(clock[4])) * US_PER_SECOND +
      fractionToUs(clock[5]);
    return sign * us;
  }
  const m = /^([+-])?((?:\d+(?:\.\d+)?(?:us|µs|ms|s|m|h|d))+)$/.exec(t);
  if (!m || m[2] === undefined) return null;
  const sign = m[1] === '-' ? -1 : 1;
  const unit: Record<string, number> = { us: 1, µs: 1, ms: 1000, s: US_PER_SECOND, m: 60 * US_PER_SECOND, h: 3600 * US_PER_SECOND, d: US_PER_DAY };
  let total = 0;
  for (const part of m[2].matchAll(/(\d+(?:\.\d+)?)(us|µs|ms|s|m|h|d)/g)) {
    total += Number(part[1]) * (unit[part[2] ?? 's'] ?? 0);
  }
  return sign * Math.round(total);
}

export const TIME = { US_PER_SECOND, US_PER_DAY } as const;
