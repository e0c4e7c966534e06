// How sure the case is of the order of events from different captures. Each capture's times are
// known against the reference capture (auto-align.ts) only up to an error: |offset still to add|
// plus the estimate's uncertainty (after --apply the offset left is ~0 and the uncertainty
// remains). Two events of captures A and B closer in time than the sum of their errors may be in
// either order; the timeline and the report say so instead of asserting one. Captures that no
// connect ↔ SYN pair ties to the reference have no known error and are left out (not asserted).
import type { CapturePairUncertainty, ChainStep, OrderUncertainty } from '../model/link.ts';
import { capturesFingerprint } from '../store/captures-fingerprint.ts';
import type { CaseStore } from '../store/case-store.ts';
import { estimateCaptureClocks } from './auto-align.ts';

/**
 * Estimating reads every socket call and packet (seconds on a large case), and only an import or
 * an alignment changes the answer: kept per open case and captures fingerprint.
 */
const known = new WeakMap<CaseStore, { fingerprint: string; errors: Map<number, number> }>();

/** Per capture: the most its current times may be off the reference clock (µs). */
export async function captureClockErrors(store: CaseStore): Promise<Map<number, number>> {
  const fingerprint = await capturesFingerprint(store);
  const kept = known.get(store);
  if (kept?.fingerprint === fingerprint) return kept.errors;
  const clocks = await estimateCaptureClocks(store);
  const errors = new Map(clocks.map((c) => [c.capture_id, c.capture_id === c.reference_capture_id ? 0 : Math.abs(c.offset_us) + c.uncertainty_us]));
  known.set(store, { fingerprint, errors });
  return errors;
}

/** Per pair of captures whose clocks are both known: events closer than this have no sure order. */
export function pairUncertainties(errors: ReadonlyMap<number, number>): CapturePairUncertainty[] {
  const ids = [...errors.keys()].sort((a, b) => a - b);
  const out: CapturePairUncertainty[] = [];
  ids.forEach((a, i) => {
    for (const b of ids.slice(i + 1)) out.push({ capture_a: a, capture_b: b, uncertainty_us: (errors.get(a) ?? 0) + (errors.get(b) ?? 0) });
  });
  return out;
}

/** The report's and the UI's view: per capture pair, the ordering uncertainty (µs). */
export async function orderingUncertainty(store: CaseStore): Promise<CapturePairUncertainty[]> {
  return pairUncertainties(await captureClockErrors(store));
}

/** Whether two events' order is uncertain: different captures, both clocks known, closer than their combined error. */
export function uncertainOrder(
  a: { capture_id: number; ts_us: number },
  b: { capture_id: number; ts_us: number },
  errors: ReadonlyMap<number, number>,
): OrderUncertainty | null {
  if (a.capture_id === b.capture_id) return null;
  const ea = errors.get(a.capture_id);
  const eb = errors.get(b.capture_id);
  if (ea === undefined || eb === undefined) return null;
  const combined = ea + eb;
  return Math.abs(a.ts_us - b.ts_us) < combined ? { capture_id: b.capture_id, uncertainty_us: combined } : null;
}

/**
 * Marks each step whose order against a step of another capture cannot be told: the nearest in
 * time among the other captures' steps, when closer than the two clocks' combined error (a
 * connect() and its SYN, a write and the device's record of it).
 */
export function markUncertainOrder(steps: ChainStep[], errors: ReadonlyMap<number, number>): ChainStep[] {
  return steps.map((s) => {
    let nearest: ChainStep | null = null;
    for (const o of steps) {
      if (o.event.capture_id === s.event.capture_id || !errors.has(o.event.capture_id)) continue;
      if (!nearest || Math.abs(o.event.ts_us - s.event.ts_us) < Math.abs(nearest.event.ts_us - s.event.ts_us)) nearest = o;
    }
    return { ...s, order_uncertain: nearest ? uncertainOrder(s.event, nearest.event, errors) : null };
  });
}

/** "order uncertain ± 0.120 ms vs capture 2" (the UI shows the same words). */
export function orderUncertainWords(u: OrderUncertainty): string {
  const ms = u.uncertainty_us / 1000;
  return `order uncertain ± ${ms >= 10 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3)} ms vs capture ${u.capture_id}`;
}

/** An ordering uncertainty as a reader wants it: "± 80 µs", "12.4 ms". */
export function formatUncertainty(us: number): string {
  return us >= 1000 ? `${(us / 1000).toFixed(us >= 100_000 ? 0 : 1)} ms` : `${Math.round(us)} µs`;
}
