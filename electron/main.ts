// Electron main process: one locked-down window showing the built renderer, and IPC handlers
// that check the sender and the payload before relaying to the backend child process (which
// owns DuckDB and parsing; see backend.ts). Built to CommonJS by bin/start.js.
import { app, BrowserWindow, dialog, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WORKBENCH_METHODS } from '../core/api/schemas.ts';
import { CONTENT_SECURITY_POLICY } from '../core/api/csp.ts';
import { startBackend, type Backend } from './backend.ts';
import { ensureRendererBuilt } from '../bin/renderer-build.mjs';
import { CHANNEL_PREFIX, guardedCall, IpcRefusedError, isTrustedSender, reportFileSchema, safeReportName } from './ipc-guard.ts';

const REPO_ROOT = process.env['TRACEBENCH_REPO'] ?? join(__dirname, '..', '..');
const APP_PAGE = pathToFileURL(join(REPO_ROOT, 'renderer', 'dist', 'index.html')).href;

let backend: Backend | null = null;

function senderOf(event: IpcMainInvokeEvent): { url: string | undefined; isTopFrame: boolean } {
  const frame = event.senderFrame;
  return { url: frame?.url, isTopFrame: frame !== null && frame === event.sender.mainFrame };
}

function checkShellSender(event: IpcMainInvokeEvent, what: string): void {
  const s = senderOf(event);
  if (!s.isTopFrame || !isTrustedSender(s.url, APP_PAGE)) throw new IpcRefusedError(`refused ${what}: not the Tracebench window`);
}

function registerIpc(window: BrowserWindow): void {
  for (const method of WORKBENCH_METHODS) {
    ipcMain.handle(`${CHANNEL_PREFIX}${method}`, (event, payload: unknown) =>
      guardedCall(method, senderOf(event), APP_PAGE, payload, (m, args) => {
        if (!backend) throw new Error('the backend is not running');
        return backend.call(m, args);
      }),
    );
  }
  ipcMain.handle('shell:chooseFiles', async (event) => {
    checkShellSender(event, 'chooseFiles');
    const r = await dialog.showOpenDialog(window, { title: 'Import captures', properties: ['openFile', 'multiSelections'] });
    return r.canceled ? [] : r.filePaths;
  });
  ipcMain.handle('shell:saveReport', async (event, payload: unknown) => {
    checkShellSender(event, 'saveReport');
    const report = reportFileSchema.parse(payload);
    const r = await dialog.showSaveDialog(window, { title: 'Save report', defaultPath: safeReportName(report.file_name) });
    if (r.canceled || !r.filePath) return false;
    await writeFile(r.filePath, report.content, 'utf8');
    return true;
  });
}

function lockDown(): void {
  // CSP on every response the app's session loads (the renderer also carries it in a meta tag).
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

async function main(): Promise<void> {
  await app.whenReady();
  lockDown();
  // Started without `npm start` (which builds first), a checkout may lack the renderer bundle.
  if (!app.isPackaged) ensureRendererBuilt(REPO_ROOT);
  const caseArg = process.argv.slice(app.isPackaged ? 1 : 2).find((a) => a.endsWith('.duckdb'));
  backend = await startBackend({ execPath: process.execPath, repoRoot: REPO_ROOT, serveArgs: caseArg ? [caseArg] : [] });
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Tracebench',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    },
  });
  registerIpc(window);
  await window.loadURL(APP_PAGE);
}

app.on('window-all-closed', () => {
  backend?.stop();
  app.quit();
});
app.on('quit', () => backend?.stop());

main().catch((err: unknown) => {
  dialog.showErrorBox('Tracebench could not start', err instanceof Error ? err.message : String(err));
  backend?.stop();
  app.exit(1);
});
