import { describe, expect, it, vi } from 'vitest';
import { WORKBENCH_METHODS } from '../core/api/schemas.ts';
import { guardedCall, isTrustedSender, methodOfChannel, reportFileSchema, safeReportName } from './ipc-guard.ts';
import { parseServeLine } from './backend.ts';

const APP = 'app://tracebench/index.html';
const top = (url: string | undefined) => ({ url, isTopFrame: true });

describe('IPC guard', () => {
  it('trusts only the app page itself', () => {
    expect(isTrustedSender(`${APP}#/case`, APP)).toBe(true);
    expect(isTrustedSender('app://tracebench/other.html', APP)).toBe(false);
    expect(isTrustedSender('app://evil/index.html', APP)).toBe(false);
    expect(isTrustedSender('file:///index.html', APP)).toBe(false);
    // A file:// page is never the app, even when told it is.
    expect(isTrustedSender('file:///opt/tracebench/renderer/dist/index.html', 'file:///opt/tracebench/renderer/dist/index.html')).toBe(false);
    expect(isTrustedSender('https://evil.example/index.html', APP)).toBe(false);
    expect(isTrustedSender('http://127.0.0.1:5173/', APP)).toBe(false);
    expect(isTrustedSender(undefined, APP)).toBe(false);
    expect(isTrustedSender('not a url', APP)).toBe(false);
  });

  it('maps channels to contract methods only', () => {
    expect(methodOfChannel('wb:lanes')).toBe('lanes');
    expect(methodOfChannel('wb:constructor')).toBeNull();
    expect(methodOfChannel('lanes')).toBeNull();
  });

  it('relays validated arguments from the app page', async () => {
    const relay = vi.fn(async () => 'ok');
    await expect(guardedCall('event', top(APP), APP, { event_id: 7 }, relay)).resolves.toBe('ok');
    expect(relay).toHaveBeenCalledWith('event', { event_id: 7 });
  });

  it('refuses other senders, sub-frames and bad payloads without relaying', async () => {
    const relay = vi.fn(async () => 'ok');
    await expect(guardedCall('event', top('https://evil.example/'), APP, { event_id: 7 }, relay)).rejects.toThrow(/did not come from/);
    await expect(guardedCall('event', { url: APP, isTopFrame: false }, APP, { event_id: 7 }, relay)).rejects.toThrow(/did not come from/);
    await expect(guardedCall('event', top(APP), APP, { event_id: 'x' }, relay)).rejects.toThrow(/invalid arguments for event: event_id/);
    await expect(guardedCall('openCase', top(APP), APP, { path: '/x', extra: 1 }, relay)).rejects.toThrow(/invalid arguments/);
    // Files are named by host-issued ids only: a path in their place is refused before the backend.
    await expect(guardedCall('openCase', top(APP), APP, { case_id: '/etc/passwd' }, relay)).rejects.toThrow(/invalid arguments for openCase: case_id/);
    await expect(guardedCall('probeFormat', top(APP), APP, { file_id: '/etc/shadow' }, relay)).rejects.toThrow(/invalid arguments for probeFormat: file_id/);
    await expect(guardedCall('startImport', top(APP), APP, { file_id: '/proc/self/environ' }, relay)).rejects.toThrow(/invalid arguments for startImport: file_id/);
    expect(relay).not.toHaveBeenCalled();
  });

  it('checks reports before saving and suggests safe names', () => {
    expect(reportFileSchema.safeParse({ file_name: 'r.md', mime: 'text/markdown', content: '# r' }).success).toBe(true);
    expect(reportFileSchema.safeParse({ file_name: 'r.md', content: 1 }).success).toBe(false);
    expect(safeReportName('../../.bashrc')).toBe('bashrc');
    expect(safeReportName('case 1-report.html')).toBe('case 1-report.html');
  });

  it('reads the backend URL line that tracebench serve prints', () => {
    expect(parseServeLine('Tracebench browser shell: http://127.0.0.1:41234/#token=abc_-Z9')).toEqual({ baseUrl: 'http://127.0.0.1:41234', token: 'abc_-Z9' });
    expect(parseServeLine('Tracebench browser shell: http://evil.example:1/#token=x')).toBeNull();
  });

  it('has a channel for every contract method', () => {
    for (const m of WORKBENCH_METHODS) expect(methodOfChannel(`wb:${m}`)).toBe(m);
  });
});
