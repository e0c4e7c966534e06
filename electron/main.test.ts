// The Electron main process against a stand-in for Electron (its binary is not installed on this
// team's machines): what the window, the session, the scheme, the menu, the single-instance lock
// and the backend launch are set to is asserted here, since no e2e run can look at them.
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WORKBENCH_METHODS } from '../core/api/schemas.ts';
import { tempDir } from '../core/testing/temp.ts';

const h = vi.hoisted(() => ({
  windows: [] as Array<{ options: Record<string, unknown>; loaded: string[] }>,
  ipcChannels: [] as string[],
  ipcHandlers: new Map<string, (event: unknown, payload?: unknown) => Promise<unknown>>(),
  openDialogPaths: [] as string[],
  schemes: [] as unknown[],
  protocolHandlers: new Map<string, (req: { url: string }) => Promise<Response>>(),
  appEvents: new Map<string, (...args: unknown[]) => void>(),
  contentsEvents: new Map<string, (...args: unknown[]) => void>(),
  windowOpenHandler: null as null | (() => unknown),
  permissionRequest: null as null | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
  permissionCheck: null as null | (() => boolean),
  forks: [] as Array<{ script: string; args: string[]; options: Record<string, unknown> }>,
  menuTemplates: [] as unknown[],
  singleInstanceAsked: 0,
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = { send: vi.fn(), mainFrame: {} };
    loaded: string[] = [];
    constructor(options: Record<string, unknown>) {
      h.windows.push({ options, loaded: this.loaded });
    }
    async loadURL(url: string): Promise<void> {
      this.loaded.push(url);
    }
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    focus(): void {}
  }
  return {
    app: {
      isPackaged: true,
      whenReady: () => Promise.resolve(),
      requestSingleInstanceLock: () => {
        h.singleInstanceAsked++;
        return true;
      },
      on: (event: string, listener: (...args: unknown[]) => void) => {
        h.appEvents.set(event, listener);
        if (event === 'web-contents-created') {
          listener({}, {
            on: (name: string, l: (...args: unknown[]) => void) => h.contentsEvents.set(name, l),
            setWindowOpenHandler: (l: () => unknown) => (h.windowOpenHandler = l),
          });
        }
      },
      quit: vi.fn(),
      exit: vi.fn(),
      getVersion: () => '0.1.0',
    },
    BrowserWindow,
    dialog: {
      showErrorBox: vi.fn((title: string, message: string) => console.error(title, message)),
      showMessageBox: vi.fn(),
      showOpenDialog: vi.fn(async () => ({ canceled: h.openDialogPaths.length === 0, filePaths: h.openDialogPaths })),
      showSaveDialog: vi.fn(),
    },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, payload?: unknown) => Promise<unknown>) => {
        h.ipcChannels.push(channel);
        h.ipcHandlers.set(channel, handler);
      },
    },
    Menu: { buildFromTemplate: (t: unknown) => (h.menuTemplates.push(t), t), setApplicationMenu: vi.fn() },
    nativeTheme: { themeSource: 'system' },
    net: { fetch: vi.fn(async () => new Response('<html></html>')) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => h.schemes.push(...schemes),
      handle: (scheme: string, handler: (req: { url: string }) => Promise<Response>) => h.protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: vi.fn() },
        setPermissionRequestHandler: (l: typeof h.permissionRequest) => (h.permissionRequest = l),
        setPermissionCheckHandler: (l: typeof h.permissionCheck) => (h.permissionCheck = l),
      },
    },
    utilityProcess: {
      fork: (script: string, args: string[], options: Record<string, unknown>) => {
        h.forks.push({ script, args, options });
        const child = new EventEmitter() as EventEmitter & { stdout: PassThrough; kill: () => boolean };
        child.stdout = new PassThrough();
        child.kill = () => true;
        setTimeout(() => child.stdout.write('Tracebench grant secret: grant_SECRET-1\nTracebench browser shell: http://127.0.0.1:40000/#token=abc_DEF-1\n'), 5);
        return child;
      },
    },
  };
});

describe('Electron main process', () => {
  beforeAll(async () => {
    process.env['TRACEBENCH_REPO'] = '/opt/tracebench';
    await import('./main.ts');
    await vi.waitFor(() => expect(h.windows[0]?.loaded.length).toBe(1));
  });

  it('opens one isolated, sandboxed window on the app:// scheme', () => {
    expect(h.windows).toHaveLength(1);
    const prefs = h.windows[0]?.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webSecurity: true, webviewTag: false, allowRunningInsecureContent: false });
    expect(String(prefs['preload'])).toMatch(/preload\.cjs$/);
    expect(h.windows[0]?.loaded).toEqual(['app://tracebench/index.html']);
    expect(h.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('serves only the renderer folder on app://', async () => {
    const handler = h.protocolHandlers.get('app');
    expect(handler).toBeDefined();
    const page = await handler?.({ url: 'app://tracebench/index.html' });
    expect(page?.status).toBe(200);
    expect(page?.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect((await handler?.({ url: 'app://tracebench/../../etc/passwd' }))?.status).toBe(404);
    expect((await handler?.({ url: 'app://elsewhere/index.html' }))?.status).toBe(404);
  });

  it('takes the single-instance lock and hands a second launch to the first window', () => {
    expect(h.singleInstanceAsked).toBe(1);
    expect(h.appEvents.has('second-instance')).toBe(true);
  });

  it('denies navigation, new windows and every permission', () => {
    const prevent = vi.fn();
    h.contentsEvents.get('will-navigate')?.({ preventDefault: prevent });
    h.contentsEvents.get('will-redirect')?.({ preventDefault: prevent });
    h.contentsEvents.get('will-attach-webview')?.({ preventDefault: prevent });
    expect(prevent).toHaveBeenCalledTimes(3);
    expect(h.windowOpenHandler?.()).toEqual({ action: 'deny' });
    const answers: boolean[] = [];
    h.permissionRequest?.({}, 'media', (ok) => answers.push(ok));
    expect(answers).toEqual([false]);
    expect(h.permissionCheck?.()).toBe(false);
  });

  it('starts the backend as a utility process (no ELECTRON_RUN_AS_NODE) and registers exactly the contract and shell channels', () => {
    expect(h.forks).toHaveLength(1);
    expect(h.forks[0]?.script).toBe('/opt/tracebench/bin/tracebench.js');
    expect(h.forks[0]?.args.slice(0, 5)).toEqual(['serve', '--port', '0', '--shell', 'electron']);
    expect((h.forks[0]?.options['env'] as Record<string, string>)['ELECTRON_RUN_AS_NODE']).toBeUndefined();
    const contract = h.ipcChannels.filter((c) => c.startsWith('wb:')).map((c) => c.slice(3));
    expect(contract.sort()).toEqual([...WORKBENCH_METHODS].sort());
    expect(h.ipcChannels.filter((c) => !c.startsWith('wb:')).sort()).toEqual(['shell:chooseCase', 'shell:chooseFiles', 'shell:grantDropped', 'shell:menuAccelerators', 'shell:saveReport', 'shell:setTheme']);
    expect(h.menuTemplates).toHaveLength(1);
  });

  describe('files the user chooses reach the renderer as ids', () => {
    const dir = tempDir();
    const capture = join(dir.path, 'chosen.jsonl');
    writeFileSync(capture, '{}\n');
    mkdirSync(join(dir.path, 'folder'));
    const frame = { url: 'app://tracebench/index.html' };
    const fromApp = { senderFrame: frame, sender: { mainFrame: frame } };
    const grants: Array<{ url: string; headers: Record<string, string>; body: unknown }> = [];
    const invoke = (channel: string, event: unknown, payload?: unknown): Promise<unknown> => {
      const handler = h.ipcHandlers.get(channel);
      if (!handler) throw new Error(`no handler for ${channel}`);
      return handler(event, payload);
    };
    beforeAll(() => {
      // The backend child is a stand-in: answer its grant endpoint here and record what main sent.
      vi.stubGlobal('fetch', async (url: string, init: { headers: Record<string, string>; body: string }) => {
        const body = JSON.parse(init.body) as { kind: string; path: string };
        grants.push({ url, headers: init.headers, body });
        const id = `${body.kind === 'case' ? 'case' : 'cap'}_${String(grants.length).padStart(32, '0')}`;
        return new Response(JSON.stringify({ ok: true, result: { id, display_name: body.path.split('/').pop(), size: 3, modified_ms: 7 } }));
      });
    });
    afterAll(() => {
      vi.unstubAllGlobals();
      dir.remove();
    });

    it('registers the import dialog\'s files with the grant secret and answers ids, not paths', async () => {
      h.openDialogPaths = [capture];
      const handles = await invoke('shell:chooseFiles', fromApp);
      expect(handles).toEqual([{ file_id: `cap_${'0'.repeat(31)}1`, display_name: 'chosen.jsonl', last_modified: 7 }]);
      expect(grants.at(-1)).toMatchObject({ url: 'http://127.0.0.1:40000/grant', body: { kind: 'capture', path: capture } });
      expect(grants.at(-1)?.headers).toMatchObject({ 'X-Tracebench-Grant': 'grant_SECRET-1', 'X-Tracebench-Token': 'abc_DEF-1' });
      expect(JSON.stringify(handles)).not.toContain(dir.path);
    });

    it('registers the open-case dialog\'s file as a case', async () => {
      h.openDialogPaths = [capture];
      expect(await invoke('shell:chooseCase', fromApp)).toMatchObject({ name: 'chosen.jsonl' });
      expect(grants.at(-1)?.body).toEqual({ kind: 'case', path: capture });
      h.openDialogPaths = [];
      expect(await invoke('shell:chooseCase', fromApp)).toBeNull();
    });

    it('checks dropped paths and the sender before registering anything', async () => {
      const before = grants.length;
      await expect(invoke('shell:grantDropped', fromApp, [join(dir.path, 'folder')])).rejects.toThrow(/not a regular file/);
      await expect(invoke('shell:grantDropped', fromApp, '/etc/passwd')).rejects.toThrow();
      const elsewhere = { url: 'https://evil.example/' };
      await expect(invoke('shell:grantDropped', { senderFrame: elsewhere, sender: { mainFrame: elsewhere } }, [capture])).rejects.toThrow(/not the Tracebench window/);
      expect(grants.length).toBe(before);
      expect(await invoke('shell:grantDropped', fromApp, [capture])).toHaveLength(1);
      expect(grants.length).toBe(before + 1);
    });
  });
});
