// The explanation names what the rule read on the finding's event: the likely matching value first,
// Windows paths as written, control characters escaped, fields the event lacks left out.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TriageEvent } from './engine.ts';
import { readValues, valueOf } from './explain-fields.ts';
import { parseRuleFile } from './sigma/parse.ts';

const RULE = parseRuleFile(
  `title: Event log cleared
id: t-log-clear
level: high
logsource: {product: windows, category: trace}
detection:
  sel_wevtutil:
    op: ProcessCreate
    args|re: '(?i)wevtutil(\\.exe)?"?\\s+(cl|clear-log)\\b'
  sel_parent:
    op: ProcessCreate
    ParentCommandLine|contains: 'wevtutil cl'
  sel_user:
    User|endswith: '\\admin'
  condition: 1 of sel_*
`,
  'test.yml',
)[0]!;

function event(over: Partial<TriageEvent>): TriageEvent {
  return {
    event_id: 157, capture_id: 1, ts_us: 0, ts_raw_us: 0, dur_us: null, host: 'h', pid: 7748, tid: null, ppid: null,
    process: 'conhost.exe', kind: 'process', op: 'ProcessCreate', category: 'process', target: 'C:\\Windows\\System32\\conhost.exe',
    args: '\\??\\C:\\WINDOWS\\system32\\conhost.exe 0xffffffff -ForceV1', ret: null, error: null, source_line: 1, fields: null, level: null,
    image: null, parent_image: null, tgid: null, root_pid: null, ...over,
  };
}

describe('readValues', () => {
  it('puts the value that matched (the parent command line) before one the rule read but that did not match', () => {
    const values = readValues(RULE, event({ fields: { ParentCommandLine: 'wevtutil cl Setup', User: 'DESKTOP\\buddy' } }));
    expect(values[0]).toBe('ParentCommandLine "wevtutil cl Setup"');
    expect(values).toContain('args "\\??\\C:\\WINDOWS\\system32\\conhost.exe 0xffffffff -ForceV1"');
    expect(values).toContain('User "DESKTOP\\buddy"');
    expect(values.some((v) => v.startsWith('op '))).toBe(false);
  });

  it('finds a source field in any case and leaves out fields the event lacks', () => {
    expect(valueOf(event({ fields: { parentcommandline: 'x' } }), 'ParentCommandLine')).toBe('x');
    expect(readValues(RULE, event({ args: null, fields: {} }))).toEqual([]);
  });

  it('escapes control characters and clips long values; never throws on any text', () => {
    const [first] = readValues(RULE, event({ args: null, fields: { ParentCommandLine: 'wevtutil cl\n\u0001System' } }));
    expect(first).toBe('ParentCommandLine "wevtutil cl\\n\\x01System"');
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.string({ maxLength: 50 }), (text, user) => {
        const values = readValues(RULE, event({ args: text, fields: { User: user } }));
        for (const v of values) {
          expect(v.length).toBeLessThan(200);
          expect([...v].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });
});
