// The logsource gate (logsource-gate.ts) and the field cache (field-cache.ts) must only save work:
// over a case holding a strace capture and a Sysmon XML export, triage with them finds exactly the
// (rule, events) pairs it finds when every rule is evaluated and parses e.fields itself, in a full
// run and in incremental ones, while the rules of logsources the scope does not hold are reported
// as not evaluated.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { isSingleEvent } from './batch.ts';
import { loadRules, SHIPPED_RULES_DIR } from './rules-load.ts';
import { runTriage, type TriageOptions } from './run.ts';
import { parseRuleFile } from './sigma/parse.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

/** Windows rules: one the Sysmon export matches (PING.EXE starts), one it cannot (PowerShell), one of another image. */
const WINDOWS_RULES = `
title: ping started
id: t-win-ping
level: low
logsource:
  product: windows
  category: process_creation
detection:
  sel:
    Image|endswith: '\\ping.exe'
  condition: sel
---
title: script block with a download cradle
id: t-win-ps-cradle
level: high
logsource:
  product: windows
  category: ps_script
detection:
  sel:
    ScriptBlockText|contains: 'DownloadString'
  condition: sel
---
title: registry run key set
id: t-win-run-key
level: medium
logsource:
  product: windows
  category: registry_set
detection:
  sel:
    TargetObject|contains: '\\CurrentVersion\\Run'
  condition: sel
`;

async function pairs(store: CaseStore): Promise<string[]> {
  const rows = await store.rows(sql`SELECT rule, CAST(list_sort(event_ids) AS VARCHAR) AS ids FROM findings`, { rule: 'str', ids: 'str' });
  return rows.map((r) => `${r.rule} ${r.ids}`).sort();
}

it('finds the same rule/event pairs with and without the logsource gate, and skips the rules nothing in scope supplies', { timeout: 120_000 }, async () => {
  const rules = [...loadRules([SHIPPED_RULES_DIR]), ...parseRuleFile(WINDOWS_RULES, 'inline.yml')];
  const store = await CaseStore.open(dir.file('case.duckdb'));
  const windows = await importFile(store, fixture('winevent-xml/sysmon.evtxexport.first10.xml'), { format: 'winevent-xml' });
  const strace = await importFile(store, fixture('strace/sh-mixed.txt'), { format: 'strace', date: '2026-11-26' });

  const run = async (options: TriageOptions): Promise<{ pairs: string[]; notSupplied: number }> => {
    const r = await runTriage(store, { rules, ...options });
    return { pairs: await pairs(store), notSupplied: r.notSupplied };
  };
  const fullAll = await run({ noLogsourceGate: true });
  const fullGated = await run({});
  expect(fullGated.pairs).toEqual(fullAll.pairs);
  expect(fullAll.notSupplied).toBe(0);
  // The PowerShell and registry rules have no event in the case; the ping rule fires.
  expect(fullGated.notSupplied).toBeGreaterThanOrEqual(2);
  expect(fullGated.pairs.some((p) => p.startsWith('t-win-ping '))).toBe(true);

  // Incremental over the strace capture alone: no Windows rule is evaluated, findings unchanged.
  const incAll = await run({ noLogsourceGate: true, captureIds: [strace.capture_id] });
  const incGated = await run({ captureIds: [strace.capture_id] });
  expect(incGated.pairs).toEqual(incAll.pairs);
  expect(incGated.notSupplied).toBeGreaterThanOrEqual(3);
  // …and over the Windows capture alone, the strace-only rules are not evaluated; its events all
  // carry source fields, so the rules read them from the run's field cache (field-cache.ts).
  const winGated = await run({ captureIds: [windows.capture_id] });
  const winAll = await run({ noLogsourceGate: true, noFieldCache: true, captureIds: [windows.capture_id] });
  expect(winGated.pairs).toEqual(winAll.pairs);
  expect(winGated.pairs.some((p) => p.startsWith('t-win-ping '))).toBe(true);
  expect(winGated.notSupplied).toBeLessThan(rules.filter(isSingleEvent).length);
  store.close();
});
