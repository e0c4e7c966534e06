// RFC 4180 record splitting, the one splitter for every delimited importer (generic CSV/TSV,
// Procmon CSV, tshark/Wireshark CSV, ICS probe CSV). A quoted field may hold delimiters, doubled
// quotes ("") and newlines; a newline inside quotes means the record continues on the next
// physical line, so splitting reports the record as incomplete until the quote closes.
//
// Rules, the same for every dialect: a field is quoted when it starts with a quote character
// (with `trim`, after leading spaces); inside it a doubled quote stands for one quote; text
// between the closing quote and the next delimiter is kept as it is (lenient readers do the same).
// A quote anywhere else is an ordinary character. Fields are found with indexOf and copied with
// slice, never character by character.
//
// Kept over uDSV and csv-parse after measuring them on the real samples (docs/benchmarks.md,
// "Parsers vs libraries"): in the streamed form an import needs, both are 3–20× slower on Procmon
// CSV, and both fail cases our tests name (text after a closing quote, either quote character in
// tshark's dialect, an open quote reported as incomplete so the next line continues the record).

export interface CsvDialect {
  /** Field separator (one character: ",", "\t", ";", "|"). */
  readonly delimiter: string;
  /** Characters that may open a quoted field, each closed by itself: '"' or `"'` (tshark -E quote=s). */
  readonly quotes: string;
  /** Trim unquoted fields and allow spaces before an opening quote (generic CSV/TSV). */
  readonly trim: boolean;
}

/** Strict RFC 4180 with a comma and double quotes, fields untouched (Procmon). */
export const RFC4180: CsvDialect = { delimiter: ',', quotes: '"', trim: false };

/** Candidate delimiters, in tie-break order. */
export const DELIMITERS = ['\t', ',', ';', '|'] as const;

/**
 * Splits `text` from `start` into `fields` (appended). Returns -1 when the record is complete,
 * else the index where the still-open quoted field begins (`fields` then holds the fields before it).
 */
function scanRecord(text: string, start: number, dialect: CsvDialect, fields: string[]): number {
  const { delimiter, quotes, trim } = dialect;
  const step = delimiter.length;
  if (step === 0) throw new Error('CSV delimiter must not be empty');
  const delimiterCode = step === 1 ? delimiter.charCodeAt(0) : -1;
  const quote0 = quotes.charCodeAt(0);
  const quote1 = quotes.length > 1 ? quotes.charCodeAt(1) : quote0;
  const anyQuote = quotes.length > 2;
  const end = text.length;
  let i = start;
  for (;;) {
    let open = i;
    if (trim) while (text.charCodeAt(open) === 32) open++;
    const code = text.charCodeAt(open); // NaN at the end of the text
    const quoted = code === quote0 || code === quote1 || (anyQuote && open < end && quotes.includes(text.charAt(open)));
    if (!quoted) {
      const next = text.indexOf(delimiter, i);
      const raw = next < 0 ? text.slice(i) : text.slice(i, next);
      fields.push(trim ? raw.trim() : raw);
      if (next < 0) return -1;
      i = next + step;
      continue;
    }
    // Quoted field: the common case (no doubled quote) is one slice.
    const c = text.charAt(open);
    let from = open + 1;
    let q = text.indexOf(c, from);
    if (q < 0) return open;
    let field = text.slice(from, q);
    while (text.charCodeAt(q + 1) === code) {
      from = q + 2;
      q = text.indexOf(c, from);
      if (q < 0) return open;
      field += c + text.slice(from, q);
    }
    i = q + 1;
    if (i >= end) {
      fields.push(field);
      return -1;
    }
    if (delimiterCode >= 0 ? text.charCodeAt(i) === delimiterCode : text.startsWith(delimiter, i)) {
      fields.push(field);
      i += step;
      continue;
    }
    const next = text.indexOf(delimiter, i);
    fields.push(next < 0 ? field + text.slice(i) : field + text.slice(i, next));
    if (next < 0) return -1;
    i = next + step;
  }
}

/** The content so far of the quoted field left open at `open` (every quote in it is doubled). */
function openFieldText(text: string, open: number, dialect: CsvDialect): string {
  let at = open;
  if (dialect.trim) while (text.charCodeAt(at) === 32) at++;
  const q = text[at] ?? '"';
  return text.slice(at + 1).replaceAll(q + q, q);
}

/** Splits one record; null when a quoted field is still open at the end of `text`. */
export function splitCsv(text: string, dialect: CsvDialect = RFC4180): string[] | null {
  const fields: string[] = [];
  return scanRecord(text, 0, dialect, fields) < 0 ? fields : null;
}

/** Counts each candidate delimiter outside quotes; the most frequent one wins (ties: tab, comma…). */
export function detectDelimiter(headerLine: string): string {
  let best: string = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = splitOneLine(headerLine, d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** Splits a line that is known to be a whole record (for detection and headers); trims unquoted fields. */
export function splitOneLine(line: string, delimiter: string): string[] {
  const reader = new CsvRecordReader(delimiter);
  return reader.push(line) ?? reader.partialFields();
}

/**
 * Assembles records from physical lines. Unquoted fields are trimmed unless the dialect says
 * otherwise; a line that leaves a quote open is held and the next one continues the record.
 */
export class CsvRecordReader {
  readonly dialect: CsvDialect;
  /** The open record's text (lines joined by "\n"), its completed fields and where its open field starts. */
  private text = '';
  private done: string[] = [];
  private openAt = 0;
  private lines = 0;

  /** A delimiter alone means double quotes and trimmed unquoted fields (generic CSV/TSV). */
  constructor(delimiterOrDialect: string | CsvDialect) {
    this.dialect =
      typeof delimiterOrDialect === 'string' ? { delimiter: delimiterOrDialect, quotes: '"', trim: true } : delimiterOrDialect;
  }

  get delimiter(): string {
    return this.dialect.delimiter;
  }

  /** Physical lines in the record being assembled (0 when none is open). */
  get openLines(): number {
    return this.lines;
  }

  /** Characters held for the open record, to bound memory on an unterminated quote. */
  get openChars(): number {
    return this.lines === 0 ? 0 : this.text.length - (this.lines - 1);
  }

  /** The open record's physical lines joined by "\n" ('' when none is open). */
  get openText(): string {
    return this.text;
  }

  /** The fields of the open record so far, the open one last. */
  partialFields(): string[] {
    if (this.lines === 0) return [''];
    return [...this.done, openFieldText(this.text, this.openAt, this.dialect)];
  }

  /** Drops the open record (after the caller gave up on an unterminated quote). */
  reset(): void {
    this.text = '';
    this.done = [];
    this.openAt = 0;
    this.lines = 0;
  }

  /** Feeds one physical line; returns the fields when the record is complete, else null. */
  push(line: string): string[] | null {
    if (this.lines === 0) {
      const fields: string[] = [];
      const open = scanRecord(line, 0, this.dialect, fields);
      if (open < 0) return fields;
      this.text = line;
      this.done = fields;
      this.openAt = open;
      this.lines = 1;
      return null;
    }
    // Resume at the open field: the fields before it are settled.
    this.text += `\n${line}`;
    this.lines++;
    const fields = this.done.slice();
    const open = scanRecord(this.text, this.openAt, this.dialect, fields);
    if (open < 0) {
      this.reset();
      return fields;
    }
    this.done = fields;
    this.openAt = open;
    return null;
  }
}
