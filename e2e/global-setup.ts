// Checks that the renderer bundle exists: the suite serves renderer/dist and builds nothing
// itself (`npm run test:e2e` runs `npm run build` before Playwright).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export default function globalSetup(): void {
  const index = join(import.meta.dirname, '..', 'renderer', 'dist', 'index.html');
  if (!existsSync(index)) {
    throw new Error(`renderer bundle missing (${index}): run "npm run build" before the end-to-end suite`);
  }
}
