// A capture's `date_basis` (captures column): what completed its times, and on what basis.
//   "2026-11-26 (file modification date)"          time-of-day stamps (strace -tt, ltrace, Procmon…)
//   "start 2019-07-01T10:00:00.000Z (file modification time)"   relative times (frida-trace)
// The basis is "user" when the analyst gave the value (--date, --start); anything else is an
// assumption the summary, the UI and the report point out, fixable with `tracebench align`.
// The renderer reads the same format in renderer/src/display/date-basis.ts.

const START = 'start ';

export function dateBasisOf(date: string, basis: string): string {
  return `${date} (${basis})`;
}

export function startBasisOf(startIso: string, basis: string): string {
  return `${START}${startIso} (${basis})`;
}

export interface DateBasisReading {
  /** "date": a calendar date completed onto times of day; "start": the origin of relative times. */
  what: 'date' | 'start';
  /** The value and its basis, e.g. "2019-07-01T10:00:00.000Z (file modification time)". */
  text: string;
  /** Not given by the analyst: a default the analyst should check. */
  assumed: boolean;
}

/** Reads each part of a date_basis (a capture may in principle carry both, "; "-separated). */
export function readDateBasis(value: string): DateBasisReading[] {
  return value
    .split('; ')
    .filter((part) => part.length > 0)
    .map((part) => {
      const isStart = part.startsWith(START);
      return { what: isStart ? 'start' : 'date', text: isStart ? part.slice(START.length) : part, assumed: !part.endsWith('(user)') };
    });
}
