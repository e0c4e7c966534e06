// The flat-table path (field-cache.ts + batch-flat.ts) must only save work: over a case of Windows
// events (Sysmon XML and JSON lines, a Security .evtx), every single-event rule matches exactly
// the events it matches when evaluated alone over event_rows (one query per rule, parsing
// e.fields itself) — SigmaHQ fixture rules, a long value list (a set lookup), a keyword rule, a
// rule reading the process tree, and a rule DuckDB rejects at run time, which is skipped with its
// reason in both while the rules batched with it keep their matches.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { fixture } from '../testing/corpus.ts';
import { tempDir } from '../testing/temp.ts';
import { isSingleEvent, runSingleEventRules, type BatchOptions } from './batch.ts';
import { cacheSourceFields } from './field-cache.ts';
import { buildProcessTree } from './process-tree.ts';
import { FULL_SCOPE } from './scope.ts';
import { compileCondition, SET_LOOKUP_MIN } from './sigma/compile.ts';
import { parseRuleFile } from './sigma/parse.ts';
import type { Rule } from './sigma/types.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

/** Decoys first, so the matching value sits deep in a list long enough for a set lookup. */
const longList = (matching: string[]): string => [...Array.from({ length: SET_LOOKUP_MIN * 3 }, (_, i) => `C:\\no\\such\\tool${i}.exe`), ...matching].map((v) => `      - '${v}'`).join('\n');

const INLINE_RULES = `
title: ping started
id: t-flat-ping
level: low
logsource: { product: windows, category: process_creation }
detection:
  sel:
    Image|endswith: '\\ping.exe'
  condition: sel
---
title: one of many images (set lookup)
id: t-flat-long-list
level: low
logsource: { product: windows, category: process_access }
detection:
  sel:
    SourceImage:
${longList(['C:\\Windows\\Temp\\Outflank-Dumpert.exe', 'c:\\windows\\system32\\WERMGR.exe'])}
  condition: sel
---
title: many wildcard patterns
id: t-flat-long-patterns
level: low
logsource: { product: windows, category: image_load }
detection:
  sel:
    ImageLoaded|endswith:
${longList(['\\dbghelp.dll', '\\POLICYMANAGER.dll'])}
  filter:
    Image|contains: 'VBoxService'
  condition: sel and not filter
---
title: lsass keyword
id: t-flat-keyword
level: low
logsource: { product: windows, service: sysmon }
detection:
  keywords:
    - 'lsass'
  condition: keywords
---
title: end anchor RE2 refuses
id: t-flat-bad
level: low
logsource: { product: windows, category: process_creation }
detection:
  sel:
    CommandLine|re: 'a\\Z'
  condition: sel
---
title: network connection from a payload
id: t-flat-net
level: low
logsource: { product: windows, category: network_connection }
detection:
  sel:
    Image|contains: 'payload'
  filter:
    DestinationPort: 443
  condition: sel and not filter
---
title: registry set under a Run key or by explorer
id: t-flat-registry
level: low
logsource: { product: windows, category: registry_set }
detection:
  run:
    TargetObject|contains: '\\CurrentVersion\\Run'
  explorer:
    Image|endswith: '\\explorer.exe'
  condition: 1 of them
---
title: a process that has a parent
id: t-flat-parent
level: low
logsource: { product: windows, category: process_creation }
detection:
  sel:
    ParentImage|contains: '\\'
  condition: sel
`;

function sigmaFixtureRules(): Rule[] {
  const dirs = [join(import.meta.dirname, 'sigma', 'fixtures'), join(import.meta.dirname, 'sigma', 'taxonomy', 'fixtures')];
  return dirs.flatMap((d) =>
    readdirSync(d)
      .filter((f) => /^(proc_creation|driver_load)_win_.*\.yml$/.test(f))
      .flatMap((f) => parseRuleFile(readFileSync(join(d, f), 'utf8'), f)),
  );
}

it('matches the same events per rule as one query per rule over event_rows, and skips the failing rule alone', { timeout: 120_000 }, async () => {
  const store = await CaseStore.open(dir.file('case.duckdb'));
  await importFile(store, fixture('winevent-xml/sysmon.evtxexport.first10.xml'), { format: 'winevent-xml' });
  for (const f of ['cmd_lsass_dumpert.lines20-30.json', 'lsass-campaign.slice104504.lines345-365.json', 'lsass-campaign.slice104736.lines70-80.json', 'psh_mavinject.head8.json']) {
    await importFile(store, fixture(`winevent-jsonl/${f}`));
  }
  await importFile(store, fixture('evtx/Security_short_selected.evtx'));
  await buildProcessTree(store);
  const rules = [...parseRuleFile(INLINE_RULES, 'inline.yml'), ...sigmaFixtureRules()].filter(isSingleEvent);
  expect(rules.some((r) => r.id !== '' && r.file.startsWith('driver_load'))).toBe(true);

  const fields = await cacheSourceFields(store, FULL_SCOPE, rules.map((r) => compileCondition(r, r.condition as NonNullable<Rule['condition']>)));
  expect(fields.table).not.toBeNull(); // every event carries source fields: the flat path runs
  const matchedBy = async (options: BatchOptions) => {
    const { hits, skipped } = await runSingleEventRules(store, rules, FULL_SCOPE, options);
    return { ids: rules.map((r) => `${r.id}: ${(hits.get(r) ?? []).map((h) => h.events[0]?.event_id).join(',')}`), skipped: skipped.map((s) => s.rule) };
  };
  const flat = await matchedBy({ fields });
  await fields.drop();
  const perRule = await matchedBy({ layout: 'per-rule' });

  expect(flat.ids).toEqual(perRule.ids);
  expect(flat.skipped).toEqual(['t-flat-bad']);
  expect(perRule.skipped).toEqual(['t-flat-bad']);
  const fired = (id: string): boolean => !(flat.ids.find((s) => s.startsWith(`${id}:`)) ?? `${id}: `).endsWith(': ');
  for (const id of ['t-flat-ping', 't-flat-long-list', 't-flat-long-patterns', 't-flat-keyword', 't-flat-net', 't-flat-registry']) expect(fired(id), id).toBe(true);
  store.close();
});
