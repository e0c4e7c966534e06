// Turns strace/ltrace line times into µs UTC. -ttt is already epoch; -t/-tt is a time of day
// in the capture machine's zone with no date, so it takes the import's date (ctx.date) and
// rolls over to the next day when the clock jumps back by more than 12 hours (a capture that
// runs past midnight).
import { TIME, dateToUtcUs, wallClockToUtcUs } from '../../util/time.ts';

const HALF_DAY_US = 12 * 3600 * TIME.US_PER_SECOND;
/** Zone offsets are cached per 15 minutes of wall time: DST changes happen on such boundaries. */
const OFFSET_BUCKET_US = 15 * 60 * TIME.US_PER_SECOND;

export class TraceClock {
  private readonly dayUs: number;
  private dayOffset = 0;
  private lastTodUs = -1;
  private readonly offsets = new Map<number, number>();

  constructor(
    date: string,
    private readonly tz: string,
  ) {
    const day = dateToUtcUs(date);
    if (day === null) throw new Error(`invalid date "${date}" (expected YYYY-MM-DD)`);
    this.dayUs = day;
  }

  /** Number of midnights crossed so far. */
  get daysRolled(): number {
    return this.dayOffset;
  }

  /** A time of day (µs since midnight) in line order → µs UTC. */
  fromTimeOfDay(todUs: number): number {
    if (this.lastTodUs >= 0 && todUs < this.lastTodUs - HALF_DAY_US) this.dayOffset++;
    this.lastTodUs = todUs;
    const wall = this.dayUs + this.dayOffset * TIME.US_PER_DAY + todUs;
    if (this.tz === 'UTC' || this.tz === 'Z') return wall;
    const bucket = Math.floor(wall / OFFSET_BUCKET_US);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      offset = wall - wallClockToUtcUs(wall, this.tz);
      this.offsets.set(bucket, offset);
    }
    return wall - offset;
  }

  /** Midnight of the import date in the import zone: the stand-in time of a line without one. */
  dayStartUs(): number {
    return this.tz === 'UTC' ? this.dayUs : wallClockToUtcUs(this.dayUs, this.tz);
  }
}
