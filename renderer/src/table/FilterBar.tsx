// The events table's filters: process, op, category, kind, log level, free text, failed only, and the
// "limit to the timeline viewport" toggle. Text inputs apply after a short pause in typing.
import { type RefObject, useEffect, useState } from 'react';
import { knownCategories } from '../timeline/colors.ts';
import { EMPTY_FILTERS, type TableFilters } from './filters.ts';

const KINDS = ['api', 'process', 'file', 'registry', 'network', 'ics', 'alarm', 'auth', 'log', 'signal'];
/** The levels importers store (core/importers/log-kind.ts), most severe first. */
const LEVELS = ['emerg', 'alert', 'crit', 'alarm', 'fatal', 'err', 'warning', 'notice', 'info', 'debug'];

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * `initial`: the filters to start from (a reloaded address or an opened saved view remounts the bar
 * with them). `searchRef`: the free-text input, which the key map's search key (`/`, Ctrl+F) focuses.
 */
export function FilterBar({
  onChange,
  initial = EMPTY_FILTERS,
  searchRef,
}: {
  onChange(filters: TableFilters): void;
  initial?: TableFilters;
  searchRef?: RefObject<HTMLInputElement | null>;
}) {
  const [process, setProcess] = useState(initial.process);
  const [op, setOp] = useState(initial.op);
  const [text, setText] = useState(initial.text);
  const [category, setCategory] = useState(initial.category);
  const [kind, setKind] = useState(initial.kind);
  const [level, setLevel] = useState(initial.level);
  const [failedOnly, setFailedOnly] = useState(initial.failedOnly);
  const [limitToView, setLimitToView] = useState(initial.limitToView);
  const typed = useDebounced({ process, op, text }, 250);

  useEffect(() => {
    onChange({ ...typed, category, kind, level, failedOnly, limitToView });
  }, [typed, category, kind, level, failedOnly, limitToView, onChange]);

  return (
    <div className="filter-bar" data-testid="table-filters">
      <input placeholder="process" value={process} onChange={(e) => setProcess(e.target.value)} data-testid="filter-process" aria-label="filter by process name" />
      <input placeholder="op (e.g. execve, openat)" value={op} onChange={(e) => setOp(e.target.value)} data-testid="filter-op" aria-label="filter by op" />
      <select value={category} onChange={(e) => setCategory(e.target.value)} data-testid="filter-category" aria-label="filter by category">
        <option value="">any category</option>
        {knownCategories().map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      <select value={kind} onChange={(e) => setKind(e.target.value)} data-testid="filter-kind" aria-label="filter by kind">
        <option value="">any kind</option>
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </select>
      <select value={level} onChange={(e) => setLevel(e.target.value)} data-testid="filter-level" aria-label="filter by log level">
        <option value="">any level</option>
        {LEVELS.map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </select>
      <input ref={searchRef} className="grow" placeholder="search op, target, args, ret, error, process  ( / )" value={text} onChange={(e) => setText(e.target.value)} data-testid="filter-text" aria-label="free text search" />
      <label className="toggle">
        <input type="checkbox" checked={failedOnly} onChange={(e) => setFailedOnly(e.target.checked)} data-testid="filter-failed" />
        failed only
      </label>
      <label className="toggle" title="Show only events inside the timeline's visible range">
        <input type="checkbox" checked={limitToView} onChange={(e) => setLimitToView(e.target.checked)} data-testid="filter-viewport" />
        limit to timeline viewport
      </label>
    </div>
  );
}
