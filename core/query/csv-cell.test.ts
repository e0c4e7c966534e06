import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, defuseFormula } from './csv-cell.ts';

describe('CSV cells of query results', () => {
  it('prefixes text a spreadsheet would run as a formula', () => {
    for (const formula of ['=HYPERLINK("http://x","y")', '+cmd|\' /C calc\'!A0', '-2+3+cmd|\' /C calc\'!A0', '@SUM(1+1)*cmd|\' /C calc\'!A0', '\t=1+1', '\r=1+1', '-', '+']) {
      expect(defuseFormula(formula), formula).toBe(`'${formula}`);
    }
  });

  it('leaves numbers, number-like text and harmless text as they are', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(3.25)).toBe('3.25');
    for (const t of ['-1', '+3.5e2', '-0.5', 'openat', '/etc/passwd', 'a=b', '2026-11-26T06:13:22.100000Z']) expect(csvCell(t), t).toBe(t);
    expect(csvCell(null)).toBe('');
  });

  it('quotes after defusing, so the prefix sits inside the quotes', () => {
    expect(csvCell('=1,2')).toBe('"\'=1,2"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('\rline')).toBe('"\'\rline"');
  });

  it('no text cell ever begins with a formula character unless it is a plain number', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const cell = csvCell(s);
        const unquoted = cell.startsWith('"') ? cell.slice(1) : cell;
        return !/^[=+\-@\t\r]/.test(unquoted) || /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s);
      }),
    );
  });
});
