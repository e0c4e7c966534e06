// Rules for the library-call view (ltrace): discovery commands read by a shell, process listing
// through /proc or procps, and a directory listing whose readdir results were filtered.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { corpusCapture, describeCorpus } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { listFindings, runTriage } from './findings.ts';
import { loadRules, SHIPPED_RULES_DIR } from './rules-load.ts';
import { addCapture, call } from './testing/build-case.ts';

const NEW_RULES = ['tb-lnx-discovery-command-text', 'tb-lnx-process-list-api'];
const pack = () => loadRules([SHIPPED_RULES_DIR]).filter((r) => NEW_RULES.includes(r.id));

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

/** `ls -la DIR` as ltrace shows it: opendir, readdir until NULL, then GNU ls's output pieces. */
function lsLa(pid: number, t: number, entries: number, links: number) {
  const h = '0x556fc33ff9a0';
  return [
    call(t, pid, 'opendir', '/tmp', '"/tmp"', { ret: h }),
    ...Array.from({ length: entries }, (_, i) => call(t + 0.001 * (i + 1), pid, 'readdir', null, h, { ret: `0x556fc33ff9${(0xe8 + 24 * i).toString(16)}` })),
    call(t + 0.01, pid, 'readdir', null, h, { ret: '0' }),
    call(t + 0.011, pid, 'closedir', null, h),
    call(t + 0.012, pid, 'fwrite_unlocked', null, '"total", 1, 5, 0x7f8f5a729760', { ret: '5' }),
    call(t + 0.013, pid, 'fwrite_unlocked', null, '" 8\\n", 1, 3, 0x7f8f5a729760', { ret: '3' }),
    call(t + 0.014, pid, 'fwrite_unlocked', null, `"drwxrwxrwt ${String(links).padStart(2)} ", 1, 14, 0x7f8f5a729760`, { ret: '14' }),
    call(t + 0.015, pid, 'fwrite_unlocked', null, '"root", 1, 4, 0x7f8f5a729760', { ret: '4' }),
    call(t + 0.016, pid, 'fwrite_unlocked', null, '"root", 1, 4, 0x7f8f5a729760', { ret: '4' }),
    // ltrace prints past fwrite's length up to a NUL: only the first 18 bytes were written.
    call(t + 0.017, pid, 'fwrite_unlocked', null, '"4096 Nov 26 06:15 {Z\\217\\177", 1, 18, 0x7f8f5a729760', { ret: '18' }),
    call(t + 0.018, pid, 'fwrite_unlocked', null, '".", 1, 1, 0x7f8f5a729760', { ret: '1' }),
    call(t + 0.019, pid, 'fwrite_unlocked', null, '"drwxr-xr-x 21 ", 1, 14, 0x7f8f5a729760', { ret: '14' }),
    call(t + 0.02, pid, 'fwrite_unlocked', null, '"..", 1, 2, 0x7f8f5a729760', { ret: '2' }),
  ];
}

describe('library-call view rules (inline events)', () => {
  it('flags discovery commands a shell reads from its input, not look-alike text or /proc reads', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    await addCapture(store, [
      call(0, 40, 'read', null, '0, "ps -ef; echo __E2__\\n", 8192', { ret: '20' }),
      call(1, 41, 'read', null, '0, "cd /srv && uname -a\\n", 8192', { ret: '20' }),
      call(2, 42, 'read', null, '3, "id = 3\\nname = pump\\n", 4096', { ret: '20' }), // config text: not a command
      call(3, 43, 'read', null, '0, "cat /etc/hosts.allow\\n", 8192', { ret: '20' }),
      call(4, 44, 'read', null, '4</proc/1210/cmdline>, "/bin/sh\\0-c\\0ping x; id; hostname", 4096', { ret: '30' }), // ps reading a cmdline
    ]);
    await runTriage(store, { rules: pack(), noSequenceDiff: true, noBuiltinChecks: true });
    const found = await listFindings(store);
    expect(found.filter((f) => f.rule === 'tb-lnx-discovery-command-text').flatMap((f) => f.pids).sort()).toEqual([40, 41]);
    store.close();
  });

  it('flags a process list walked through procps or an opendir of /proc, not other directories', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    await addCapture(store, [
      call(0, 50, 'procps_pids_new', null, '0x5597fcfcc390, 0x5598265fbb90, 70, 0'),
      call(0.1, 50, 'procps_pids_reap', null, '0x5598265fbcb0, 0, 0x10180068, 0x7fa25393c620', { ret: '0x5598265fbcf0' }),
      call(5, 51, 'opendir', '/proc', '"/proc"', { ret: '0x55a0' }),
      call(9, 52, 'opendir', '/proc/self/fd', '"/proc/self/fd"', { ret: '0x55a0' }),
      call(12, 53, 'openat', '/proc', 'AT_FDCWD, "/proc", O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY', { ret: '3' }),
    ]);
    await runTriage(store, { rules: pack(), noSequenceDiff: true, noBuiltinChecks: true });
    const found = (await listFindings(store)).filter((f) => f.rule === 'tb-lnx-process-list-api');
    expect(found.flatMap((f) => f.pids).sort()).toEqual([50, 51, 53]);
    expect(found.every((f) => f.score === 30)).toBe(true); // low on its own
    store.close();
  });

  it('flags a listing whose readdir returned fewer entries than "." has links, and not an honest one', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    await addCapture(store, [...lsLa(60, 0, 2, 3), ...lsLa(61, 5, 3, 3), ...lsLa(62, 10, 2, 2)]);
    await runTriage(store, { rules: [], noSequenceDiff: true });
    const found = await listFindings(store);
    expect(found.map((f) => [f.rule, f.pids])).toEqual([['tb-lnx-listing-hides-entries', [60]]]);
    expect(found[0]?.score).toBe(70);
    expect(found[0]?.explanation).toContain('readdir returned 2 entries of /tmp');
    expect(found[0]?.explanation).toContain('"." with 3 links, so at least 1 subdirectory was filtered out');
    expect(found[0]?.attack).toEqual(expect.arrayContaining(['T1014', 'T1574.006']));
    store.close();
  });
});

describeCorpus('real capture: hmi-dev ltrace.txt (corpus)', () => {
  it('L2 ps -ef and L3 ls through the readdir hook are found on the lines inside their windows', async () => {
    const store = await CaseStore.open(dir.file('lt.duckdb'));
    await importFile(store, corpusCapture('linux/hmi-dev/ltrace.txt'), { date: '2026-11-26', host: 'hmi-ws01' });
    await runTriage(store);
    const findings = await listFindings(store);
    const linesOf = async (rule: string): Promise<number[]> => {
      const ids = findings.filter((f) => f.rule === rule).flatMap((f) => f.event_ids);
      const rows = await store.rows(sql`SELECT source_line FROM event_rows WHERE list_contains(CAST(CAST(${JSON.stringify(ids)} AS JSON) AS BIGINT[]), event_id) ORDER BY 1`, { source_line: 'num' });
      return rows.map((r) => r.source_line);
    };
    // Line numbers as `grep -n` shows them; truth.json's verification puts L2 at 241–876, L3 at 877–1505.
    expect(await linesOf('tb-lnx-discovery-command-text')).toEqual([240]); // 3100 read(0, "ps -ef; echo __E2__\n", 8192)
    expect(await linesOf('tb-lnx-process-list-api')).toEqual([465]); // 3102 procps_pids_reap(…)
    // 3103: opendir("/tmp"), readdir ×3 (2 entries, then NULL), closedir, fwrite "drwxrwxrwt  3 " and "." of ls -la.
    expect(await linesOf('tb-lnx-listing-hides-entries')).toEqual([1349, 1350, 1377, 1404, 1405, 1418, 1443]);
    const hidden = findings.find((f) => f.rule === 'tb-lnx-listing-hides-entries');
    expect(hidden?.pids).toEqual([3103]);
    expect(hidden?.score).toBeGreaterThanOrEqual(70);
    store.close();
  }, 60_000);
});
