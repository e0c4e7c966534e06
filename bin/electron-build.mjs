// The Electron shell's two bundles (main and preload, CommonJS) and where Electron's binary is.
// Shared by `npm start` (bin/start.js) and `npm run package` (bin/package.mjs).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Path of Electron's binary when it is installed, else null (reading what its installer wrote). */
export function electronBinary(root) {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** Bundles electron/main.ts and electron/preload.ts to CommonJS next to them (electron/dist). */
export async function buildElectron(root) {
  const { build } = await import('esbuild');
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['electron', '@duckdb/*'], logLevel: 'warning' };
  await build({ ...common, entryPoints: [join(root, 'electron', 'main.ts')], outfile: join(root, 'electron', 'dist', 'main.cjs') });
  await build({ ...common, entryPoints: [join(root, 'electron', 'preload.ts')], outfile: join(root, 'electron', 'dist', 'preload.cjs') });
}
