// `npm test` runs Electronegativity over the Electron shell. No HIGH or MEDIUM finding may stand
// unless it is accepted in electron/security-scan-accepted.json with its reason (also listed in
// docs/shells.md); an accepted finding that no longer appears must be removed from the list.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../core/testing/temp.ts';
import { scanElectronShell } from './security-scan.ts';

const ROOT = join(import.meta.dirname, '..');
const ELECTRON_VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
const ACCEPTED = JSON.parse(readFileSync(join(import.meta.dirname, 'security-scan-accepted.json'), 'utf8')) as Array<{ id: string; file: string; reason: string }>;

describe('Electronegativity over the Electron shell', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('finds no HIGH or MEDIUM issue that is not accepted with a reason', async () => {
    const issues = await scanElectronShell(ROOT, dir.file('scan'), ELECTRON_VERSION);
    const serious = issues.filter((i) => i.severity === 'HIGH' || i.severity === 'MEDIUM');
    const key = (i: { id: string; file: string }): string => `${i.id} ${i.file}`;
    const accepted = new Set(ACCEPTED.map(key));
    const unexplained = serious.filter((i) => !accepted.has(key(i)));
    expect(unexplained, JSON.stringify(unexplained, null, 2)).toEqual([]);
    const stale = ACCEPTED.filter((a) => !serious.some((i) => key(i) === key(a)));
    expect(stale, 'accepted findings that no longer appear: remove them').toEqual([]);
    for (const a of ACCEPTED) expect(a.reason.length, `${key(a)} needs a reason`).toBeGreaterThan(20);
  }, 120_000);

  it('still catches a window that turns the isolation off (the scan is not blind)', async () => {
    const badWindow = "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n";
    const issues = await scanElectronShell(ROOT, dir.file('bad'), ELECTRON_VERSION, { 'bad-window.js': badWindow });
    const ids = issues.filter((i) => i.file.includes('bad-window')).map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK']));
    expect(issues.filter((i) => !i.file.includes('bad-window') && (i.severity === 'HIGH' || i.severity === 'MEDIUM'))).toEqual([]);
  }, 120_000);
});
