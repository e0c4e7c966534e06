// Electron preload (sandboxed, context-isolated): exposes exactly the WorkbenchApi methods, each
// a single invoke on its own channel, checked against the contract with `satisfies`. There is
// no generic invoke: the renderer cannot reach any other channel. Kept free of imports other
// than Electron, types and the menu's command list, so the sandboxed preload bundle stays tiny.
// A dropped file's path (webUtils) goes only to main, never to the page.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { ReportFile, WorkbenchApi, WorkbenchMethod } from '../core/api.ts';
import { isMenuCommand, type MenuCommand } from './app-menu.ts';

type Args<M extends WorkbenchMethod> = Parameters<WorkbenchApi[M]>[0];
type Result<M extends WorkbenchMethod> = ReturnType<WorkbenchApi[M]>;

function call<M extends WorkbenchMethod>(method: M): (args: Args<M>) => Result<M> {
  return (args) => ipcRenderer.invoke(`wb:${method}`, args) as Result<M>;
}

const api = {
  session: call('session'),
  listCases: call('listCases'),
  openCase: call('openCase'),
  newCase: call('newCase'),
  openSampleCase: call('openSampleCase'),
  caseInfo: call('caseInfo'),
  probeFormat: call('probeFormat'),
  startImport: call('startImport'),
  importStatus: call('importStatus'),
  cancelImport: call('cancelImport'),
  lanes: call('lanes'),
  buckets: call('buckets'),
  timelineEvents: call('timelineEvents'),
  eventPage: call('eventPage'),
  eventIndex: call('eventIndex'),
  event: call('event'),
  surrounding: call('surrounding'),
  guidance: call('guidance'),
  annotations: call('annotations'),
  annotate: call('annotate'),
  updateAnnotation: call('updateAnnotation'),
  deleteAnnotation: call('deleteAnnotation'),
  annotationTags: call('annotationTags'),
  savedViews: call('savedViews'),
  saveView: call('saveView'),
  renameView: call('renameView'),
  deleteView: call('deleteView'),
  findings: call('findings'),
  incidents: call('incidents'),
  setWorkflowState: call('setWorkflowState'),
  links: call('links'),
  stack: call('stack'),
  exportEvents: call('exportEvents'),
  processes: call('processes'),
  align: call('align'),
  setBaseline: call('setBaseline'),
  report: call('report'),
  query: call('query'),
  pins: call('pins'),
  setPinned: call('setPinned'),
  followChain: call('followChain'),
  flows: call('flows'),
  governance: call('governance'),
  setGovernance: call('setGovernance'),
} satisfies WorkbenchApi;

/** A file main registered with the backend: the page gets its id, never its path. */
interface FileHandle {
  file_id: string;
  display_name: string;
  last_modified: number | null;
}

const shell = {
  kind: 'electron' as const,
  /** Dropped or picked File objects: their paths go to main (which checks and registers them), ids come back. */
  stageFiles: (files: File[]): Promise<FileHandle[]> =>
    ipcRenderer.invoke('shell:grantDropped', files.map((file) => webUtils.getPathForFile(file))) as Promise<FileHandle[]>,
  chooseFiles: (): Promise<FileHandle[]> => ipcRenderer.invoke('shell:chooseFiles') as Promise<FileHandle[]>,
  /** The native open-case dialog; null when cancelled. */
  chooseCase: (): Promise<{ case_id: string; name: string } | null> => ipcRenderer.invoke('shell:chooseCase') as Promise<{ case_id: string; name: string } | null>,
  saveReport: (report: ReportFile): Promise<boolean> => ipcRenderer.invoke('shell:saveReport', report) as Promise<boolean>,
  /** Menu commands from main; only known command names reach the listener (the event never does). */
  onMenuCommand: (listener: (command: MenuCommand) => void): void => {
    ipcRenderer.on('shell:menu', (_event, command: unknown) => {
      if (isMenuCommand(command)) listener(command);
    });
  },
  menuAccelerators: (): Promise<Array<{ label: string; accelerator: string }>> =>
    ipcRenderer.invoke('shell:menuAccelerators') as Promise<Array<{ label: string; accelerator: string }>>,
  setTheme: (theme: 'light' | 'dark'): Promise<void> => ipcRenderer.invoke('shell:setTheme', theme) as Promise<void>,
};

contextBridge.exposeInMainWorld('tracebench', api);
contextBridge.exposeInMainWorld('tracebenchShell', shell);
