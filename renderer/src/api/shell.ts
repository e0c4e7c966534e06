// What differs between the two hosts besides the API transport: how a picked or dropped file
// becomes a path the host can import, and how a report is saved.
import type { MenuCommand, ReportFile, WorkbenchApi } from '../../../core/api.ts';
import { createHttpApi, takeTokenFromLocation, uploadFile } from './http.ts';
import { timelineFirst } from './timeline-first.ts';

/** Exposed by Electron's preload next to `window.tracebench`. */
export interface ElectronShellBridge {
  kind: 'electron';
  pathForFile(file: File): string;
  chooseFiles(): Promise<string[]>;
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

/** A file ready to probe: a path on the host plus what to show and its modification time. */
export interface StagedFile {
  path: string;
  display_name: string;
  /** ms since epoch when known (from the File object), used to show the default date. */
  last_modified: number | null;
}

export interface Shell {
  kind: 'electron' | 'browser';
  /** Native file dialog (Electron only). */
  chooseFiles?: () => Promise<StagedFile[]>;
  /** Turns File objects (input or drop) into host paths: an upload in the browser. */
  stageFiles(files: File[]): Promise<StagedFile[]>;
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

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

function downloadInBrowser(report: ReportFile): boolean {
  const blob = new Blob([report.content], { type: report.mime });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = report.file_name;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked later: revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return true;
}

function electronHost(api: WorkbenchApi, bridge: ElectronShellBridge): Omit<Host, 'timelineDrawn'> {
  // The bridge takes one listener for the page's life; components subscribe and leave here.
  const menuListeners = new Set<(command: MenuCommand) => void>();
  bridge.onMenuCommand((command) => menuListeners.forEach((listener) => listener(command)));
  return {
    api,
    shell: {
      kind: 'electron',
      chooseFiles: async () => (await bridge.chooseFiles()).map((path) => ({ path, display_name: baseName(path), last_modified: null })),
      stageFiles: async (files) =>
        files.map((file) => ({ path: bridge.pathForFile(file), display_name: file.name, last_modified: file.lastModified || null })),
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
  const first = timelineFirst(api);
  return { api: first.api, shell, timelineDrawn: first.timelineDrawn };
}
