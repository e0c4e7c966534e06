// Tracebench's own `trace` category under a product: a Windows rule never reads the calls of a
// Linux-only capture format (strace, ltrace, auditd), a Linux rule never a Windows-only one (event
// logs, Procmon); formats that may come from either (JSON lines, CSV, frida-trace) stay in both,
// and `product: any` reads everything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../../store/case-store.ts';
import { sql } from '../../../store/sql.ts';
import { tempDir } from '../../../testing/temp.ts';
import { buildProcessTree } from '../../process-tree.ts';
import { addCapture, call } from '../../testing/build-case.ts';
import { compileCondition } from '../compile.ts';
import { parseRuleFile } from '../parse.ts';

const FORMATS = ['strace', 'ltrace', 'auditd', 'procmon-csv', 'evtx', 'jsonl', 'frida-trace'] as const;

describe('trace rules read the captures of their product', () => {
  const dir = tempDir();
  let store: CaseStore;
  beforeAll(async () => {
    store = await CaseStore.open(dir.file('c.duckdb'));
    // The same call in a capture of each format, so only the format can tell them apart.
    for (const [i, format] of FORMATS.entries()) await addCapture(store, [call(i, 100 + i, 'openat', '/etc/shadow', '', { fields: { f: format } })], `${format}.log`, 'h', format);
    await buildProcessTree(store);
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  async function formatsMatched(product: string): Promise<string[]> {
    const [rule] = parseRuleFile(`title: t\nid: t1\nlogsource: {product: ${product}, category: trace}\ndetection:\n  sel:\n    op: openat\n    target|endswith: /shadow\n  condition: sel\n`, 't.yml');
    if (!rule?.condition) throw new Error('no rule');
    const rows = await store.rows(
      sql`SELECT json_extract_string(e.fields, '$.f') AS f FROM event_rows e LEFT JOIN triage_proc p ON p.capture_id = e.capture_id AND p.pid = e.pid
          WHERE ${compileCondition(rule, rule.condition)} ORDER BY e.ts_us`,
      { f: 'str' },
    );
    return rows.map((r) => r.f);
  }

  it('windows: every format but the Linux-only ones', async () => {
    expect(await formatsMatched('windows')).toEqual(['procmon-csv', 'evtx', 'jsonl', 'frida-trace']);
  });

  it('linux: every format but the Windows-only ones', async () => {
    expect(await formatsMatched('linux')).toEqual(['strace', 'ltrace', 'auditd', 'jsonl', 'frida-trace']);
  });

  it('any: every format', async () => {
    expect(await formatsMatched('any')).toEqual([...FORMATS]);
  });
});
