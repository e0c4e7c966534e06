// What differs between the two hosts besides the API transport: how a picked or dropped file
// becomes a file id the host issued (an upload in the browser; main's grant in Electron: the page
// never names a path), how a case is chosen, and how a report is saved.
import type { MenuCommand, ReportFile, WorkbenchApi } from '../../../core/api.ts';
import { createHttpApi, reloadOnNewToken, takeTokenFromLocation, uploadFile } from './http.ts';
import { timelineFirst } from './timeline-first.ts';
import { coalesceReads } from './coalesce-reads.ts';

/** Exposed by Electron's preload next to `window.tracebench`. */
export interface ElectronShellBridge {
  kind: 'electron';
  /** Dropped or picked files, registered by main: ids, never paths. */
  stageFiles(files: File[]): Promise<StagedFile[]>;
  chooseFiles(): Promise<StagedFile[]>;
  /** The native open-case dialog: the id main got for the chosen case, null when cancelled. */
  chooseCase(): Promise<{ case_id: string; name: string } | null>;
  saveReport(report: ReportFile): Promise<boolean>;
  onMenuCommand(listener: (command: MenuCommand) => void): void;
  menuAccelerators(): Promise<Array<{ label: string; accelerator: string }>>;
  setTheme(theme: 'light' | 'dark'): Promise<void>;
}

declare global {
  interface Window {
    tracebench?: WorkbenchApi;
    tracebenchShell?: ElectronShellBridge;
  }
}

/** A file ready to probe: the id the host issued for it, what to show and its modification time. */
export interface StagedFile {
  file_id: string;
  display_name: string;
  /** ms since epoch when known (from the File object), used to show the default date. */
  last_modified: number | null;
}

export interface Shell {
  kind: 'electron' | 'browser';
  /** Native file dialog (Electron only). */
  chooseFiles?: () => Promise<StagedFile[]>;
  /** Turns File objects (input or drop) into file ids: an upload in the browser. */
  stageFiles(files: File[]): Promise<StagedFile[]>;
  /** Native open-case dialog (Electron only): the chosen case's id, null when cancelled. */
  chooseCase?: () => Promise<string | null>;
  /** Saves or downloads a report; false when the analyst cancelled. */
  saveReport(report: ReportFile): Promise<boolean>;
  /** Native menu commands (Electron only); returns the unsubscribe. */
  onMenuCommand?: (listener: (command: MenuCommand) => void) => () => void;
  /** The native menu's key bindings, for the shortcuts list (Electron only). */
  menuAccelerators?: () => Promise<Array<{ label: string; accelerator: string }>>;
  /** Tells the host the page's theme, so native menus and dialogs follow it (Electron only). */
  setTheme?: (theme: 'light' | 'dark') => void;
}

export interface Host {
  api: WorkbenchApi;
  shell: Shell;
  /** Tells the host the timeline has drawn data: start-up reads held back for it may go. */
  timelineDrawn(): void;
}

function downloadInBrowser(report: ReportFile): boolean {
  download(report.encoding === 'base64' ? base64Bytes(report.content) : report.content, report.mime, report.file_name);
  // A PDF's manifest and the Markdown figure are saved beside the report, as the CLI does.
  for (const c of report.companions ?? []) download(c.content, c.mime, c.file_name);
  return true;
}

function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function download(content: string | Uint8Array<ArrayBuffer>, mime: string, fileName: string): void {
  const blob = new Blob([content], { type: mime });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked later: revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

function electronHost(api: WorkbenchApi, bridge: ElectronShellBridge): Omit<Host, 'timelineDrawn'> {
  // The bridge takes one listener for the page's life; components subscribe and leave here.
  const menuListeners = new Set<(command: MenuCommand) => void>();
  bridge.onMenuCommand((command) => menuListeners.forEach((listener) => listener(command)));
  return {
    api,
    shell: {
      kind: 'electron',
      chooseFiles: () => bridge.chooseFiles(),
      chooseCase: async () => (await bridge.chooseCase())?.case_id ?? null,
      stageFiles: (files) => bridge.stageFiles(files),
      saveReport: (report) => bridge.saveReport(report),
      onMenuCommand: (listener) => {
        menuListeners.add(listener);
        return () => menuListeners.delete(listener);
      },
      menuAccelerators: () => bridge.menuAccelerators(),
      setTheme: (theme) => void bridge.setTheme(theme),
    },
  };
}

function browserHost(): Omit<Host, 'timelineDrawn'> {
  const token = takeTokenFromLocation();
  reloadOnNewToken();
  return {
    api: createHttpApi(token),
    shell: {
      kind: 'browser',
      stageFiles: async (files) => {
        const staged: StagedFile[] = [];
        // One at a time: uploads of large captures in parallel only compete for the same disk.
        for (const file of files) {
          const uploaded = await uploadFile(token, file);
          staged.push({ ...uploaded, last_modified: file.lastModified || null });
        }
        return staged;
      },
      saveReport: async (report) => downloadInBrowser(report),
    },
  };
}

/** Picks the transport once at start-up: Electron's preload if present, else HTTP. */
export function connectHost(): Host {
  const { api, shell } = window.tracebench && window.tracebenchShell ? electronHost(window.tracebench, window.tracebenchShell) : browserHost();
  const first = timelineFirst(coalesceReads(api));
  return { api: first.api, shell, timelineDrawn: first.timelineDrawn };
}
