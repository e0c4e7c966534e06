// Clock offset of a host capture against a wire capture, from matched connect ↔ SYN pairs.
// The kernel sends the SYN while connect() runs, so with the host clock corrected by the true
// offset o every pair satisfies  anchor ≤ syn − o ≤ anchor + dur,  i.e.
// o ∈ [syn − anchor − dur, syn − anchor]. A tracer's stamps are not the kernel's entry and exit,
// though: they come late by its own stop/wake-up latency, and on hmi-dev a SYN appears up to a
// few µs after strace's stamped end of connect. Each pair's bounds are therefore widened by the
// spread (max − min) of the pairs' connect → SYN delays, the capture's own measure of how much a
// stamp wanders. The estimate is the centre of the intersection of the widened intervals and the
// uncertainty its half-width; when even those do not all overlap, the estimate is the point
// nearest to all of them and the uncertainty reaches every interval. Long captures also get a
// drift (ppm) from a least-squares line through the interval centres.

export interface ClockPair {
  /** Host call start and duration (µs, host clock as currently aligned). */
  anchor_ts_us: number;
  anchor_dur_us: number | null;
  /** The wire's open time for the same connection (µs, reference clock). */
  wire_ts_us: number;
}

export interface ClockEstimate {
  /** What must be added to the host capture's current times (µs). */
  offset_us: number;
  /** Half-width of the interval the offset lies in (µs). */
  uncertainty_us: number;
  pairs: number;
  /** Clock rate difference (parts per million), when the pairs span long enough to say. */
  drift_ppm: number | null;
}

/** Pairs spanning less than this give no drift estimate. */
const DRIFT_MIN_SPAN_US = 600_000_000;
/** The two captures' timestamp resolution (µs). */
const RESOLUTION_US = 1;

export function estimateClock(pairs: readonly ClockPair[]): ClockEstimate | null {
  if (pairs.length === 0) return null;
  const delays = pairs.map((p) => p.wire_ts_us - p.anchor_ts_us);
  const jitter = Math.max(...delays) - Math.min(...delays);
  const intervals = pairs.map((p, k) => {
    const delay = delays[k] ?? 0;
    return { lo: delay - Math.max(0, p.anchor_dur_us ?? 0) - jitter, hi: delay + jitter, t: p.anchor_ts_us };
  });
  const lo = Math.max(...intervals.map((i) => i.lo));
  const hi = Math.min(...intervals.map((i) => i.hi));
  let offset: number;
  let uncertainty: number;
  if (lo <= hi) {
    offset = (lo + hi) / 2;
    uncertainty = (hi - lo) / 2;
  } else {
    // No offset fits every pair: take the point whose farthest interval is nearest.
    offset = (lo + hi) / 2;
    uncertainty = Math.max(...intervals.map((i) => Math.max(i.lo - offset, offset - i.hi, 0) + (i.hi - i.lo)));
  }
  return {
    offset_us: Math.round(offset),
    uncertainty_us: Math.ceil(uncertainty + RESOLUTION_US),
    pairs: pairs.length,
    drift_ppm: drift(intervals),
  };
}

function drift(intervals: readonly { lo: number; hi: number; t: number }[]): number | null {
  if (intervals.length < 4) return null;
  const ts = intervals.map((i) => i.t);
  const span = Math.max(...ts) - Math.min(...ts);
  if (span < DRIFT_MIN_SPAN_US) return null;
  const t0 = Math.min(...ts);
  const xs = intervals.map((i) => i.t - t0);
  const ys = intervals.map((i) => (i.lo + i.hi) / 2);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, k) => {
    sxy += (x - mx) * ((ys[k] ?? 0) - my);
    sxx += (x - mx) ** 2;
  });
  return sxx === 0 ? null : Math.round((sxy / sxx) * 1e6 * 100) / 100;
}
