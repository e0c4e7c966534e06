// Electron main process: one locked-down window showing the built renderer over the app's own
// privileged scheme (app-protocol.ts), a native menu, a single-instance lock, and IPC handlers
// that check the sender and the payload before relaying to the backend utility process (which
// owns DuckDB and parsing; see backend.ts). Files the user chooses (dialogs, drops) are
// registered with the backend here and reach the renderer as opaque ids (file-handles.ts). Built to CommonJS by bin/start.js.
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, net, protocol, session, utilityProcess, type IpcMainInvokeEvent } from 'electron';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WORKBENCH_METHODS } from '../core/api/schemas.ts';
import { CONTENT_SECURITY_POLICY } from '../core/api/csp.ts';
import { startBackend, type Backend, type LaunchBackend } from './backend.ts';
import { ensureRendererBuilt } from '../bin/renderer-build.mjs';
import { CHANNEL_PREFIX, companionPath, guardedCall, IpcRefusedError, isTrustedSender, reportFileSchema, safeReportName } from './ipc-guard.ts';
import { APP_PAGE, APP_SCHEME, resolveAppRequest } from './app-protocol.ts';
import { MENU_ACCELERATORS, menuTemplate, type MenuCommand } from './app-menu.ts';
import { caseArgument } from './launch-args.ts';
import { droppedPathsSchema, grantCaptures, grantCase } from './file-handles.ts';

const REPO_ROOT = process.env['TRACEBENCH_REPO'] ?? join(__dirname, '..', '..');
const DIST_DIR = join(REPO_ROOT, 'renderer', 'dist');

// Must happen before `ready`: the scheme is standard (real origin, relative URLs) and secure.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let backend: Backend | null = null;
let mainWindow: BrowserWindow | null = null;

const launchUtility: LaunchBackend = (script, args, { cwd, env }) =>
  utilityProcess.fork(script, args, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'], serviceName: 'Tracebench backend' });

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
  const requireBackend = (): Backend => {
    if (!backend) throw new Error('the backend is not running');
    return backend;
  };
  ipcMain.handle('shell:chooseFiles', async (event) => {
    checkShellSender(event, 'chooseFiles');
    const r = await dialog.showOpenDialog(window, { title: 'Import captures', properties: ['openFile', 'multiSelections'] });
    if (r.canceled) return [];
    const b = requireBackend();
    return grantCaptures((kind, path) => b.grant(kind, path), r.filePaths);
  });
  ipcMain.handle('shell:chooseCase', async (event) => {
    checkShellSender(event, 'chooseCase');
    const r = await dialog.showOpenDialog(window, { title: 'Open a case', properties: ['openFile'], filters: [{ name: 'Tracebench case', extensions: ['duckdb'] }] });
    const chosen = r.canceled ? undefined : r.filePaths[0];
    if (chosen === undefined) return null;
    const b = requireBackend();
    return grantCase((kind, path) => b.grant(kind, path), chosen);
  });
  // A drop: the preload turned the dropped File objects into paths (webUtils); main checks them.
  ipcMain.handle('shell:grantDropped', async (event, payload: unknown) => {
    checkShellSender(event, 'grantDropped');
    const paths = droppedPathsSchema.parse(payload);
    const b = requireBackend();
    return grantCaptures((kind, path) => b.grant(kind, path), paths);
  });
  ipcMain.handle('shell:saveReport', async (event, payload: unknown) => {
    checkShellSender(event, 'saveReport');
    const report = reportFileSchema.parse(payload);
    const r = await dialog.showSaveDialog(window, { title: 'Save report', defaultPath: safeReportName(report.file_name) });
    if (r.canceled || !r.filePath) return false;
    await writeFile(r.filePath, report.encoding === 'base64' ? Buffer.from(report.content, 'base64') : report.content);
    for (const c of report.companions ?? []) await writeFile(companionPath(r.filePath, report.file_name, c.file_name), c.content, 'utf8');
    return true;
  });
}

/** Serves the built renderer on app://tracebench/… and nothing else. */
function serveAppScheme(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppRequest(request.url, DIST_DIR);
    if (!file) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file.path).href);
    if (!res.ok) return new Response('not found', { status: 404 });
    return new Response(res.body, {
      headers: { 'Content-Type': file.mime, 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
    });
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

function sendMenuCommand(command: MenuCommand): void {
  mainWindow?.webContents.send('shell:menu', command);
}

function installMenu(): void {
  const about = (): void => {
    void dialog.showMessageBox({
      type: 'info',
      title: 'About Tracebench',
      message: `Tracebench ${app.getVersion()}`,
      detail: `Offline investigation workbench for ICS incident response.\nElectron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}.`,
    });
  };
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ send: sendMenuCommand, about }, process.platform)));
  // The renderer lists its own keys; the menu's accelerators come from here.
  ipcMain.handle('shell:menuAccelerators', (event) => {
    checkShellSender(event, 'menuAccelerators');
    return MENU_ACCELERATORS;
  });
  ipcMain.handle('shell:setTheme', (event, theme: unknown) => {
    checkShellSender(event, 'setTheme');
    if (theme === 'light' || theme === 'dark' || theme === 'system') nativeTheme.themeSource = theme;
  });
}

/** A second launch (e.g. the OS opening a .duckdb file) hands its case to this window. */
async function openFromSecondLaunch(argv: string[], cwd: string): Promise<void> {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
  const casePath = caseArgument(argv, cwd);
  if (!casePath || !backend) return;
  try {
    const b = backend;
    const handle = await grantCase((kind, path) => b.grant(kind, path), casePath);
    await backend.call('openCase', { case_id: handle.case_id });
    await mainWindow.loadURL(APP_PAGE);
  } catch (err) {
    await dialog.showMessageBox(mainWindow, { type: 'error', title: 'Could not open the case', message: err instanceof Error ? err.message : String(err) });
  }
}

async function main(): Promise<void> {
  await app.whenReady();
  lockDown();
  serveAppScheme();
  // Started without `npm start` (which builds first), a checkout may lack the renderer bundle.
  if (!app.isPackaged) ensureRendererBuilt(REPO_ROOT);
  const casePath = caseArgument(process.argv.slice(app.isPackaged ? 1 : 2), process.cwd());
  backend = await startBackend({ launch: launchUtility, repoRoot: REPO_ROOT, serveArgs: casePath ? [casePath] : [] });
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Tracebench',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
    },
  });
  mainWindow = window;
  registerIpc(window);
  installMenu();
  await window.loadURL(APP_PAGE);
}

// One instance per user: a second launch passes its arguments to the first and quits.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, cwd) => void openFromSecondLaunch(argv, cwd));
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
}
