// The flows view: who talked to which controller (core/links/flows.ts). One row per (process or
// client host → server, protocol): the ICS functions used with their counts (writes marked),
// connections (and how many a host call is linked to), requests, writes, first and last seen.
// Filterable by process; a click on a row filters the events table to the server endpoint.
import { useState } from 'react';
import type { FlowSummary } from '../../../core/api.ts';
import { formatCount } from '../display/count.ts';
import { formatTimestamp } from '../display/time.ts';
import { useApiResult } from '../api/useApiResult.ts';
import { useWorkbench } from '../state/workbench.tsx';
import type { StackPick } from '../stack/pick.ts';

/** "modbus.write_single_coil" → "write_single_coil" (the protocol has its own column). */
function functionName(op: string, protocol: string | null): string {
  return protocol && op.startsWith(`${protocol}.`) ? op.slice(protocol.length + 1) : op;
}

export function FlowsPanel({ onPick }: { onPick(pick: StackPick): void }) {
  const { api, localTime } = useWorkbench();
  const [process, setProcess] = useState('');
  const wanted = process.trim();
  // Typing in the filter asks once it pauses.
  const { value: flows } = useApiResult<FlowSummary[]>(`flows/${wanted}`, () => api.flows(wanted === '' ? {} : { process: wanted }), {
    keepWhileLoading: true,
    delayMs: 200,
  });

  return (
    <section className="stack-panel flows-panel" data-testid="flows-panel" aria-busy={flows === null}>
      <div className="filter-bar">
        <label>
          process{' '}
          <input value={process} onChange={(e) => setProcess(e.target.value)} placeholder="any" data-testid="flows-filter" aria-label="filter flows by process" />
        </label>
        {flows && (
          <span className="muted" data-testid="flows-summary">
            {formatCount(flows.length)} talker → server pairs · {formatCount(flows.reduce((n, f) => n + f.connections, 0))} connections
          </span>
        )}
      </div>
      <div className="stack-scroll">
        <table className="stack-table">
          <thead>
            <tr>
              <th>who</th>
              <th>server</th>
              <th>protocol</th>
              <th>functions</th>
              <th className="num" title="connections (linked to a host call)">conn.</th>
              <th className="num">requests</th>
              <th className="num">writes</th>
              <th>first seen</th>
              <th>last seen</th>
            </tr>
          </thead>
          <tbody>
            {(flows ?? []).map((f) => (
              <tr key={f.key} data-testid="flow-row" data-process={f.process ?? ''} data-server={f.server} data-writes={f.writes} onClick={() => onPick({ field: 'endpoint', value: f.server })} title={`show the events to ${f.server}`}>
                <td>{f.process ? `${f.process}${f.pids.length > 0 ? ` (pid ${f.pids.join(', ')})` : ''}` : `host ${f.client_host ?? '?'}`}</td>
                <td className="mono">{f.server}</td>
                <td>{f.protocol ?? f.transport ?? ''}</td>
                <td className="mono">
                  {f.functions.map((fn) => (
                    <span key={fn.op} className={fn.write ? 'flow-fn flow-write' : 'flow-fn'}>
                      {functionName(fn.op, f.protocol)} ×{formatCount(fn.count)}{' '}
                    </span>
                  ))}
                </td>
                <td className="num">
                  {formatCount(f.connections)}
                  {f.linked_connections > 0 ? ` (${formatCount(f.linked_connections)})` : ''}
                </td>
                <td className="num">{formatCount(f.requests)}</td>
                <td className="num">{formatCount(f.writes)}</td>
                <td className="mono">{formatTimestamp(f.first_us, localTime).slice(11)}</td>
                <td className="mono">{formatTimestamp(f.last_us, localTime).slice(11)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {flows && flows.length === 0 && <p className="empty">No flow on the wire{process.trim() ? ` from a process matching "${process.trim()}"` : ''}: import a tshark or Zeek capture.</p>}
      </div>
    </section>
  );
}
