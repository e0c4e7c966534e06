// Strace captures for the torture run, written by us: a small varied one (bench/gen-strace.ts) and
// a large uniform one whose import spans many row groups, so DuckDB writes them to the case file
// before COMMIT (the path whose WAL replay lost atomicity: docs/architecture.md).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** `calls` lines of `PID HH:MM:SS.ffffff getppid() = PPID`, 7 µs apart from 06:00. */
export async function writeUniformStrace(path: string, calls: number): Promise<void> {
  const out = createWriteStream(path);
  let batch = '';
  for (let i = 0; i < calls; i++) {
    const us = 21_600_000_000 + i * 7;
    const h = Math.floor(us / 3_600_000_000);
    const m = Math.floor(us / 60_000_000) % 60;
    const s = Math.floor(us / 1_000_000) % 60;
    const f = us % 1_000_000;
    batch += `4242 ${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(f, 6)} getppid() = 4200\n`;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
