// Crash-test hooks. Inert unless a TRACEBENCH_TEST_* variable is set, so the crash tests (and
// `npm run torture`) can kill a writer at an exact moment of its transaction:
//   TRACEBENCH_TEST_PHASES=1          prints "@phase NAME" on stderr (synchronously) at each point
//   TRACEBENCH_TEST_KILL_AT=NAME      the process SIGKILLs itself at that point
// Names in use: import:begin, import:rows-written, import:before-commit, import:committed
// (capture-writer.ts); txn:begin, txn:before-commit for every CaseStore.transaction (annotations,
// triage's findings set, alignment, baseline).
import { writeSync } from 'node:fs';

const announce = process.env['TRACEBENCH_TEST_PHASES'] === '1';
const killAt = process.env['TRACEBENCH_TEST_KILL_AT'];

/** Marks a point of a write; a no-op in normal runs. */
export function testPhase(name: string): void {
  if (!announce && killAt === undefined) return;
  if (announce) writeSync(2, `@phase ${name}\n`);
  if (killAt === name) process.kill(process.pid, 'SIGKILL');
}
