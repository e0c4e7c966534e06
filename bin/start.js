#!/usr/bin/env node
// `npm start [-- CASE]`: builds the renderer when its bundle is missing or older than its
// sources, then opens the Electron shell when Electron's binary is installed; otherwise (e.g. an
// offline machine where the binary could not be downloaded) starts the browser shell and prints
// its URL. Electron's own download is never triggered from here: the binary is looked up on disk.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRendererBuilt } from './renderer-build.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);

/** Path of Electron's binary when it is installed, else null (reading what its installer wrote). */
function electronBinary() {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** Bundles electron/main.ts and electron/preload.ts to CommonJS next to them (electron/dist). */
async function buildElectron() {
  const { build } = await import('esbuild');
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['electron', '@duckdb/*'], logLevel: 'warning' };
  await build({ ...common, entryPoints: [join(root, 'electron', 'main.ts')], outfile: join(root, 'electron', 'dist', 'main.cjs') });
  await build({ ...common, entryPoints: [join(root, 'electron', 'preload.ts')], outfile: join(root, 'electron', 'dist', 'preload.cjs') });
}

ensureRendererBuilt(root);
const binary = electronBinary();
if (binary) {
  await buildElectron();
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
