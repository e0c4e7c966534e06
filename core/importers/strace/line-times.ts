// Where the lines of a strace/ltrace capture sit in time, in line order (CallTraceParser): the
// line's own stamp through the capture's clock (strace/clock.ts), or, for a line without one, the
// time of the last line that had one. Lines read before any line had a time (notices, program
// output at the top of a capture) wait here until the first time is known. The warnings an
// analyst needs about dates and missing times are given once each.
import type { CanonicalEvent } from '../../model/event.ts';
import type { ImportContext, ImportSink } from '../types.ts';
import { TraceClock } from './clock.ts';
import type { LineHead } from './line.ts';

export class TraceLineTimes {
  private readonly clock: TraceClock;
  private lastTs: number | null = null;
  /** Events read before any line had a time: they take the first time found (or the day's start). */
  private waiting: CanonicalEvent[] = [];
  private reportedDateUse = false;
  private warnedDateToAnalyst = false;
  private warnedNoTime = false;

  constructor(
    private readonly tool: string,
    private readonly ctx: ImportContext,
    private readonly sink: ImportSink,
  ) {
    this.clock = new TraceClock(ctx.date, ctx.tz);
  }

  /** The time of the last line that had one, or null before any. */
  get last(): number | null {
    return this.lastTs;
  }

  /** The time of a line, from its head (read by strace/line.ts), in line order. */
  of(head: LineHead): number {
    let ts: number;
    if (head.clock === 'epoch') ts = head.timeUs;
    else if (head.clock === 'tod') {
      ts = this.clock.fromTimeOfDay(head.timeUs);
      if (!this.reportedDateUse) {
        this.reportedDateUse = true;
        this.sink.usedDate();
      }
      if (!this.warnedDateToAnalyst && this.ctx.dateBasis !== 'user') {
        this.warnedDateToAnalyst = true;
        this.sink.warn(
          `${this.tool} times carry no date; assumed ${this.ctx.date} (${this.ctx.dateBasis}) in ${this.ctx.tz}, rolling over at midnight. Re-import with --date if that is wrong.`,
        );
      }
    } else {
      if (this.lastTs !== null) return this.lastTs;
      if (!this.warnedNoTime) {
        this.warnedNoTime = true;
        this.sink.warn(`lines without a timestamp (traced without -t/-tt/-ttt) are placed at ${this.ctx.date} 00:00 ${this.ctx.tz}; their order is the line order`);
      }
      return this.clock.dayStartUs();
    }
    if (this.lastTs === null && this.waiting.length > 0) this.release(ts);
    this.lastTs = ts;
    return ts;
  }

  /** An event of a line without a time of its own: at the last time, or held until the first. */
  emitAtLast(ev: CanonicalEvent): void {
    ev.ts_us = this.lastTs ?? 0;
    if (this.lastTs === null) this.waiting.push(ev);
    else this.sink.event(ev);
  }

  /** At the end of the capture: events still waiting take the day's start. */
  end(): void {
    if (this.waiting.length > 0) this.release(this.clock.dayStartUs());
  }

  private release(ts: number): void {
    const list = this.waiting;
    this.waiting = [];
    for (const ev of list) {
      ev.ts_us = ts;
      this.sink.event(ev);
    }
  }
}
