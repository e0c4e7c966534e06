// SigmaHQ's rules/linux and rules/windows (a copy beside the repository, ../shared/sigma): the
// share of rule files that parse and that fully load (parse + compile), by folder, with the most
// common skip reasons. Fields unknown to today's field table still skip rules until the Sigma
// taxonomy maps them, so the compile floor is low on purpose; the parse floor is the language.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CaseStore } from '../../store/case-store.ts';
import { sql } from '../../store/sql.ts';
import { CORPUS_ROOT, describeCorpus } from '../../testing/corpus.ts';
import { tempDir } from '../../testing/temp.ts';
import { buildProcessTree } from '../process-tree.ts';
import { loadRuleFolders } from '../rules-load.ts';
import { addCapture, call } from '../testing/build-case.ts';
import { compileCondition, withAnyFieldKnown } from './compile.ts';

const SIGMA = join(CORPUS_ROOT, '..', 'sigma', 'rules');

/** A skip reason without file, line and quoted names, so like reasons count together. */
function reasonKind(reason: string): string {
  return reason.replace(/^[^:]*:\d+: /, '').replace(/"[^"]*"/g, '"…"').replace(/%[^%]+%/g, '%…%').slice(0, 90);
}

/** Every how-many-th compiled rule is also run in DuckDB (all of them take ~45 s on 2 cores). */
const RUN_EVERY = 10;

describeCorpus('SigmaHQ rules load share', () => {
  const dir = tempDir();
  let store: CaseStore;
  beforeAll(async () => {
    store = await CaseStore.open(dir.file('c.duckdb'));
    await addCapture(store, [call(0, 1, 'execve', '/bin/sh', 'sh -c id', { fields: { CommandLine: 'sh -c id', Image: '/bin/sh' } })]);
    await buildProcessTree(store);
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  it('the SQL compiled from SigmaHQ rules runs in DuckDB (a sample of each folder)', { timeout: 120_000 }, async () => {
    const failures: string[] = [];
    let ran = 0;
    for (const top of ['linux', 'windows']) {
      const { rules } = withAnyFieldKnown(() => loadRuleFolders([join(SIGMA, top)]));
      for (const [i, rule] of rules.entries()) {
        const condition = rule.condition;
        if (i % RUN_EVERY !== 0 || !condition) continue;
        ran++;
        const where = withAnyFieldKnown(() => compileCondition(rule, condition));
        try {
          await store.rows(sql`SELECT count(*) AS n FROM event_rows e LEFT JOIN triage_proc p ON p.capture_id = e.capture_id AND p.pid = e.pid WHERE ${where}`, { n: 'num' });
        } catch (e) {
          failures.push(`${rule.file}: ${(e as Error).message.split('\n')[0] ?? ''}`);
        }
      }
    }
    console.log(`ran ${ran} compiled SigmaHQ rules in DuckDB; ${failures.length} failed`);
    expect(ran).toBeGreaterThan(200);
    expect(failures).toEqual([]);
  });

  for (const top of ['linux', 'windows']) {
    it(`loads rules/${top} without stopping on a bad rule, and reports the share by folder`, { timeout: 120_000 }, () => {
      const dir = join(SIGMA, top);
      if (!existsSync(dir)) return;
      const { checks } = loadRuleFolders([dir]);
      // The same rules with every field name taken as known: what the detection language handles.
      const language = withAnyFieldKnown(() => loadRuleFolders([dir]).checks);
      const byFolder = new Map<string, { total: number; parsed: number; loaded: number; language: number }>();
      const languageOk = new Set(language.filter((c) => c.status === 'loaded').map((c) => `${c.file}#${c.id}`));
      const languageReasons = new Map<string, number>();
      for (const c of language) if (c.reason) languageReasons.set(reasonKind(c.reason), (languageReasons.get(reasonKind(c.reason)) ?? 0) + 1);
      const reasons = new Map<string, number>();
      for (const c of checks) {
        const folder = relative(top, c.file).split('/')[0] ?? '';
        const f = byFolder.get(folder) ?? { total: 0, parsed: 0, loaded: 0, language: 0 };
        if (languageOk.has(`${c.file}#${c.id}`)) f.language++;
        f.total++;
        if (c.stage !== 'parse') f.parsed++;
        if (c.status === 'loaded') f.loaded++;
        byFolder.set(folder, f);
        if (c.reason) reasons.set(reasonKind(c.reason), (reasons.get(reasonKind(c.reason)) ?? 0) + 1);
      }
      const total = checks.length;
      const parsed = checks.filter((c) => c.stage !== 'parse').length;
      const loaded = checks.filter((c) => c.status === 'loaded').length;
      const languageLoaded = languageOk.size;
      const pct = (n: number, d: number): string => `${((100 * n) / d).toFixed(1)} %`;
      const lines = [
        `rules/${top}: ${total} rules, parsed ${parsed} (${pct(parsed, total)}), loaded ${loaded} (${pct(loaded, total)}), ` +
          `compiled with every field known ${languageLoaded} (${pct(languageLoaded, total)})`,
      ];
      for (const [folder, f] of [...byFolder].sort()) {
        lines.push(`  ${folder.padEnd(22)} ${String(f.total).padStart(5)}  parsed ${pct(f.parsed, f.total).padStart(7)}  loaded ${pct(f.loaded, f.total).padStart(7)}  language ${pct(f.language, f.total).padStart(7)}`);
      }
      const top8 = (m: Map<string, number>): string[] => [...m].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([r, n]) => `    ${String(n).padStart(5)}  ${r}`);
      lines.push('  top skip reasons:', ...top8(reasons), '  skip reasons with every field known:', ...top8(languageReasons));
      console.log(lines.join('\n'));
      expect(total).toBeGreaterThan(100);
      expect(parsed / total).toBeGreaterThanOrEqual(0.97);
      expect(languageLoaded / total).toBeGreaterThanOrEqual(0.97);
    });
  }
});
