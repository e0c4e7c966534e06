// `tracebench serve`, `npm start` and the Electron shell build the renderer when its bundle is
// missing or older than its sources (bin/renderer-build.mjs). Driven here on a throwaway project
// whose "build" script stands in for vite, so the rule itself is what is tested.
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from '../../bin/renderer-build.mjs';
import { tempDir } from '../../core/testing/temp.ts';

// The stand-in build appends a line to build.log and writes renderer/dist/index.html.
const BUILD_SCRIPT =
  "node -e \"const f=require('fs');f.appendFileSync('build.log','built\\\\n');f.mkdirSync('renderer/dist',{recursive:true});f.writeFileSync('renderer/dist/index.html','<html></html>')\"";

describe('ensureRendererBuilt', () => {
  let dir: ReturnType<typeof tempDir>;
  let said: string[];
  const say = (line: string): void => void said.push(line);
  const builds = (): number => readFileSync(dir.file('build.log'), 'utf8').split('\n').filter(Boolean).length;

  beforeEach(() => {
    dir = tempDir();
    said = [];
    mkdirSync(join(dir.path, 'renderer', 'src'), { recursive: true });
    writeFileSync(dir.file('renderer/src/main.tsx'), 'export {};\n');
    writeFileSync(dir.file('package.json'), JSON.stringify({ name: 'x', private: true, scripts: { build: BUILD_SCRIPT } }));
  });
  afterEach(() => dir.remove());

  it('builds a missing renderer, saying so in one line', () => {
    expect(ensureRendererBuilt(dir.path, say)).toBe(true);
    expect(builds()).toBe(1);
    expect(said).toEqual(['The renderer is not built yet: building it (npm run build)…']);
  });

  it('leaves a bundle newer than its sources alone, and rebuilds one older than them', () => {
    ensureRendererBuilt(dir.path, say);
    expect(ensureRendererBuilt(dir.path, say)).toBe(true);
    expect(builds()).toBe(1);
    const later = new Date(Date.now() + 60_000);
    utimesSync(dir.file('renderer/src/main.tsx'), later, later);
    expect(ensureRendererBuilt(dir.path, say)).toBe(true);
    expect(builds()).toBe(2);
    expect(said.at(-1)).toBe('The renderer is older than its sources: rebuilding it (npm run build)…');
  });

  it('reports a failed build', () => {
    writeFileSync(dir.file('package.json'), JSON.stringify({ name: 'x', private: true, scripts: { build: 'node -e "process.exit(3)"' } }));
    expect(ensureRendererBuilt(dir.path, say)).toBe(false);
    expect(said.at(-1)).toBe('The renderer build failed; see the messages above.');
  });
});
