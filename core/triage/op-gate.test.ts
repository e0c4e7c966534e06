import { describe, expect, it } from 'vitest';
import { opGate, opsPassing } from './op-gate.ts';
import { parseRuleFile } from './sigma/parse.ts';

function gateOf(detection: string): string[] | null {
  const [rule] = parseRuleFile(`title: t\nid: t-gate\nlevel: low\ndetection:\n${detection}`, 'g.yml');
  if (!rule) throw new Error('no rule');
  const gate = opGate(rule);
  return gate ? [...gate].sort() : null;
}

describe('op gate', () => {
  it('collects the ops every branch of the condition requires', () => {
    expect(gateOf('  sel:\n    op: [execve, Execveat]\n    args|contains: curl\n  condition: sel\n')).toEqual(['execve', 'execveat']);
    expect(gateOf('  a:\n    op: unlink\n  b:\n    op: rename\n  condition: a or b\n')).toEqual(['rename', 'unlink']);
    expect(gateOf('  a:\n    op: openat\n  f:\n    target|endswith: /shadow\n  condition: a and not f\n')).toEqual(['openat']);
    expect(gateOf('  sel_1:\n    op: connect\n  sel_2:\n    - op: sendto\n    - op: sendmsg\n  condition: 1 of sel_*\n')).toEqual(['connect', 'sendmsg', 'sendto']);
  });

  it('leaves a rule ungated when some way to match does not name a plain op', () => {
    expect(gateOf('  a:\n    op: unlink\n  b:\n    target: /tmp/x\n  condition: a or b\n')).toBeNull();
    expect(gateOf('  sel:\n    op: exec*\n  condition: sel\n')).toBeNull();
    expect(gateOf('  sel:\n    op|contains: exec\n  condition: sel\n')).toBeNull();
    expect(gateOf('  sel:\n    op: unlink\n  condition: not sel\n')).toBeNull();
    expect(gateOf('  sel:\n    - op: unlink\n    - target: /x\n  condition: sel\n')).toBeNull();
    expect(gateOf('  keywords:\n    - evil\n  condition: keywords\n')).toBeNull();
  });

  it('maps the gate onto the case\'s ops case-insensitively', () => {
    expect(opsPassing(new Set(['execve', 'regopenkey']), ['execve', 'RegOpenKey', 'read'])).toEqual(['execve', 'RegOpenKey']);
  });
});
