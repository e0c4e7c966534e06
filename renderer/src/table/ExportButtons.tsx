// Saves the events table's view (filter, sort, columns) as CSV or JSON Lines: the server builds
// the file (formula-safe CSV, core/export) and the shell saves it (a download in the browser, the
// save dialog in Electron) the way it saves a report.
import { useState } from 'react';
import type { EventFilter, EventPageRequest, ExportColumn, ExportFormat } from '../../../core/api.ts';
import { useWorkbench } from '../state/workbench.tsx';

/** The table's columns (columns.tsx) in the export's names, in the table's order. */
export const TABLE_EXPORT_COLUMNS: ExportColumn[] = ['ts', 'dur_us', 'host', 'pid', 'tid', 'process', 'kind', 'level', 'op', 'category', 'target', 'args', 'ret', 'error'];

const FORMAT_LABELS: Record<ExportFormat, { button: string; title: string }> = {
  csv: { button: 'CSV', title: 'CSV, formula-safe: text starting with = + - @ gets a leading quote' },
  jsonl: { button: 'JSONL', title: 'JSON Lines, one event per line' },
  timesketch: { button: 'Timesketch', title: "Timesketch's JSONL import format (message, datetime, timestamp_desc, every column)" },
};

/** `columns`: the table's visible columns in its order (default: every column). */
export function ExportButtons({ filter, sort, columns = TABLE_EXPORT_COLUMNS }: { filter: EventFilter; sort: EventPageRequest['sort']; columns?: ExportColumn[] }) {
  const { api, shell, reportError } = useWorkbench();
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const save = async (format: ExportFormat) => {
    setBusy(format);
    try {
      const file = await api.exportEvents({ filter, ...(sort ? { sort } : {}), columns, format });
      await shell.saveReport(file);
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(null);
    }
  };
  return (
    <span className="export-buttons">
      {(['csv', 'jsonl', 'timesketch'] as const).map((format) => (
        <button key={format} type="button" disabled={busy !== null} onClick={() => void save(format)} data-testid={`export-${format}`} title={`Save the events this filter keeps: ${FORMAT_LABELS[format].title}`}>
          {busy === format ? 'Exporting…' : `Export ${FORMAT_LABELS[format].button}`}
        </button>
      ))}
    </span>
  );
}
