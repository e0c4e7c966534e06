// The single-event rules of the shipped pack over a whole case in one layout (batch.ts), in its
// own process. Prints one JSON line: { ms, rows (matched events), maxRssMb }.
import { CaseStore } from '../core/store/case-store.ts';
import { runSingleEventRules, isSingleEvent, type BatchLayout } from '../core/triage/batch.ts';
import { buildProcessTree } from '../core/triage/process-tree.ts';
import { loadRules, SHIPPED_RULES_DIR } from '../core/triage/rules-load.ts';
import { FULL_SCOPE } from '../core/triage/scope.ts';

const [casePath, layout] = process.argv.slice(2);
if (!casePath || !['columns', 'union', 'per-rule'].includes(layout ?? '')) throw new Error('usage: child-triage-layout CASE columns|union|per-rule');
const store = await CaseStore.open(casePath);
await buildProcessTree(store);
const rules = loadRules([SHIPPED_RULES_DIR]).filter(isSingleEvent);
const t0 = performance.now();
const { hits } = await runSingleEventRules(store, rules, FULL_SCOPE, { layout: layout as BatchLayout });
const ms = performance.now() - t0;
store.close();
const rows = [...hits.values()].reduce((n, h) => n + h.length, 0);
process.stdout.write(`${JSON.stringify({ ms, rows, rules: rules.length, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
