// The Electron shell: the same renderer over the preload bridge. Runs where Electron's binary is
// installed; this team's machine is offline, so the binary's download never happened and the
// test is skipped with the reason printed (the browser-shell suite covers the same renderer).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { REPO_ROOT } from './fixtures/tracebench.ts';
import { StartPage } from './pages/start-page.ts';

/** The binary Electron's installer recorded in node_modules/electron/path.txt, when present. */
function electronBinary(): string | null {
  const dir = join(REPO_ROOT, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();

test('the Electron shell opens on the start screen with the preload bridge and creates a case', async () => {
  if (!binary) {
    const reason = 'Electron binary not available on this machine (offline install); the browser-shell suite covers the same renderer';
    console.log(`electron.spec.ts skipped: ${reason}`);
    test.skip(true, reason);
    return;
  }
  // `npm start` bundles the main process to electron/dist/main.cjs (bin/start.js).
  const main = join(REPO_ROOT, 'electron', 'dist', 'main.cjs');
  expect(existsSync(main), `${main} missing: run "npm start" once (or the Electron build) before this test`).toBe(true);
  const home = mkdtempSync(join(tmpdir(), 'tracebench-electron-'));
  const app = await electron.launch({ executablePath: binary, args: [main, '--no-sandbox', '--disable-gpu'], env: { ...process.env, TRACEBENCH_HOME: home } });
  try {
    const page = await app.firstWindow();
    await expect(page.getByTestId('start-screen')).toBeVisible();
    expect(await page.evaluate('typeof window.tracebench === "object" && window.tracebenchShell && window.tracebenchShell.kind')).toBe('electron');
    await new StartPage(page).createCase('electron smoke');
    await expect(page.getByTestId('import-button')).toBeVisible();
    await expect(page.getByTestId('export-report')).toBeVisible();
  } finally {
    await app.close();
    rmSync(home, { recursive: true, force: true });
  }
});
