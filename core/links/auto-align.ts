// Automatic clock alignment: each host capture's offset against one reference wire capture,
// from its connect ↔ SYN pairs (core/links/clock.ts), applied only when asked, through the same
// mechanism (and audit) as an analyst's alignment, with the pairs as the recorded basis.
import { applyClockOffset, formatOffset } from '../case/align.ts';
import { getCapture } from '../case/case-info.ts';
import { rebuildProcessTree } from '../process/store.ts';
import type { CaseStore } from '../store/case-store.ts';
import { estimateClock, type ClockPair } from './clock.ts';
import { DEFAULT_LINK_OPTIONS, readConnections, rebuildLinks, type LinkOptions } from './store.ts';

export interface CaptureClock {
  capture_id: number;
  /** What must be added to the capture's current times (µs); 0 for the reference. */
  offset_us: number;
  /** Half-width of the interval the true offset lies in (µs). */
  uncertainty_us: number;
  /** connect ↔ SYN pairs the estimate rests on. */
  pairs: number;
  drift_ppm: number | null;
  reference_capture_id: number;
  /** The capture's clock offset after applying (its current offset + offset_us). */
  clock_offset_us: number;
  applied: boolean;
}

/** Estimates every capture's offset that has connections matched to the reference's flows. */
export async function estimateCaptureClocks(store: CaseStore, options: LinkOptions = DEFAULT_LINK_OPTIONS): Promise<CaptureClock[]> {
  const { matches } = await readConnections(store, options);
  // Only a connect whose SYN was seen bounds the offset from both sides.
  const usable = matches.filter((m) => m.connection.role === 'client' && m.flow.open_ts_us !== null);
  const perWire = new Map<number, number>();
  for (const m of usable) perWire.set(m.flow.capture_id, (perWire.get(m.flow.capture_id) ?? 0) + 1);
  const reference = [...perWire.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
  if (reference === undefined) return [];
  const pairsOf = new Map<number, ClockPair[]>();
  for (const m of usable) {
    if (m.flow.capture_id !== reference) continue;
    const list = pairsOf.get(m.connection.capture_id) ?? [];
    list.push({ anchor_ts_us: m.connection.anchor_ts_us, anchor_dur_us: m.connection.anchor_dur_us, wire_ts_us: m.flow.open_ts_us ?? m.flow.first_ts_us });
    pairsOf.set(m.connection.capture_id, list);
  }
  const out: CaptureClock[] = [];
  const ref = await getCapture(store, reference);
  out.push({
    capture_id: reference, offset_us: 0, uncertainty_us: 0, pairs: perWire.get(reference) ?? 0, drift_ppm: null,
    reference_capture_id: reference, clock_offset_us: ref.clock_offset_us, applied: false,
  });
  for (const [captureId, pairs] of [...pairsOf.entries()].sort((a, b) => a[0] - b[0])) {
    const estimate = estimateClock(pairs);
    if (!estimate) continue;
    const capture = await getCapture(store, captureId);
    out.push({
      capture_id: captureId, offset_us: estimate.offset_us, uncertainty_us: estimate.uncertainty_us, pairs: estimate.pairs,
      drift_ppm: estimate.drift_ppm, reference_capture_id: reference, clock_offset_us: capture.clock_offset_us + estimate.offset_us, applied: false,
    });
  }
  return out;
}

/** Estimates, then moves every non-reference capture by its estimate; links and the tree follow. */
export async function applyCaptureClocks(store: CaseStore, options: LinkOptions = DEFAULT_LINK_OPTIONS): Promise<CaptureClock[]> {
  const clocks = await estimateCaptureClocks(store, options);
  for (const c of clocks) {
    if (c.capture_id === c.reference_capture_id || c.offset_us === 0) continue;
    const basis =
      `automatic: ${c.pairs} connect ↔ SYN pair(s) with capture ${c.reference_capture_id}, ` +
      `moved ${formatOffset(c.offset_us)} ± ${c.uncertainty_us} µs${c.drift_ppm !== null ? `, drift ${c.drift_ppm} ppm not corrected` : ''}`;
    await applyClockOffset(store, c.capture_id, c.clock_offset_us, basis);
    c.applied = true;
  }
  if (clocks.some((c) => c.applied)) {
    await rebuildProcessTree(store);
    await rebuildLinks(store, options);
  }
  return clocks;
}
