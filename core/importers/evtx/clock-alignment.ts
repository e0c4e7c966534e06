// One clock per capture for Windows events. Sysmon writes its own UtcTime; every event also has
// TimeCreated. In a real .evtx they agree to milliseconds. Collection pipelines sometimes shift
// TimeCreated for every event (OTRF datasets: by -16 h or -19 h, a time-zone bug), which would
// put Security and Sysmon events of the same moment hours apart on the timeline. So the shift is
// learned from Sysmon events (UtcTime − TimeCreated, rounded to 15 minutes as zone offsets are)
// and applied to every TimeCreated-timed event of the capture; events seen before it is known
// are held back (up to a limit) so the whole capture shares one clock. Raw TimeCreated and
// UtcTime stay in fields, and the analyst is told.
import type { ImportSink } from '../types.ts';
import { isSysmon, toCanonicalEvent, type MappingOptions, type WindowsEvent } from '../windows-events.ts';

const QUARTER_HOUR_US = 15 * 60 * 1_000_000;
const HOUR_US = 3_600_000_000;
/** Events held while waiting for a Sysmon event to reveal the shift. */
const MAX_HELD = 5000;
/** Sysmon event IDs whose UtcTime is not the record time (network events are reported late). */
const NOT_FOR_LEARNING = new Set([3, 22]);

interface Held {
  ev: WindowsEvent;
  sourceLine: number;
  raw: string;
  fallbackTsUs: number | null;
}

function hours(us: number): string {
  return `${us >= 0 ? '+' : ''}${(us / HOUR_US).toFixed(2).replace(/\.?0+$/, '')} h`;
}

export class WindowsEventEmitter {
  private shiftUs: number | null = null;
  private held: Held[] = [];
  private networkFallbacks = 0;
  private readonly networkIds = new Set<number>();

  constructor(
    private readonly sink: ImportSink,
    private readonly options: MappingOptions,
  ) {}

  /** Maps and emits one event (or holds it until the capture's clock is known). */
  add(ev: WindowsEvent, sourceLine: number, raw: string, fallbackTsUs: number | null = null): void {
    if (this.shiftUs === null) {
      this.learn(ev, sourceLine);
      if (this.shiftUs === null) {
        this.held.push({ ev, sourceLine, raw, fallbackTsUs });
        if (this.held.length >= MAX_HELD) this.settle(0);
        return;
      }
      this.settle(this.shiftUs);
    }
    this.emit({ ev, sourceLine, raw, fallbackTsUs });
  }

  /** Flushes held events and reports what was done to the clock. */
  finish(): void {
    if (this.shiftUs === null) this.settle(0);
    if (this.shiftUs !== null && this.shiftUs !== 0) {
      this.sink.warn(
        `TimeCreated in this capture is ${hours(-this.shiftUs)} off Sysmon's own UtcTime (a collection-pipeline shift); ` +
          `events timed by TimeCreated were moved by ${hours(this.shiftUs)} so all events share one clock. Raw TimeCreated is kept in fields.`,
      );
    }
    if (this.networkFallbacks > 0) {
      this.sink.warn(
        `${this.networkFallbacks} Sysmon network event(s) (EventID ${[...this.networkIds].sort((a, b) => a - b).join(',')}) carry a UtcTime ` +
          `far from when they were logged; TimeCreated${this.shiftUs ? ` ${hours(this.shiftUs)}` : ''} was used as their time. UtcTime is kept in fields.`,
      );
    }
  }

  private learn(ev: WindowsEvent, sourceLine: number): void {
    if (!isSysmon(ev) || ev.eventId === null || NOT_FOR_LEARNING.has(ev.eventId)) return;
    const probe = toCanonicalEvent(ev, sourceLine, { ...this.options, timeCreatedShiftUs: 0 });
    if (!probe.ok || probe.utcTimeDeltaUs === null) return;
    this.shiftUs = Math.round(probe.utcTimeDeltaUs / QUARTER_HOUR_US) * QUARTER_HOUR_US || 0;
  }

  private settle(shiftUs: number): void {
    this.shiftUs = shiftUs;
    const held = this.held;
    this.held = [];
    for (const h of held) this.emit(h);
  }

  private emit(h: Held): void {
    const mapped = toCanonicalEvent(h.ev, h.sourceLine, {
      ...this.options,
      timeCreatedShiftUs: this.shiftUs ?? 0,
      fallbackTsUs: h.fallbackTsUs,
    });
    if (!mapped.ok) return this.sink.reject(h.sourceLine, mapped.reason, h.raw);
    if (mapped.usedTimeCreatedForNetwork) {
      this.networkFallbacks++;
      if (h.ev.eventId !== null) this.networkIds.add(h.ev.eventId);
    }
    this.sink.event(mapped.event);
  }
}
