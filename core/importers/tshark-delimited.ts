// Splitting one delimited line as tshark -T fields and Wireshark's CSV export write them: any
// one-character separator, fields optionally quoted with " or ' (tshark -E quote=d|s), a doubled
// quote inside a quoted field standing for one quote, fields kept untrimmed. The splitting
// itself is csv-split.ts's; this picks the dialect and the separator from a header.
import { DELIMITERS, splitCsv, type CsvDialect } from './csv-split.ts';

export type DelimitedSplit = { complete: true; cells: string[] } | { complete: false };

const dialects = new Map<string, CsvDialect>();

/** tshark's dialect for a separator: " or ' quotes, no trimming. */
function tsharkDialect(separator: string): CsvDialect {
  let d = dialects.get(separator);
  if (d === undefined) {
    d = { delimiter: separator, quotes: `"'`, trim: false };
    dialects.set(separator, d);
  }
  return d;
}

export function splitDelimited(text: string, separator: string): DelimitedSplit {
  const cells = splitCsv(text, tsharkDialect(separator));
  return cells === null ? { complete: false } : { complete: true, cells };
}

/** The separator that splits a header line into the most cells (tab, comma, semicolon, pipe). */
export function guessSeparator(header: string): string {
  let best = ',';
  let bestCount = 0;
  for (const sep of DELIMITERS) {
    const split = splitDelimited(header, sep);
    const count = split.complete ? split.cells.length : 0;
    if (count > bestCount) {
      best = sep;
      bestCount = count;
    }
  }
  return best;
}
