// Report scope with a source that carries no host name: beside exactly one named host it is that
// host's, so the scope makes no false statement ("no API-call capture", "clocks of 2 hosts");
// beside two named hosts it stays unattributed and the report says so.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCapture } from '../api/testing-case.ts';
import { CaseStore } from '../store/case-store.ts';
import { tempDir } from '../testing/temp.ts';
import { gatherReport } from './gather.ts';
import { buildReport } from './build.ts';

const T0 = 1_795_673_602_000_000;

let dir: ReturnType<typeof tempDir>;
let store: CaseStore;
beforeEach(async () => {
  dir = tempDir();
  store = await CaseStore.open(dir.file('case.duckdb'));
  // An strace capture taken without --host, and the syslog of the machine it ran on.
  await addCapture(store, 'hmi.strace', [{ ts_us: T0, pid: 7, op: 'openat', kind: 'api' }], null);
  await addCapture(store, 'syslog', [{ ts_us: T0 + 1_000_000, kind: 'log', op: 'cron', category: 'log', host: 'plc-hmi' }], 'plc-hmi');
});
afterEach(() => {
  store.close();
  dir.remove();
});

describe('report scope and host-less sources', () => {
  it('attributes a host-less source to the single named host: no false blind spot', async () => {
    const { coverage } = await gatherReport(store);
    expect(coverage.hosts.map((h) => [h.host, h.capture_ids, h.kinds])).toEqual([['plc-hmi', [1, 2], ['api', 'log']]]);
    // The attribution is stated as the report's inference, naming the source it concerns.
    expect(coverage.blind_spots.filter((s) => s.includes('names no host'))).toEqual([
      "hmi.strace names no host: counted as plc-hmi's, the only host the case names; re-import with --host NAME if it came from another machine.",
    ]);
    for (const format of ['md', 'html'] as const) {
      const text = (await buildReport(store, { format })).content;
      expect(text, format).not.toMatch(/no API-call or system-call capture/);
      expect(text, format).not.toMatch(/Clocks of \d+ hosts/);
      expect(text, format).not.toMatch(/without a host name/);
    }
  });

  it('leaves it unattributed, and says so, when the case names two hosts', async () => {
    await addCapture(store, 'other.log', [{ ts_us: T0 + 2_000_000, kind: 'log', op: 'x', category: 'log', host: 'eng-ws' }], 'eng-ws');
    const { coverage } = await gatherReport(store);
    expect(coverage.hosts.map((h) => h.host)).toEqual(['(unknown host)', 'eng-ws', 'plc-hmi']);
    expect(coverage.blind_spots.join('\n')).toMatch(/Sources without a host name \(hmi\.strace\)/);
    expect(coverage.blind_spots.join('\n')).not.toMatch(/names no host/);
  });
});
