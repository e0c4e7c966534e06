#!/usr/bin/env node
// `npm start [-- CASE]`: builds the renderer when its bundle is missing or older than its
// sources, then opens the Electron shell when Electron's binary is installed; otherwise (e.g. an
// offline machine where the binary could not be downloaded) starts the browser shell and prints
// its URL. Electron's own download is never triggered from here: the binary is looked up on disk.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRendererBuilt } from './renderer-build.mjs';
import { buildElectron, electronBinary } from './electron-build.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);

ensureRendererBuilt(root);
const binary = electronBinary(root);
if (binary) {
  await buildElectron(root);
  const child = spawn(binary, [join(root, 'electron', 'dist', 'main.cjs'), ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TRACEBENCH_REPO: root },
  });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stdout.write(
    'Electron is not available on this machine (its binary cannot be downloaded offline); starting the browser shell instead.\n',
  );
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../cli/main.ts');
  process.exitCode = await main(['serve', ...args]);
}
