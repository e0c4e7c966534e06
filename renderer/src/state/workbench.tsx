// Shared state of an open case: the host connection, case info, the selected event, the
// annotations and a data version that every view re-fetches on (bumped after imports, clock
// alignment and baseline changes). The timeline's visible range lives in ./view.tsx because it
// changes on every wheel tick and only a few components need it.
import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { Annotation, CaseInfo, StoredEvent, WorkbenchApi } from '../../../core/api.ts';
import type { Shell } from '../api/shell.ts';
import type { ColumnLayout } from '../table/column-layout.ts';
import { useColumnLayout } from '../table/useColumnLayout.ts';
import { type PinsState, usePins } from '../table/usePins.ts';

export type SelectionOrigin = 'table' | 'timeline' | 'panel';

export interface Selection {
  event_id: number;
  origin: SelectionOrigin;
  /** Increments on every select, so re-selecting the same event still scrolls to it. */
  seq: number;
}

/** A process of the tree chosen in the processes panel: the table and the timeline follow it. */
export interface ProcessFocus {
  /** The process and, when asked, everything it started. */
  proc_ids: number[];
  label: string;
  /** Show only its lanes on the timeline (otherwise they are marked among the others). */
  lanesOnly: boolean;
}

/** What the annotation editor is open for: an event, a brushed range, or an existing note. */
export type EditorTarget =
  | { kind: 'event'; event_id: number; ts_us: number }
  | { kind: 'range'; from_us: number; to_us: number }
  | { kind: 'edit'; annotation: Annotation };

export interface WorkbenchState extends PinsState {
  api: WorkbenchApi;
  shell: Shell;
  /** The timeline calls this once it has drawn data (see api/timeline-first.ts). */
  timelineDrawn(): void;
  caseInfo: CaseInfo;
  refreshCase(): Promise<void>;
  dataVersion: number;
  /** Marks every cached view as stale after the case's events changed. */
  bumpData(): void;
  selection: Selection | null;
  selectedEvent: StoredEvent | null;
  select(event_id: number, origin: SelectionOrigin): void;
  annotations: Annotation[];
  reloadAnnotations(): Promise<void>;
  localTime: boolean;
  setLocalTime(local: boolean): void;
  editor: EditorTarget | null;
  openEditor(target: EditorTarget | null): void;
  processFocus: ProcessFocus | null;
  focusProcess(focus: ProcessFocus | null): void;
  reportError(error: unknown): void;
  closeCase(): void;
  /** The events table's columns (order, hidden, widths), kept per case. */
  columnLayout: ColumnLayout;
  setColumnLayout(layout: ColumnLayout): void;
  /** The layout this case opens with (from its kinds of events). */
  defaultColumnLayout: ColumnLayout;
}

const WorkbenchContext = createContext<WorkbenchState | null>(null);

export function useWorkbench(): WorkbenchState {
  const value = useContext(WorkbenchContext);
  if (!value) throw new Error('useWorkbench outside <WorkbenchProvider>');
  return value;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface ProviderProps {
  api: WorkbenchApi;
  shell: Shell;
  /** The timeline calls this once it has drawn data (see api/timeline-first.ts). */
  timelineDrawn(): void;
  initialCase: CaseInfo;
  reportError(error: unknown): void;
  closeCase(): void;
  children: ReactNode;
}

export function WorkbenchProvider({ api, shell, timelineDrawn, initialCase, reportError, closeCase, children }: ProviderProps) {
  const [caseInfo, setCaseInfo] = useState(initialCase);
  const [dataVersion, setDataVersion] = useState(0);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [selectedEvent, setSelectedEvent] = useState<StoredEvent | null>(null);
  const [annotations, setAnnotations] = useState<Annotation[]>([]);
  const [localTime, setLocalTime] = useState(false);
  const [editor, openEditor] = useState<EditorTarget | null>(null);
  const [processFocus, focusProcess] = useState<ProcessFocus | null>(null);

  const refreshCase = useCallback(async () => {
    try {
      setCaseInfo(await api.caseInfo({}));
    } catch (error) {
      reportError(error);
    }
  }, [api, reportError]);

  const reloadAnnotations = useCallback(async () => {
    try {
      setAnnotations(await api.annotations({}));
    } catch (error) {
      reportError(error);
    }
  }, [api, reportError]);

  useEffect(() => {
    void reloadAnnotations();
  }, [reloadAnnotations, dataVersion]);

  const select = useCallback((event_id: number, origin: SelectionOrigin) => {
    setSelection((previous) => ({ event_id, origin, seq: (previous?.seq ?? 0) + 1 }));
  }, []);

  // The selected event's full row (the table and timeline may only hold a summary of it).
  useEffect(() => {
    if (!selection) {
      setSelectedEvent(null);
      return;
    }
    let live = true;
    api.event({ event_id: selection.event_id }).then(
      (event) => live && setSelectedEvent(event),
      (error: unknown) => live && reportError(error),
    );
    return () => {
      live = false;
    };
  }, [api, selection, reportError, dataVersion]);

  const bumpData = useCallback(() => setDataVersion((v) => v + 1), []);
  const pins = usePins(api, dataVersion, reportError);
  const [columnLayout, setColumnLayout, defaultColumnLayout] = useColumnLayout(api, caseInfo.path, reportError);

  const value = useMemo<WorkbenchState>(
    () => ({
      api,
      shell,
      timelineDrawn,
      caseInfo,
      refreshCase,
      dataVersion,
      bumpData,
      selection,
      selectedEvent,
      select,
      annotations,
      reloadAnnotations,
      localTime,
      setLocalTime,
      editor,
      openEditor,
      processFocus,
      focusProcess,
      reportError,
      closeCase,
      ...pins,
      columnLayout,
      setColumnLayout,
      defaultColumnLayout,
    }),
    [api, shell, timelineDrawn, caseInfo, refreshCase, dataVersion, bumpData, selection, selectedEvent, select, annotations, reloadAnnotations, localTime, editor, processFocus, reportError, closeCase, pins, columnLayout, setColumnLayout, defaultColumnLayout],
  );
  return <WorkbenchContext.Provider value={value}>{children}</WorkbenchContext.Provider>;
}
