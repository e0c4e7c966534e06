// The investigation screen of an open case: header actions, the timeline, the events table and
// the side panels (selected event, surrounding events, guidance; findings, annotations, captures)
// and, in place of the table when its tab is chosen, the query console.
import { useCallback, useEffect, useState } from 'react';
import { AnnotationEditor } from './panels/AnnotationEditor.tsx';
import { AnnotationsPanel } from './panels/AnnotationsPanel.tsx';
import { CapturesList } from './panels/CapturesList.tsx';
import { EventDetail } from './panels/EventDetail.tsx';
import { FindingsPanel } from './panels/FindingsPanel.tsx';
import { GuidancePanel } from './panels/GuidancePanel.tsx';
import { QueryPanel } from './panels/QueryPanel.tsx';
import { SurroundingPanel } from './panels/SurroundingPanel.tsx';
import { LinksPanel } from './panels/LinksPanel.tsx';
import { ImportDialog } from './import/ImportDialog.tsx';
import { useWorkbench } from './state/workbench.tsx';
import { EventsTable, type TableView } from './table/EventsTable.tsx';
import { StackPanel } from './stack/StackPanel.tsx';
import { addPick, type StackPick } from './stack/pick.ts';
import { Timeline } from './timeline/Timeline.tsx';
import { formatCount } from './display/count.ts';
import { useMenuCommands } from './api/menu.ts';
import { ProcessTreePanel } from './panels/ProcessTreePanel.tsx';
import { FlowsPanel } from './panels/FlowsPanel.tsx';
import { SavedViewsPanel } from './panels/SavedViewsPanel.tsx';
import { useAddressedView } from './state/view.tsx';
import { CENTER_TABS, SIDE_TABS } from './state/url-state.ts';
import { GovernancePanel } from './panels/GovernancePanel.tsx';


const REPORT_FORMATS = [
  ['html', 'HTML'],
  ['pdf', 'PDF'],
  ['md', 'Markdown'],
  ['json', 'JSON'],
] as const;
type ReportFormat = (typeof REPORT_FORMATS)[number][0];

function ExportButton() {
  const { api, shell, reportError } = useWorkbench();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [format, setFormat] = useState<ReportFormat>('html');
  const exportReport = async () => {
    setBusy(true);
    try {
      // PDF: the backend writes it with the CLI's code (core/report/build.ts, pdf-native/).
      const report = await api.report({ format });
      if (await shell.saveReport(report)) setSaved(report.file_name);
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  };
  useMenuCommands(shell, { 'export-report': () => void exportReport() });
  return (
    <span className="report-export">
      <select aria-label="report format" value={format} onChange={(e) => setFormat(e.target.value as ReportFormat)} disabled={busy} data-testid="report-format">
        {REPORT_FORMATS.map(([value, label]) => (
          <option key={value} value={value}>{label}</option>
        ))}
      </select>
      <button type="button" onClick={() => void exportReport()} disabled={busy} data-testid="export-report" title={saved ? `Last saved: ${saved}` : 'Case report in the chosen format'}>
        {busy ? 'Exporting…' : 'Export report'}
      </button>
    </span>
  );
}

/** Longest the table and side panels wait for the timeline's first frame. */
const LOWER_MAX_WAIT_MS = 1500;

export function Workbench({ onToggleTheme }: { onToggleTheme: () => void }) {
  const { caseInfo, editor, closeCase, shell } = useWorkbench();
  // The open tabs are part of the view state (the address and saved views carry them).
  const { sideTab: tab, setSideTab: setTab, centerTab: center, setCenterTab: setCenter } = useAddressedView();
  // The table and the side panels mount after the timeline's first frame (or LOWER_MAX_WAIT_MS):
  // mounting them with it (a virtualised table, a forced layout of the whole page) delayed the
  // timeline's first request by ~0.4 s on opening a large case. An empty case shows them at once.
  const [lowerReady, setLowerReady] = useState(caseInfo.event_count === 0);
  const showLower = useCallback(() => setLowerReady(true), []);
  useEffect(() => {
    if (lowerReady) return;
    const timer = setTimeout(showLower, LOWER_MAX_WAIT_MS);
    return () => clearTimeout(timer);
  }, [lowerReady, showLower]);
  const [importFiles, setImportFiles] = useState<File[] | null>(null);
  // The table's filter and sort, for the stacking panel; the values picked there, for the table.
  const [tableView, setTableView] = useState<TableView>({ filter: {}, sort: undefined });
  const [picks, setPicks] = useState<StackPick[]>([]);
  const pick = useCallback((p: StackPick) => {
    setPicks((current) => addPick(current, p));
    setCenter('events');
  }, [setCenter]);
  const unpick = useCallback((p: StackPick) => setPicks((current) => current.filter((c) => c.field !== p.field)), []);
  // New and open case live on the start screen: the menu goes back there.
  useMenuCommands(shell, { import: () => setImportFiles([]), 'new-case': closeCase, 'open-case': closeCase });

  // Files dropped anywhere on the window open the import dialog with them.
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length === 0) return;
      e.preventDefault();
      setImportFiles((current) => current ?? files);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, []);

  return (
    <div className="workbench" data-testid="workbench">
      <header className="app-header">
        <strong className="case-name" data-testid="case-name" title={caseInfo.path}>
          {caseInfo.name}
        </strong>
        <span className="muted">
          {formatCount(caseInfo.event_count)} events · {caseInfo.captures.length} captures{caseInfo.hosts.length ? ` · ${caseInfo.hosts.join(', ')}` : ''}
        </span>
        {caseInfo.read_only && (
          <span className="read-only-badge" data-testid="read-only-badge" title="A Parquet dataset: imports, annotations and triage states are not saved here">
            read-only
          </span>
        )}
        <span className="spacer" />
        <button type="button" className="primary" disabled={caseInfo.read_only} onClick={() => setImportFiles([])} data-testid="import-button">
          Import…
        </button>
        <ExportButton />
        <button type="button" onClick={onToggleTheme} data-testid="theme-toggle" title="Light or dark theme" aria-label="toggle light or dark theme">
          ◐
        </button>
        <button type="button" onClick={closeCase} data-testid="close-case" title="Back to the start screen">
          Cases
        </button>
      </header>
      <Timeline onDrawn={showLower} />
      {lowerReady && (
        <div className="workbench-lower">
          <aside className="side-left">
            <nav className="tabs" role="tablist">
              {SIDE_TABS.map((name) => (
                <button key={name} type="button" role="tab" aria-selected={tab === name} className={tab === name ? 'active' : undefined} onClick={() => setTab(name)} data-testid={`tab-${name}`}>
                  {name}
                </button>
              ))}
            </nav>
            {tab === 'findings' && <FindingsPanel />}
            {tab === 'processes' && <ProcessTreePanel />}
            {tab === 'annotations' && <AnnotationsPanel />}
            {tab === 'captures' && <CapturesList />}
            {tab === 'views' && <SavedViewsPanel />}
            {tab === 'governance' && <GovernancePanel />}
          </aside>
          <div className="center-column">
            <nav className="tabs center-tabs" role="tablist">
              {CENTER_TABS.map((name) => (
                <button key={name} type="button" role="tab" aria-selected={center === name} className={center === name ? 'active' : undefined} onClick={() => setCenter(name)} data-testid={`tab-${name}`}>
                  {name}
                </button>
              ))}
            </nav>
            {/* The events table stays mounted behind the console: its filters, sort and scroll survive a look at a query. */}
            <div className="center-pane" hidden={center !== 'events'}>
              <EventsTable picks={picks} onUnpick={unpick} onViewChange={setTableView} />
            </div>
            {center === 'stack' && <StackPanel filter={tableView.filter} onPick={pick} />}
            {center === 'query' && <QueryPanel />}
            {center === 'flows' && <FlowsPanel onPick={pick} />}
          </div>
          <aside className="side-right">
            <EventDetail />
            <SurroundingPanel />
            <LinksPanel />
            <GuidancePanel />
          </aside>
        </div>
      )}
      {importFiles !== null && <ImportDialog initialFiles={importFiles} onClose={() => setImportFiles(null)} />}
      {editor && <AnnotationEditor key={JSON.stringify(editor)} target={editor} />}
    </div>
  );
}
