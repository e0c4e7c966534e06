// Connector geometry of a followed chain: lane centres and view x, cross-lane links only,
// confidence as opacity and dash, off-view lines dropped, uncertain-order markers.
import { describe, expect, it } from 'vitest';
import type { ChainStep, FollowedChain, Link, StoredEvent } from '../../../core/api.ts';
import { chainConnectors, confidenceStyle, connectorPath, LINK_KIND_COLORS, orderUncertainText } from './connectors.ts';

const ev = (event_id: number, capture_id: number, kind: string, ts_us: number, pid: number | null = null): StoredEvent =>
  ({ event_id, capture_id, kind, ts_us, pid, host: 'h', op: 'op', category: 'other' }) as StoredEvent;
const step = (event: StoredEvent, order_uncertain: ChainStep['order_uncertain'] = null): ChainStep => ({ event, role: 'call', depth: 0, order_uncertain });
const link = (from_event: number, to_event: number, kind: Link['kind'], confidence = 1): Link => ({ from_event, to_event, kind, confidence, rule: 'r' });

// Lanes: the process's API lane 0, the wire capture's network lane 1, its ICS lane 2, the alarm list 3.
const laneOf = (e: Pick<StoredEvent, 'kind' | 'capture_id'>): number => (e.kind === 'api' ? 0 : e.kind === 'network' ? 1 : e.kind === 'ics' ? 2 : e.kind === 'alarm' ? 3 : -1);
const layout = { laneOf, view: { from_us: 0, to_us: 1000 }, width: 500, laneHeight: 20 };

describe('chainConnectors', () => {
  const connect = ev(1, 1, 'api', 100, 7);
  const send = ev(2, 1, 'api', 150, 7);
  const syn = ev(10, 2, 'network', 102);
  const write = ev(11, 2, 'ics', 160);
  const alarm = ev(20, 3, 'alarm', 900);
  const chain: FollowedChain = {
    event_id: 1, process: null, truncated: false,
    steps: [step(connect), step(send), step(syn, { capture_id: 1, uncertainty_us: 80 }), step(write), step(alarm)],
    links: [link(1, 2, 'socket-call'), link(1, 10, 'socket-flow', 0.7), link(10, 11, 'flow-ics'), link(11, 20, 'ics-alarm', 0.3)],
  };

  it('joins lane centres at the events\' x, leaves same-lane links out, and styles by kind and confidence', () => {
    const { connectors } = chainConnectors(chain, layout);
    expect(connectors.map((c) => c.kind)).toEqual(['socket-flow', 'flow-ics', 'ics-alarm']);
    const [flow, ics, alarmLine] = connectors;
    expect(flow?.path).toBe(connectorPath(50, 10, 51, 30));
    expect(ics?.path.startsWith('M 51 30 ')).toBe(true);
    expect(ics?.path.endsWith(' 80 50')).toBe(true);
    expect(alarmLine?.path.endsWith(' 450 70')).toBe(true);
    expect(flow?.color).toBe(LINK_KIND_COLORS['socket-flow']);
    expect([flow?.dash, ics?.dash, alarmLine?.dash]).toEqual(['6 3', null, '2 3']);
    expect((alarmLine?.opacity ?? 1) < (flow?.opacity ?? 0)).toBe(true);
  });

  it('drops lines wholly outside the view and events without a lane', () => {
    const zoomed = chainConnectors(chain, { ...layout, view: { from_us: 800, to_us: 1000 } });
    expect(zoomed.connectors.map((c) => c.kind)).toEqual(['ics-alarm']); // it crosses into the view
    const noAlarmLane = chainConnectors(chain, { ...layout, laneOf: (e) => (e.kind === 'alarm' ? -1 : laneOf(e)) });
    expect(noAlarmLane.connectors.map((c) => c.kind)).toEqual(['socket-flow', 'flow-ics']);
  });

  it('puts an order-uncertain marker on the step with its tooltip', () => {
    const { markers } = chainConnectors(chain, layout);
    expect(markers).toEqual([{ key: '10', x: 51, y: 30, title: 'order uncertain ± 0.080 ms vs capture 1' }]);
    expect(orderUncertainText({ capture_id: 4, uncertainty_us: 12_500 })).toBe('order uncertain ± 13 ms vs capture 4');
  });

  it('confidence style is monotone: more sure, more opaque', () => {
    const values = [0, 0.2, 0.5, 0.79, 0.8, 1].map((c) => confidenceStyle(c).opacity);
    expect([...values].sort((a, b) => a - b)).toEqual(values);
  });
});
