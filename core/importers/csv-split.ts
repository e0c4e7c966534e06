// RFC 4180 field splitting for CSV/TSV fed one physical line at a time. A quoted field may
// hold delimiters, doubled quotes ("") and newlines; a newline inside quotes means the record
// continues on the next physical line, so the reader returns null until the record closes.

/** Candidate delimiters, in tie-break order. */
const DELIMITERS = ['\t', ',', ';', '|'] as const;

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

/** Splits a line that is known to be a whole record (for detection and headers). */
export function splitOneLine(line: string, delimiter: string): string[] {
  const reader = new CsvRecordReader(delimiter);
  return reader.push(line) ?? [...reader.partialFields()];
}

export class CsvRecordReader {
  private fields: string[] = [];
  private cur = '';
  private inQuotes = false;
  /** True while the current field started with a quote (so text after the closing quote is kept). */
  private quotedField = false;
  private lines = 0;
  private chars = 0;

  constructor(readonly delimiter: string) {}

  /** Physical lines in the record being assembled (0 when none is open). */
  get openLines(): number {
    return this.lines;
  }

  /** Characters held for the open record, to bound memory on an unterminated quote. */
  get openChars(): number {
    return this.chars;
  }

  partialFields(): string[] {
    return [...this.fields, this.cur];
  }

  /** Drops the open record (after the caller gave up on an unterminated quote). */
  reset(): void {
    this.fields = [];
    this.cur = '';
    this.inQuotes = false;
    this.quotedField = false;
    this.lines = 0;
    this.chars = 0;
  }

  /** Feeds one physical line; returns the fields when the record is complete, else null. */
  push(line: string): string[] | null {
    if (this.lines > 0) this.cur += '\n'; // the newline was inside quotes
    this.lines++;
    this.chars += line.length;
    const d = this.delimiter;
    let atFieldStart = this.lines === 1; // a continued line starts inside a quoted field
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (this.inQuotes) {
        if (c === '"') {
          if (line[i + 1] === '"') {
            this.cur += '"';
            i++;
          } else {
            this.inQuotes = false;
          }
        } else {
          this.cur += c;
        }
        continue;
      }
      if (c === d) {
        this.fields.push(this.quotedField ? this.cur : this.cur.trim());
        this.cur = '';
        this.quotedField = false;
        atFieldStart = true;
        continue;
      }
      if (c === '"' && atFieldStart && this.cur.trim() === '') {
        this.cur = '';
        this.inQuotes = true;
        this.quotedField = true;
        atFieldStart = false;
        continue;
      }
      if (c !== ' ') atFieldStart = false;
      this.cur += c;
    }
    if (this.inQuotes) return null;
    const out = [...this.fields, this.quotedField ? this.cur : this.cur.trim()];
    this.reset();
    return out;
  }
}
