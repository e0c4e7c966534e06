// SVG overlay over the timeline's lanes: the followed chain's connectors and the markers of
// uncertain order (geometry in connectors.ts). Lines let clicks through to the canvas; a marker
// keeps its tooltip ("order uncertain ± X ms vs capture Y").
import { useMemo } from 'react';
import { chainConnectors, type ConnectorLayout } from './connectors.ts';
import { useFollowedChain } from './follow-state.ts';

export function ChainConnectors({ layout, height }: { layout: ConnectorLayout; height: number }) {
  const chain = useFollowedChain();
  const { connectors, markers } = useMemo(() => (chain ? chainConnectors(chain, layout) : { connectors: [], markers: [] }), [chain, layout]);
  if (!chain) return null;
  return (
    <svg
      className="chain-connectors"
      data-testid="chain-connectors"
      data-event-id={chain.event_id}
      width={layout.width}
      height={height}
      style={{ position: 'absolute', left: 0, top: 0, pointerEvents: 'none', overflow: 'visible' }}
    >
      <defs>
        <pattern id="order-hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="2" height="4" fill="#ffd166" />
        </pattern>
      </defs>
      {connectors.map((c) => (
        <path key={c.key} d={c.path} data-testid="chain-connector" data-kind={c.kind} fill="none" stroke={c.color} strokeWidth={1.6} strokeOpacity={c.opacity} strokeDasharray={c.dash ?? undefined}>
          <title>{c.title}</title>
        </path>
      ))}
      {markers.map((m) => (
        <circle key={m.key} cx={m.x} cy={m.y} r={6} fill="url(#order-hatch)" stroke="#ffd166" data-testid="order-uncertain" style={{ pointerEvents: 'visiblePainted' }}>
          <title>{m.title}</title>
        </circle>
      ))}
    </svg>
  );
}
