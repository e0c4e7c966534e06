// The packaging configuration (electron-builder.yml): fuses, archive and targets. Building the
// installers needs Electron's binary (`npm run package`), which cannot be had on this team's
// machines; the configuration is what can be checked everywhere.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..');
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main?: string; scripts: Record<string, string> };

describe('Electron packaging', () => {
  it('flips the fuses that would turn the shipped binary into a Node interpreter or debugger', () => {
    expect(config['electronFuses']).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('ships an ASAR archive with the native modules outside it, and no tests or fixtures', () => {
    expect(config['asar']).toBe(true);
    expect(config['asarUnpack']).toEqual(expect.arrayContaining(['node_modules/@duckdb/**']));
    const files = config['files'] as string[];
    expect(files).toEqual(expect.arrayContaining(['electron/dist/**', 'renderer/dist/**', '!**/*.test.ts']));
  });

  it('builds AppImage and deb for Linux and an installer for Windows from the local Electron', () => {
    expect((config['linux'] as { target: string[] }).target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect((config['win'] as { target: string[] }).target).toEqual(['nsis']);
    expect(config['electronDist']).toBe('node_modules/electron/dist');
    expect(pkg.main).toBe('electron/dist/main.cjs');
    expect(pkg.scripts['package']).toBe('node bin/package.mjs');
  });
});
