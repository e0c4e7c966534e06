// IIS logs in the W3C extended format: directives (`#Software:`, `#Version:`, `#Date:`,
// `#Fields:`) then space-separated rows whose columns the last `#Fields:` names. IIS writes a new
// header block whenever it restarts or its logged fields change, so the layout may change
// mid-file. Times are UTC (IIS always writes W3C times in UTC); "-" is an empty value; IIS
// replaces spaces inside values with "+", so the user agent reads back with spaces.
import { isoToUs } from '../util/time.ts';
import { intOrNull, orNull, type AccessRecord, type FieldValue } from './access-log-record.ts';

/** W3C field names read into the record itself (lower case); the rest go to `extra`. */
const MAPPED = new Set(['date', 'time', 'c-ip', 'cs-username', 'cs-method', 'cs-uri-stem', 'cs-uri-query', 'cs-version', 'sc-status', 'sc-bytes', 'cs(referer)', 'cs(user-agent)', 's-computername', 's-port', 'time-taken']);

/** Directives of the W3C extended format (a "#" line with another name is a comment). */
const W3C_DIRECTIVES = new Set(['version', 'fields', 'software', 'date', 'start-date', 'end-date', 'remark']);

/** Whether a `#Fields:` list describes web requests (rather than, say, a firewall log). */
export function isWebFieldList(fields: readonly string[]): boolean {
  const lower = fields.map((f) => f.toLowerCase());
  return lower.includes('cs-uri-stem') || lower.includes('cs-method');
}

/** The layout a W3C file declares, kept across rows until the next `#Fields:`. */
export class W3cLayout {
  private fields: string[] | null = null;
  /** Date from `#Date:`, for rows whose layout has a time but no date column. */
  private headerDate: string | null = null;

  /** Whether a W3C header was seen: then rows are W3C rows, even before a #Fields: line. */
  private declared = false;

  get active(): boolean {
    return this.declared;
  }

  /** Reads a `#…` line; unknown directives and comments change nothing. */
  directive(line: string): void {
    const m = /^#\s*([A-Za-z-]+):\s*(.*)$/.exec(line.trim());
    if (!m) return;
    const name = (m[1] ?? '').toLowerCase();
    const value = (m[2] ?? '').trim();
    if (W3C_DIRECTIVES.has(name)) this.declared = true;
    if (name === 'fields') this.fields = value.split(/\s+/).filter((f) => f !== '');
    if (name === 'date') this.headerDate = /^(\d{4}-\d{2}-\d{2})/.exec(value)?.[1] ?? null;
  }

  /** One data row → a record, or why it is not one. */
  row(line: string): AccessRecord | string {
    const fields = this.fields;
    if (fields === null) return 'W3C row before any #Fields: directive';
    const values = line.trim().split(/\s+/);
    if (values.length !== fields.length) return `${values.length} values for the ${fields.length} fields named by #Fields:`;
    const byName = new Map<string, string>();
    fields.forEach((f, i) => byName.set(f.toLowerCase(), values[i] ?? '-'));
    const get = (name: string): string | null => orNull(byName.get(name));

    const date = get('date') ?? this.headerDate;
    const time = get('time');
    if (date === null || time === null) return 'no date and time in the row (#Fields: needs date and time, or #Date: a date)';
    const tsUs = isoToUs(`${date}T${time}Z`);
    if (tsUs === null) return `unreadable date/time "${date} ${time}"`;

    const stem = get('cs-uri-stem');
    const query = get('cs-uri-query');
    const taken = intOrNull(get('time-taken'));
    const extra: Record<string, FieldValue> = {};
    for (const [name, value] of byName) {
      if (MAPPED.has(name) || value === '-') continue;
      extra[name] = /^\d{1,15}$/.test(value) ? Number(value) : value;
    }
    return {
      variant: 'iis-w3c',
      tsUs,
      client: get('c-ip'),
      user: get('cs-username'),
      method: get('cs-method'),
      uri: stem === null ? null : query === null ? stem : `${stem}?${query}`,
      protocol: get('cs-version'),
      requestLine: null,
      status: intOrNull(get('sc-status')),
      bytes: intOrNull(get('sc-bytes')),
      referer: get('cs(referer)'),
      userAgent: get('cs(user-agent)')?.replaceAll('+', ' ') ?? null,
      server: get('s-computername'),
      serverPort: intOrNull(get('s-port')),
      durUs: taken === null ? null : taken * 1000, // time-taken is in milliseconds
      extra,
    };
  }
}
