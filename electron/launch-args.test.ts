import { describe, expect, it } from 'vitest';
import { caseArgument } from './launch-args.ts';

describe('caseArgument', () => {
  it('takes the last .duckdb argument, absolute against the launch directory', () => {
    expect(caseArgument(['/usr/bin/tracebench', '--no-sandbox', 'cases/a.duckdb'], '/home/ana')).toBe('/home/ana/cases/a.duckdb');
    expect(caseArgument(['tb', '/x/a.duckdb', '/y/B.DUCKDB'], '/home/ana')).toBe('/y/B.DUCKDB');
  });
  it('ignores switches and other files', () => {
    expect(caseArgument(['tb', '--user-data-dir=/tmp/x.duckdb', 'notes.txt'], '/')).toBeNull();
    expect(caseArgument([], '/')).toBeNull();
  });
});
