// The preload runs against a stand-in for Electron (its binary is not installed here): this
// checks what it exposes to the page, which is all the renderer can ever reach.
import { describe, expect, it, vi } from 'vitest';
import { WORKBENCH_METHODS } from '../core/api/schemas.ts';

const exposed = new Map<string, Record<string, unknown>>();
const invoke = vi.fn(async (...args: unknown[]) => args);
const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
const on = vi.fn((channel: string, listener: (event: unknown, ...args: unknown[]) => void) => listeners.set(channel, listener));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: Record<string, unknown>) => exposed.set(key, value) },
  ipcRenderer: { invoke, on },
  webUtils: { getPathForFile: () => '/picked/file.txt' },
}));

describe('preload', () => {
  it('exposes exactly the WorkbenchApi methods, each invoking its own channel', async () => {
    await import('./preload.ts');
    const api = exposed.get('tracebench') ?? {};
    expect(Object.keys(api).sort()).toEqual([...WORKBENCH_METHODS].sort());
    const lanes = api['lanes'] as (a: unknown) => Promise<unknown>;
    await lanes({ filter: {} });
    expect(invoke).toHaveBeenCalledWith('wb:lanes', { filter: {} });
  });

  it('exposes the shell helpers and nothing that reaches other channels', async () => {
    await import('./preload.ts');
    const shell = exposed.get('tracebenchShell') ?? {};
    expect(Object.keys(shell).sort()).toEqual(['chooseCase', 'chooseFiles', 'kind', 'menuAccelerators', 'onMenuCommand', 'saveReport', 'setTheme', 'stageFiles']);
    expect(shell['kind']).toBe('electron');
    expect([...exposed.keys()].sort()).toEqual(['tracebench', 'tracebenchShell']);
  });

  it("sends a dropped file's path to main's grant channel and gives the page only what main answers", async () => {
    await import('./preload.ts');
    const shell = exposed.get('tracebenchShell') ?? {};
    const handles = await (shell['stageFiles'] as (files: unknown[]) => Promise<unknown>)([{ name: 'file.txt' }]);
    expect(invoke).toHaveBeenCalledWith('shell:grantDropped', ['/picked/file.txt']);
    // the stand-in's invoke echoes its arguments: what reaches the page is main's answer alone
    expect(handles).toEqual(['shell:grantDropped', ['/picked/file.txt']]);
    // no helper hands the page a path
    expect(Object.keys(shell).some((k) => /path/i.test(k))).toBe(false);
  });

  it('passes only known menu commands to the page, never the IPC event', async () => {
    await import('./preload.ts');
    const shell = exposed.get('tracebenchShell') ?? {};
    const got: unknown[][] = [];
    (shell['onMenuCommand'] as (l: (...a: unknown[]) => void) => void)((...a) => got.push(a));
    const deliver = listeners.get('shell:menu');
    expect(deliver).toBeDefined();
    deliver?.({ sender: 'ipc event' }, 'import');
    deliver?.({ sender: 'ipc event' }, 'rm -rf');
    deliver?.({ sender: 'ipc event' }, { command: 'import' });
    expect(got).toEqual([['import']]);
  });
});
