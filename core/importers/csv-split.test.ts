// The one RFC 4180 splitter behind the generic CSV, Procmon CSV and tshark/ICS probe importers:
// its dialects, incomplete records and multi-line records resumed line by line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRecordReader, RFC4180, splitCsv, splitOneLine, type CsvDialect } from './csv-split.ts';
import { splitCsvRecord } from './procmon-csv.ts';
import { guessSeparator, splitDelimited } from './tshark-delimited.ts';

const TSHARK_TAB: CsvDialect = { delimiter: '\t', quotes: `"'`, trim: false };

describe('splitCsv', () => {
  it('splits quoted fields with delimiters and doubled quotes, and empty fields', () => {
    expect(splitCsv('"a,b","say ""hi""",,"x"')).toEqual(['a,b', 'say "hi"', '', 'x']);
    expect(splitCsv('')).toEqual(['']);
    expect(splitCsv('a,')).toEqual(['a', '']);
    expect(splitCsv('""')).toEqual(['']);
  });

  it('keeps text after a closing quote and treats a quote inside a field as a character', () => {
    expect(splitCsv('"a"b"c,d')).toEqual(['ab"c', 'd']);
    expect(splitCsv('x"y,"z"')).toEqual(['x"y', 'z']);
  });

  it('reports an open quote as incomplete', () => {
    expect(splitCsv('a,"b')).toBeNull();
    expect(splitCsv('"ab""')).toBeNull();
    expect(splitCsv('"ab"""')).toEqual(['ab"']);
  });

  it('leaves fields untouched in RFC 4180, trims unquoted ones in the generic dialect', () => {
    expect(splitCsv(' a , "b" ', RFC4180)).toEqual([' a ', ' "b" ']);
    expect(splitCsv(' a , "b" ', { delimiter: ',', quotes: '"', trim: true })).toEqual(['a', 'b ']);
  });

  it("opens fields with either quote in tshark's dialect", () => {
    expect(splitCsv(`'a\tb'\t"c'"\td`, TSHARK_TAB)).toEqual(['a\tb', "c'", 'd']);
    expect(splitCsv(`'it''s'`, TSHARK_TAB)).toEqual(["it's"]);
  });

  it('refuses an empty delimiter', () => {
    expect(() => splitCsv('a', { delimiter: '', quotes: '"', trim: false })).toThrow(/delimiter/);
  });
});

describe('CsvRecordReader', () => {
  it('joins the lines of a record whose quoted field holds newlines', () => {
    const r = new CsvRecordReader(',');
    expect(r.push('1,"first')).toBeNull();
    expect(r.openLines).toBe(1);
    expect(r.push('second "" line')).toBeNull();
    expect(r.openText).toBe('1,"first\nsecond "" line');
    expect(r.openChars).toBe(22);
    expect(r.partialFields()).toEqual(['1', 'first\nsecond " line']);
    expect(r.push('end",2,"x')).toBeNull(); // closes one field, opens another
    expect(r.partialFields()).toEqual(['1', 'first\nsecond " line\nend', '2', 'x']);
    expect(r.push('y"')).toEqual(['1', 'first\nsecond " line\nend', '2', 'x\ny']);
    expect(r.openLines).toBe(0);
    expect(r.push('a , b')).toEqual(['a', 'b']);
  });

  it('splits a line as if it were whole when the quote never closes (header detection)', () => {
    expect(splitOneLine('a;"b;c', ';')).toEqual(['a', 'b;c']);
  });

  it('gives the same fields line by line as the joined text in one piece', () => {
    const piece = fc.constantFrom('"', '""', ',', ' ', 'a', 'x y', '\t', "'");
    const line = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), fc.boolean(), (lines, trim) => {
        const dialect: CsvDialect = { delimiter: ',', quotes: '"', trim };
        const reader = new CsvRecordReader(dialect);
        const joined: string[] = [];
        for (const l of lines) {
          joined.push(l);
          expect(reader.push(l)).toEqual(splitCsv(joined.join('\n'), dialect));
          if (reader.openLines === 0) joined.length = 0;
        }
      }),
    );
  });
});

describe('the importers share it', () => {
  it('Procmon and tshark wrappers answer as before', () => {
    expect(splitCsvRecord('"open')).toEqual({ complete: false });
    expect(splitCsvRecord('"a","b"')).toEqual({ complete: true, fields: ['a', 'b'] });
    expect(splitDelimited(`1\t'x'`, '\t')).toEqual({ complete: true, cells: ['1', 'x'] });
    expect(splitDelimited(`'x`, '\t')).toEqual({ complete: false });
    expect(guessSeparator('a;b;"c;d"|e')).toBe(';');
  });
});
