// A few SigmaHQ rules, unmodified (fixtures/SOURCES.md), over events from our importers: the
// curl rule on its own regression sample imported through the EVTX importer, and the Linux
// ld.so.preload / cron rules on auditd, strace, ltrace and syslog lines. Runs without the corpus.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../ingest/import-file.ts';
import { auditdImporter } from '../../../importers/auditd.ts';
import { ltraceImporter } from '../../../importers/ltrace.ts';
import { straceImporter } from '../../../importers/strace.ts';
import { textLogImporter } from '../../../importers/textlog.ts';
import { CaseStore } from '../../../store/case-store.ts';
import { sql } from '../../../store/sql.ts';
import { runText } from '../../../testing/collecting-sink.ts';
import { tempDir } from '../../../testing/temp.ts';
import { buildProcessTree } from '../../process-tree.ts';
import { addCapture } from '../../testing/build-case.ts';
import { compileCondition } from '../compile.ts';
import { parseRuleFile } from '../parse.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const rule = (file: string) => {
  const [r] = parseRuleFile(readFileSync(join(FIXTURES, file), 'utf8'), file);
  if (!r?.condition) throw new Error(`${file}: no rule`);
  return r;
};

describe('SigmaHQ rules, unmodified, over our importers', () => {
  const dir = tempDir();
  let store: CaseStore;
  const captures: Record<string, number> = {};
  beforeAll(async () => {
    store = await CaseStore.open(dir.file('c.duckdb'));
    captures['evtx'] = (await importFile(store, join(FIXTURES, 'curl-custom-user-agent.evtx'))).capture_id;
    const ctx = { date: '2026-11-26' };
    captures['strace'] = await addCapture(store, runText(straceImporter, [
      '1202  06:13:22.471589 access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory) <0.000118>',
      '1202  06:13:22.472000 openat(AT_FDCWD, "/etc/ld.so.preload", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory) <0.000010>',
    ].join('\n'), ctx).events, 'strace.txt');
    captures['ltrace'] = await addCapture(store, runText(ltraceImporter, '3100 06:17:28.050054 puts("crontab REPLACE (root)")          = 24 <0.000470>', ctx).events, 'ltrace.txt');
    captures['syslog'] = await addCapture(store, runText(textLogImporter, '2026-11-26T06:14:00.000000+00:00 hmi-ws01 cron.info crontab[2001]: (root) REPLACE (root)', ctx).events, 'syslog.log');
    captures['auditd'] = await addCapture(store, runText(auditdImporter, [
      'type=SYSCALL msg=audit(1604996385.000:93778): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7ffd a2=241 a3=1b6 items=2 ppid=1 pid=2200 uid=0 comm="tee" exe="/usr/bin/tee" key=(null)',
      'type=PATH msg=audit(1604996385.000:93778): item=0 name="/etc/" nametype=PARENT',
      'type=PATH msg=audit(1604996385.000:93778): item=1 name="/etc/ld.so.preload" nametype=CREATE',
    ].join('\n'), ctx).events, 'audit.log');
    await buildProcessTree(store);
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  /** Which captures (by name) hold an event the rule matches. */
  async function firesOn(file: string): Promise<string[]> {
    const r = rule(file);
    const rows = await store.rows(
      sql`SELECT DISTINCT e.capture_id FROM event_rows e LEFT JOIN triage_proc p ON p.capture_id = e.capture_id AND p.pid = e.pid
          WHERE ${compileCondition(r, r.condition ?? { type: 'ref', name: '' })} ORDER BY 1`,
      { capture_id: 'num' },
    );
    return rows.map((x) => Object.entries(captures).find(([, id]) => id === x.capture_id)?.[0] ?? '?');
  }

  it('the curl rule fires on its regression sample (Sysmon 1 from .evtx) and nowhere else', async () => {
    expect(await firesOn('proc_creation_win_curl_custom_user_agent.yml')).toEqual(['evtx']);
  });
  it('ld.so.preload: the auditd rule reads the PATH record; the keyword rule never reads the loader probe', async () => {
    expect(await firesOn('lnx_auditd_ld_so_preload_mod.yml')).toEqual(['auditd']);
    expect(await firesOn('lnx_ldso_preload_injection.yml')).toEqual([]);
  });
  it('the cron keyword rule reads cron\'s log lines, not the same words in ltrace text', async () => {
    expect(await firesOn('lnx_cron_crontab_file_modification.yml')).toEqual(['syslog']);
  });
});
