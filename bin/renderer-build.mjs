// Builds renderer/dist when it is missing or older than the renderer's sources. Shared by
// `npm start` (bin/start.js) and the UI benchmark (bench/ui.ts), so both follow one rule.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Newest modification time of the files under `dir`, skipping build output and dependencies. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Runs `npm run build` in `root` when renderer/dist is stale, saying so in one line. The build's
 * own output is shown (on stderr, so a caller's stdout stays its own) only when it fails.
 * Returns false when the build was needed and failed.
 */
export function ensureRendererBuilt(root, say = (line) => process.stderr.write(`${line}\n`)) {
  const rendererDir = join(root, 'renderer');
  const index = join(rendererDir, 'dist', 'index.html');
  if (!existsSync(rendererDir)) return true;
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(rendererDir)) return true;
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts ?? {};
  if (!scripts.build) {
    say('The renderer is not built and package.json has no "build" script; the window will say so.');
    return false;
  }
  say(existsSync(index) ? 'The renderer is older than its sources: rebuilding it (npm run build)…' : 'The renderer is not built yet: building it (npm run build)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    say('The renderer build failed; see the messages above.');
  }
  return r.status === 0;
}
