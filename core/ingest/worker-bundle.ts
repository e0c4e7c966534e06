// The parse worker as one plain-JavaScript file per importer, bundled by esbuild and cached under
// node_modules/.cache. Why: a worker started from the TypeScript sources registers tsx and loads
// every module through its loader thread, ~0.3 s before the first event (a tenth of a 160 MB
// Procmon import) and slower module loading after. The bundle is rebuilt when esbuild's version
// or any input file changed (checked by size and mtime); if bundling fails for any reason the
// import falls back to the TypeScript entry, so a bundle is only ever a speed-up.
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'tracebench-workers');

interface Manifest {
  esbuild: string;
  importer: string;
  /** Input file (relative to the repository) → size and mtime when bundled. */
  inputs: Record<string, { size: number; mtimeMs: number }>;
}

/** Bundles per importer module in progress in this process, so concurrent imports share one. */
const building = new Map<string, Promise<URL | null>>();

/**
 * URL of the bundled worker for the importer defined in `importerModuleUrl`, or null to use the
 * TypeScript entry (TRACEBENCH_WORKER_BUNDLE=0, a non-file module, or bundling failed).
 */
export function parseWorkerBundle(importerModuleUrl: string): Promise<URL | null> {
  if (process.env['TRACEBENCH_WORKER_BUNDLE'] === '0' || !importerModuleUrl.startsWith('file:')) return Promise.resolve(null);
  let pending = building.get(importerModuleUrl);
  if (!pending) {
    pending = bundleFor(fileURLToPath(importerModuleUrl)).catch(() => null);
    building.set(importerModuleUrl, pending);
    void pending.finally(() => building.delete(importerModuleUrl));
  }
  return pending;
}

async function bundleFor(importerPath: string): Promise<URL> {
  const { build, version } = await import('esbuild');
  const name = basename(importerPath).replace(/\.[cm]?[jt]s$/, '');
  const output = join(CACHE_DIR, `${name}.mjs`);
  const manifestPath = join(CACHE_DIR, `${name}.json`);
  if (await isFresh(manifestPath, output, version, importerPath)) return pathToFileURL(output);

  const source = (p: string) => JSON.stringify(join(ROOT, p));
  const entry = [
    `import * as importerModule from ${JSON.stringify(importerPath)};`,
    `import { runParseWorker } from ${source('core/ingest/parse-worker.ts')};`,
    `import { importerIn } from ${source('core/importers/load-importer.ts')};`,
    'runParseWorker(async (request) => importerIn(importerModule, request.module, request.format));',
  ].join('\n');
  const entryName = `parse-worker-${name}.entry.ts`; // virtual: the stdin entry above
  const result = await build({
    stdin: { contents: entry, resolveDir: ROOT, sourcefile: entryName, loader: 'ts' },
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]?.text;
  if (text === undefined) throw new Error('esbuild wrote no bundle');
  const inputs: Manifest['inputs'] = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    if (input === entryName || input.startsWith('<stdin>')) continue;
    const s = await stat(join(ROOT, input));
    inputs[input] = { size: s.size, mtimeMs: s.mtimeMs };
  }
  await mkdir(CACHE_DIR, { recursive: true });
  // Written aside and renamed, so a process starting a worker never reads half a file.
  const unique = `${process.pid}-${Date.now()}`;
  await writeFile(`${output}.${unique}`, text);
  await rename(`${output}.${unique}`, output);
  const manifest: Manifest = { esbuild: version, importer: importerPath, inputs };
  await writeFile(`${manifestPath}.${unique}`, JSON.stringify(manifest));
  await rename(`${manifestPath}.${unique}`, manifestPath);
  return pathToFileURL(output);
}

async function isFresh(manifestPath: string, output: string, esbuildVersion: string, importerPath: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
    if (manifest.esbuild !== esbuildVersion || manifest.importer !== importerPath) return false;
    await stat(output);
    for (const [input, was] of Object.entries(manifest.inputs)) {
      const now = await stat(join(ROOT, input));
      if (now.size !== was.size || now.mtimeMs !== was.mtimeMs) return false;
    }
    return Object.keys(manifest.inputs).length > 0;
  } catch {
    return false;
  }
}
