// `npm run bench -- report`: runs bench/report.ts in its own process (DuckDB and Chromium memory
// stay out of the runner) and returns its one JSON line.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export async function reportBench(): Promise<Record<string, number | string>> {
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'report.ts')], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, number | string>;
}
