// Connectors of a followed chain (core/links/follow.ts) across the timeline's lanes: pure
// geometry from the chain, the lane of each event and the view, so the SVG overlay
// (ChainConnectors.tsx) only draws. One connector per link whose two events lie in different
// lanes (a socket's calls share their process's lane: a line along it would hide the events),
// coloured by the link's kind, its confidence as opacity and dash, and a marker on each event
// whose order against the previous step the clocks cannot tell.
import type { FollowedChain, LinkKind, StoredEvent } from '../../../core/api.ts';
import { categoryColor } from './colors.ts';
import { timeToX, type TimeView } from './view.ts';

/** Most connectors drawn: a polling connection's chain can hold hundreds of operations. */
export const MAX_CONNECTORS = 300;

export const LINK_KIND_COLORS: Record<LinkKind, string> = {
  'socket-call': categoryColor('process'),
  'socket-flow': categoryColor('network'),
  'flow-ics': categoryColor('ics'),
  'ics-device': categoryColor('device'),
  'flow-device': categoryColor('device'),
  'ics-alarm': categoryColor('alarm'),
};

export interface Connector {
  key: string;
  kind: LinkKind;
  /** SVG path from the link's `from` event to its `to` event. */
  path: string;
  color: string;
  opacity: number;
  /** SVG stroke-dasharray; null for a solid line (confidence ≥ 0.8). */
  dash: string | null;
  title: string;
}

export interface OrderMarker {
  key: string;
  x: number;
  y: number;
  title: string;
}

export interface ConnectorLayout {
  laneOf: (event: Pick<StoredEvent, 'kind' | 'host' | 'pid' | 'capture_id'>) => number;
  view: TimeView;
  width: number;
  laneHeight: number;
}

/** Opacity and dash from a link's confidence: sure links solid and strong, guesses faint and dashed. */
export function confidenceStyle(confidence: number): { opacity: number; dash: string | null } {
  const c = Math.max(0, Math.min(1, confidence));
  return { opacity: Math.round((0.3 + 0.7 * c) * 100) / 100, dash: c >= 0.8 ? null : c >= 0.5 ? '6 3' : '2 3' };
}

/** A gentle S-curve between two lane points, so connectors stacked on one column stay apart. */
export function connectorPath(x1: number, y1: number, x2: number, y2: number): string {
  const bend = Math.max(8, Math.min(40, Math.abs(y2 - y1) / 3));
  const r = (n: number): number => Math.round(n * 10) / 10;
  return `M ${r(x1)} ${r(y1)} C ${r(x1 + bend)} ${r(y1)}, ${r(x2 - bend)} ${r(y2)}, ${r(x2)} ${r(y2)}`;
}

function point(e: StoredEvent, layout: ConnectorLayout): { x: number; y: number } | null {
  const lane = layout.laneOf(e);
  if (lane < 0) return null;
  return { x: timeToX(e.ts_us, layout.view, layout.width), y: lane * layout.laneHeight + layout.laneHeight / 2 };
}

/** Both ends off the same side of the view: nothing of the line would show. */
function offView(a: { x: number }, b: { x: number }, width: number): boolean {
  return (a.x < 0 && b.x < 0) || (a.x > width && b.x > width);
}

export function chainConnectors(chain: FollowedChain, layout: ConnectorLayout): { connectors: Connector[]; markers: OrderMarker[] } {
  const events = new Map(chain.steps.map((s) => [s.event.event_id, s.event]));
  const connectors: Connector[] = [];
  for (const l of chain.links) {
    if (connectors.length >= MAX_CONNECTORS) break;
    const from = events.get(l.from_event);
    const to = events.get(l.to_event);
    if (!from || !to) continue;
    const a = point(from, layout);
    const b = point(to, layout);
    if (!a || !b || a.y === b.y || offView(a, b, layout.width)) continue;
    const style = confidenceStyle(l.confidence);
    connectors.push({
      key: `${l.from_event}-${l.to_event}-${l.kind}`, kind: l.kind, path: connectorPath(a.x, a.y, b.x, b.y), color: LINK_KIND_COLORS[l.kind],
      opacity: style.opacity, dash: style.dash, title: `${l.kind} (${l.confidence.toFixed(2)}): ${l.rule}`,
    });
  }
  const markers: OrderMarker[] = [];
  for (const s of chain.steps) {
    if (!s.order_uncertain) continue;
    const p = point(s.event, layout);
    if (!p || p.x < 0 || p.x > layout.width) continue;
    markers.push({ key: String(s.event.event_id), x: p.x, y: p.y, title: orderUncertainText(s.order_uncertain) });
  }
  return { connectors, markers };
}

/** "order uncertain ± 0.080 ms vs capture 2" (the CLI's words, core/links/ordering.ts orderUncertainWords). */
export function orderUncertainText(u: { capture_id: number; uncertainty_us: number }): string {
  const ms = u.uncertainty_us / 1000;
  return `order uncertain ± ${ms >= 10 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3)} ms vs capture ${u.capture_id}`;
}
