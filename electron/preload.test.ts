// The preload runs against a stand-in for Electron (its binary is not installed here): this
// checks what it exposes to the page, which is all the renderer can ever reach.
import { describe, expect, it, vi } from 'vitest';
import { WORKBENCH_METHODS } from '../core/api/schemas.ts';

const exposed = new Map<string, Record<string, unknown>>();
const invoke = vi.fn(async (...args: unknown[]) => args);

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: Record<string, unknown>) => exposed.set(key, value) },
  ipcRenderer: { invoke },
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
    expect(Object.keys(shell).sort()).toEqual(['chooseFiles', 'kind', 'pathForFile', 'saveReport']);
    expect(shell['kind']).toBe('electron');
    expect([...exposed.keys()].sort()).toEqual(['tracebench', 'tracebenchShell']);
  });
});
