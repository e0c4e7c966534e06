// Five seeded rounds of the torture run (`npm run torture` does fifty): each kills a tracebench
// command with SIGKILL mid-way and checks that the case opens with nothing lost or half-written.
import { describe, expect, it } from 'vitest';
import { tempDir } from '../core/testing/temp.ts';
import { runTorture } from './torture.ts';

describe('torture: SIGKILL at random moments of writes', () => {
  it('loses nothing in 5 rounds', { timeout: 240_000 }, async () => {
    const dir = tempDir('tracebench-torture-');
    try {
      // 150,000 calls: more than a row group, so the import commits through a checkpoint.
      const rounds = await runTorture({ rounds: 5, seed: 17, dir: dir.file('run'), bigCalls: 150_000 });
      expect(rounds).toHaveLength(5);
      expect(rounds.flatMap((r) => r.problems.map((p) => `round ${r.round} ${r.op} (${r.aim}): ${p}`))).toEqual([]);
    } finally {
      dir.remove();
    }
  });
});
