// SigmaHQ's Linux rules, unmodified, over the hmi-dev scenario (../shared/captures/linux/hmi-dev):
// the HMI's normal start-up (truth.json "benign-hmi-startup": the loader's
// access("/etc/ld.so.preload") of every process start, config reads, log opens) must not match
// any rule. Skipped without the corpus.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { importFile } from '../../../ingest/import-file.ts';
import { CaseStore } from '../../../store/case-store.ts';
import { sql } from '../../../store/sql.ts';
import { corpusCapture, CORPUS_ROOT, describeCorpus } from '../../../testing/corpus.ts';
import { tempDir } from '../../../testing/temp.ts';
import { buildProcessTree } from '../../process-tree.ts';
import { ruleFilesIn } from '../../rules-load.ts';
import { compileCondition } from '../compile.ts';
import { parseRuleFile } from '../parse.ts';
import type { Rule } from '../types.ts';

const LINUX_RULES = join(dirname(CORPUS_ROOT), 'sigma', 'rules', 'linux');
const SCENARIO = 'linux/hmi-dev';

interface Window {
  label: string;
  start_epoch_us: number;
  end_epoch_us: number;
}

function loadableRules(): Rule[] {
  return ruleFilesIn(LINUX_RULES).flatMap((file) => {
    try {
      return parseRuleFile(readFileSync(file, 'utf8'), file.slice(LINUX_RULES.length + 1));
    } catch {
      return []; // the detection language's coverage is measured elsewhere (rules check)
    }
  });
}

describeCorpus('SigmaHQ Linux rules on hmi-dev', () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('add no finding on the HMI\'s normal start-up', { timeout: 600_000 }, async () => {
    if (!existsSync(LINUX_RULES)) return;
    const truth = JSON.parse(readFileSync(corpusCapture(`${SCENARIO}/truth.json`), 'utf8')) as { benign: Window[] };
    const startup = truth.benign.find((b) => b.label === 'benign-hmi-startup');
    expect(startup).toBeDefined();
    const store = await CaseStore.open(dir.file('hmi.duckdb'));
    for (const rel of ['strace.txt', 'ltrace.txt', 'logs/syslog.log']) {
      await importFile(store, corpusCapture(`${SCENARIO}/${rel}`), { date: '2026-11-26', host: 'hmi-ws01' });
    }
    await buildProcessTree(store);
    const rules = loadableRules();
    expect(rules.length).toBeGreaterThan(0);
    const inStartup: string[] = [];
    const anywhere: string[] = [];
    for (const rule of rules) {
      if (!rule.condition) continue;
      let where;
      try {
        where = compileCondition(rule, rule.condition);
      } catch {
        continue; // not mapped for the logsource: skipped
      }
      const rows = await store.rows(
        sql`SELECT e.ts_us, e.op, e.target FROM event_rows e LEFT JOIN triage_proc p ON p.capture_id = e.capture_id AND p.pid = e.pid WHERE ${where} LIMIT 50`,
        { ts_us: 'num', op: 'str', target: 'str?' },
      );
      for (const r of rows) {
        const line = `${rule.file}: ${r.op} ${r.target ?? ''}`;
        anywhere.push(line);
        if (startup && r.ts_us >= startup.start_epoch_us && r.ts_us <= startup.end_epoch_us) inStartup.push(line);
      }
    }
    store.close();
    console.log(`SigmaHQ Linux rules on hmi-dev: ${rules.length} rules loaded, ${anywhere.length} matched events in all:\n  ${[...new Set(anywhere)].join('\n  ')}`);
    expect(inStartup).toEqual([]);
  });
});
