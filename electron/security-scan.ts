// Electronegativity (Doyensec's scanner of Electron misconfigurations) over the shell's own
// code, run by `npm test` (security-scan.test.ts). The scanner reads JavaScript, so each
// electron/*.ts source is transpiled on its own (not bundled: findings point at our files), and
// the renderer's index.html is scanned for its CSP. The scanner would fetch translations and
// Electron's release list from the internet on every run; here those two requests are answered
// "offline" in-process, so the scan never leaves the machine. The release check (known fixes for
// this Electron version) is the one check left out for that reason: `npm outdated electron` is
// the offline equivalent.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { transformSync } from 'esbuild';

export interface ScanIssue {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  description: string;
}

interface RawIssue {
  id: string;
  severity: { name: string };
  confidence: { name: string };
  file: string;
  location?: { line?: number };
  description?: string;
}

const require = createRequire(import.meta.url);
const SKIPPED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

/** Answers the scanner's HTTP client as if the machine were offline (it handles that case). */
function keepScannerOffline(): void {
  const scannerDir = join(require.resolve('@doyensec/electronegativity/package.json'), '..');
  const gotPath = require.resolve('got', { paths: [scannerDir] });
  const offline = (): Promise<never> => Promise.reject(new Error('offline: Tracebench scans without network'));
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline } as unknown as NodeJS.Module;
}

/** Transpiles the Electron sources (tests excluded) and the page into `workDir`, then scans it. */
export async function scanElectronShell(repoRoot: string, workDir: string, electronVersion: string, extraFiles: Record<string, string> = {}): Promise<ScanIssue[]> {
  mkdirSync(workDir, { recursive: true });
  for (const [name, text] of Object.entries(extraFiles)) writeFileSync(join(workDir, name), text);
  const electronDir = join(repoRoot, 'electron');
  for (const name of readdirSync(electronDir)) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts') || name === 'security-scan.ts') continue;
    const { code } = transformSync(readFileSync(join(electronDir, name), 'utf8'), { loader: 'ts', format: 'cjs', platform: 'node', target: 'node20' });
    writeFileSync(join(workDir, name.replace(/\.ts$/, '.js')), code);
  }
  copyFileSync(join(repoRoot, 'renderer', 'index.html'), join(workDir, 'index.html'));
  copyFileSync(join(repoRoot, 'package.json'), join(workDir, 'package.json'));
  keepScannerOffline();
  const run = require('@doyensec/electronegativity/dist/runner.js') as (options: object, forCli: boolean) => Promise<{ issues: RawIssue[] }>;
  const result = await run(
    {
      input: workDir,
      isSarif: false,
      customScan: [],
      excludeFromScan: SKIPPED_CHECKS.map((c) => c.toLowerCase()),
      isRelative: true,
      isVerbose: false,
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    },
    false,
  );
  return result.issues.map((i) => ({
    id: i.id,
    severity: i.severity.name,
    confidence: i.confidence.name,
    file: i.file,
    line: i.location?.line ?? 0,
    description: i.description ?? '',
  }));
}
