// The query console: one SELECT over the case's tables, answered in a grid (TanStack Table for
// the columns, TanStack Virtual for the rows, styled like the events table). The backend decides
// what may run (an allow-list on DuckDB's parse tree); a refusal or an SQL error shows inline,
// under the editor, in DuckDB's or the allow-list's own words.
import { useMemo, useRef, useState } from 'react';
import { createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { QueryCell, QueryResponse } from '../../../core/api.ts';
import { formatCount } from '../display/count.ts';
import { messageOf, useWorkbench } from '../state/workbench.tsx';

const ROW_HEIGHT = 22;
const EXAMPLE = 'SELECT op, count(*) AS calls, count(*) FILTER (WHERE error IS NOT NULL) AS failed\nFROM events\nGROUP BY op\nORDER BY calls DESC\nLIMIT 50';

const features = tableFeatures({ columnMeta: {} as { width: number } });
type Row = QueryCell[];
const helper = createColumnHelper<typeof features, Row>();

function cellText(value: QueryCell | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Column width from the header and the first rows' text, within 60–360 px. */
function widthOf(name: string, rows: Row[], index: number): number {
  let chars = name.length;
  for (const row of rows.slice(0, 200)) chars = Math.max(chars, cellText(row[index]).length);
  return Math.min(360, Math.max(60, chars * 7.5 + 14));
}

function ResultGrid({ result }: { result: QueryResponse }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const columns = useMemo(
    () =>
      helper.columns(
        result.columns.map((name, index) =>
          helper.accessor((row) => row[index] ?? null, {
            id: `c${index}`,
            header: name,
            cell: (info) => cellText(info.getValue()),
            meta: { width: widthOf(name, result.rows, index) },
          }),
        ),
      ),
    [result],
  );
  const gridTemplate = columns.map((c) => `${c.meta?.width ?? 100}px`).join(' ');
  const width = columns.reduce((sum, c) => sum + (c.meta?.width ?? 100), 0);
  const table = useTable({ features, columns, data: result.rows, getRowId: (_row, index) => String(index) });
  const rows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });

  return (
    <div className="table-scroll" ref={scrollRef} data-testid="query-result">
      <div className="table-inner" style={{ width }}>
        {table.getHeaderGroups().map((group) => (
          <div key={group.id} className="table-header" style={{ gridTemplateColumns: gridTemplate }} role="row">
            {group.headers.map((header) => (
              <div key={header.id} role="columnheader" data-testid="query-column">
                <table.FlexRender header={header} />
              </div>
            ))}
          </div>
        ))}
        <div className="table-body" style={{ height: virtualizer.getTotalSize() }} role="rowgroup">
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <div
                key={row.id}
                role="row"
                className="table-row query-row"
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT, gridTemplateColumns: gridTemplate }}
                data-testid="query-row"
              >
                {row.getAllCells().map((cell) => (
                  <div key={cell.id} role="cell" title={cellText(cell.getValue() as QueryCell)}>
                    <table.FlexRender cell={cell} />
                  </div>
                ))}
              </div>
            );
          })}
        </div>
        {result.rows.length === 0 && <p className="empty">The query returned no rows.</p>}
      </div>
    </div>
  );
}

export function QueryPanel() {
  const { api } = useWorkbench();
  const [sql, setSql] = useState(EXAMPLE);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<QueryResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      setResult(await api.query({ sql }));
    } catch (err) {
      setResult(null);
      setError(messageOf(err));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="query-panel" data-testid="query-panel">
      <form
        className="query-editor"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <textarea
          value={sql}
          onChange={(e) => setSql(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void run();
            }
          }}
          spellCheck={false}
          rows={5}
          aria-label="SQL query"
          data-testid="query-sql"
        />
        <div className="query-actions">
          <button type="submit" className="primary" disabled={running || sql.trim() === ''} data-testid="query-run">
            {running ? 'Running…' : 'Run'}
          </button>
          <span className="muted">
            One SELECT over the case&apos;s tables (events, captures, rejects, annotations, findings, audit_log…); Ctrl+Enter runs it.
          </span>
          {result && (
            <span className="muted" data-testid="query-status">
              {formatCount(result.rows.length)} row{result.rows.length === 1 ? '' : 's'}
              {result.truncated ? ' (cut here: add a LIMIT or narrow the WHERE)' : ''}
            </span>
          )}
        </div>
        {error !== null && (
          <p className="query-error" role="alert" data-testid="query-error">
            {error}
          </p>
        )}
      </form>
      {result && <ResultGrid result={result} />}
    </section>
  );
}
