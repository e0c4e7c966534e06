// The stacking panel (Procmon's Count Occurrences): event counts by one field for the table's
// current filter (time range included), most frequent or rarest first, sortable by value or
// count. A click on a value filters the events table to it and shows the table.
import { useMemo, useState } from 'react';
import { STACK_FIELDS, type EventFilter, type StackField, type StackResponse } from '../../../core/api.ts';
import { formatCount } from '../display/count.ts';
import { useApiResult } from '../api/useApiResult.ts';
import { useWorkbench } from '../state/workbench.tsx';
import { STACK_FIELD_LABELS, type StackPick } from './pick.ts';

const STACK_LIMIT = 500;

type Order = 'count' | 'value';

export function StackPanel({ filter, onPick }: { filter: EventFilter; onPick(pick: StackPick): void }) {
  const { api } = useWorkbench();
  const [field, setField] = useState<StackField>('op');
  const [rare, setRare] = useState(false);
  const [order, setOrder] = useState<Order>('count');
  const { value: result, loading } = useApiResult<StackResponse>(JSON.stringify({ filter, field, rare }), () => api.stack({ filter, field, limit: STACK_LIMIT, rare }), {
    keepWhileLoading: true,
  });

  const rows = useMemo(() => {
    const list = result?.field === field ? [...result.rows] : [];
    if (order === 'value') list.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    return list;
  }, [result, field, order]);
  const max = rows.reduce((m, r) => Math.max(m, r.count), 1);

  return (
    <section className="stack-panel" data-testid="stack-panel" aria-busy={loading}>
      <div className="filter-bar">
        <label>
          count by{' '}
          <select value={field} onChange={(e) => setField(e.target.value as StackField)} data-testid="stack-field" aria-label="field to count by">
            {STACK_FIELDS.map((f) => (
              <option key={f} value={f}>
                {STACK_FIELD_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
        <label className="toggle" title="Values seen least often first: the odd one out">
          <input type="checkbox" checked={rare} onChange={(e) => setRare(e.target.checked)} data-testid="stack-rare" />
          rare first
        </label>
        {result && (
          <span className="muted" data-testid="stack-summary">
            {formatCount(result.distinct)} values over {formatCount(result.with_value)} of {formatCount(result.total)} events
            {result.distinct > result.rows.length ? ` (first ${formatCount(result.rows.length)} shown)` : ''}
          </span>
        )}
      </div>
      <div className="stack-scroll">
        <table className="stack-table">
          <thead>
            <tr>
              <th aria-sort={order === 'value' ? 'ascending' : 'none'}>
                <button type="button" className="link" onClick={() => setOrder('value')} data-testid="stack-sort-value">
                  {STACK_FIELD_LABELS[field]}
                </button>
              </th>
              <th aria-sort={order === 'count' ? (rare ? 'ascending' : 'descending') : 'none'} className="num">
                <button type="button" className="link" onClick={() => setOrder('count')} data-testid="stack-sort-count">
                  events
                </button>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.value} data-testid="stack-row" data-value={r.value} data-count={r.count}>
                <td>
                  <button
                    type="button"
                    className="link stack-value"
                    onClick={() => onPick({ field, value: r.value })}
                    title={field === 'path_prefix' ? `show the events under ${r.value}` : `show the events with ${STACK_FIELD_LABELS[field]} ${r.value}`}
                  >
                    {r.value}
                  </button>
                </td>
                <td className="num">
                  <span className="stack-bar" style={{ width: `${Math.max(1, (r.count / max) * 100)}%` }} />
                  {formatCount(r.count)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {result && rows.length === 0 && <p className="empty">No event of this filter has a {STACK_FIELD_LABELS[field]}.</p>}
      </div>
    </section>
  );
}
