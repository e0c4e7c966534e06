// Splitting one delimited line as tshark -T fields and Wireshark's CSV export write them: any
// one-character separator, fields optionally quoted with " or ' (tshark -E quote=d|s), a doubled
// quote inside a quoted field standing for one quote. Also picks the separator from a header.

export type DelimitedSplit = { complete: true; cells: string[] } | { complete: false };

export function splitDelimited(text: string, separator: string): DelimitedSplit {
  const cells: string[] = [];
  let cell = '';
  let quote: string | null = null; // the quote character of the open quoted field
  let atCellStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (quote !== null) {
      if (ch === quote) {
        if (text[i + 1] === quote) {
          cell += quote;
          i++;
        } else {
          quote = null;
        }
      } else {
        cell += ch;
      }
      continue;
    }
    if (atCellStart && (ch === '"' || ch === "'")) {
      quote = ch;
      atCellStart = false;
      continue;
    }
    if (ch === separator) {
      cells.push(cell);
      cell = '';
      atCellStart = true;
      continue;
    }
    cell += ch;
    atCellStart = false;
  }
  if (quote !== null) return { complete: false };
  cells.push(cell);
  return { complete: true, cells };
}

/** The separator that splits a header line into the most cells (tab, comma, semicolon, pipe). */
export function guessSeparator(header: string): string {
  let best = ',';
  let bestCount = 0;
  for (const sep of ['\t', ',', ';', '|']) {
    const split = splitDelimited(header, sep);
    const count = split.complete ? split.cells.length : 0;
    if (count > bestCount) {
      best = sep;
      bestCount = count;
    }
  }
  return best;
}
