#!/usr/bin/env node
// `npm run package`: the Electron shell as installers (AppImage and deb on Linux, NSIS on
// Windows; electron-builder.yml, fuses included). Needs Electron's binary on disk: on machines
// where it could not be downloaded (offline installs) this says so and stops without failing,
// since nothing can be packaged there.
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRendererBuilt } from './renderer-build.mjs';
import { buildElectron, electronBinary } from './electron-build.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
if (!electronBinary(root)) {
  process.stdout.write('package: skipped: the Electron binary is not installed on this machine (its download cannot succeed offline); packaging needs node_modules/electron/dist.\n');
  process.exit(0);
}
if (!ensureRendererBuilt(root)) process.exit(1);
await buildElectron(root);
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const r = spawnSync(npx, ['electron-builder', '--config', 'electron-builder.yml', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
