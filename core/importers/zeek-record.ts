// One Zeek log record, whichever way it was written (TSV with #fields/#types, or JSON lines with
// dotted or underscored names), behind one accessor, so the per-log mappings never care.
import type { CanonicalEvent } from '../model/event.ts';

export type Scalar = string | number | boolean | null;

export interface ZeekRecord {
  /** Log type: conn, dns, modbus, … (from #path, _path/@stream, the fields present or the file name). */
  path: string;
  /** Field value as text: null when unset or absent, "" for an empty set. Sets/vectors joined by ",". */
  get(name: string): string | null;
  /** Field value as a number, or null. */
  num(name: string): number | null;
  /** The set or vector value as a list (split on the set separator for TSV). */
  list(name: string): string[];
  has(name: string): boolean;
  /** Every field with a typed value, in source order, for `fields`. */
  all(): Record<string, Scalar>;
}

/** What a log mapping adds to the time and line the importer already knows. */
export type MappedEvent = Omit<CanonicalEvent, 'ts_us' | 'source_line'>;

/** Builds a record from named values; `alt` lets "id.orig_h" find "id_orig_h" in JSON. */
export function makeRecord(path: string, values: Map<string, Scalar | string[]>): ZeekRecord {
  const lookup = (name: string): Scalar | string[] | undefined => {
    if (values.has(name)) return values.get(name);
    const underscored = name.replace(/\./g, '_');
    if (values.has(underscored)) return values.get(underscored);
    return undefined;
  };
  return {
    path,
    get(name) {
      const v = lookup(name);
      if (v === undefined || v === null) return null;
      if (Array.isArray(v)) return v.join(',');
      return String(v);
    },
    num(name) {
      const v = lookup(name);
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v.trim())) return Number(v);
      return null;
    },
    list(name) {
      const v = lookup(name);
      if (v === undefined || v === null) return [];
      if (Array.isArray(v)) return v;
      return String(v) === '' ? [] : [String(v)];
    },
    has(name) {
      const v = lookup(name);
      return v !== undefined && v !== null;
    },
    all() {
      const out: Record<string, Scalar> = {};
      for (const [k, v] of values) out[k] = Array.isArray(v) ? v.join(',') : v;
      return out;
    },
  };
}

/** "\x09" → tab: Zeek escapes the separator and non-printable bytes as \xHH. */
export function unescapeZeek(text: string): string {
  if (!text.includes('\\x')) return text;
  return text.replace(/\\x([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The header of one TSV block (the # lines before data). */
export interface TsvHeader {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
  path: string | null;
  fields: string[] | null;
  types: string[] | null;
}

export function defaultTsvHeader(): TsvHeader {
  return { separator: '\t', setSeparator: ',', emptyField: '(empty)', unsetField: '-', path: null, fields: null, types: null };
}

/**
 * Applies one "#…" header line to the block header. Returns "block" when it starts a new block
 * (#separator), "header" for any other known directive, or null for a comment such as btest's
 * "### BTest baseline data …".
 */
export function applyHeaderLine(header: TsvHeader, line: string): 'block' | 'header' | null {
  const sep = /^#separator[ \t]+(.*)$/.exec(line);
  if (sep) {
    Object.assign(header, defaultTsvHeader(), { separator: unescapeZeek(sep[1] ?? '\t') || '\t' });
    return 'block';
  }
  const m = /^#([a-z_]+)(.*)$/.exec(line);
  if (!m) return null;
  const name = m[1];
  // Zeek writes the value after the separator; btest masking writes "#open XXXX" with a space.
  const rest = (m[2] ?? '').startsWith(header.separator)
    ? (m[2] ?? '').slice(header.separator.length)
    : (m[2] ?? '').replace(/^[ \t]/, '');
  switch (name) {
    case 'set_separator':
      header.setSeparator = unescapeZeek(rest);
      return 'header';
    case 'empty_field':
      header.emptyField = unescapeZeek(rest);
      return 'header';
    case 'unset_field':
      header.unsetField = unescapeZeek(rest);
      return 'header';
    case 'path':
      header.path = rest.trim() || null;
      return 'header';
    case 'fields':
      header.fields = rest.split(header.separator);
      header.types = null;
      return 'header';
    case 'types':
      header.types = rest.split(header.separator);
      return 'header';
    case 'open':
    case 'close':
      return 'header';
    default:
      return null;
  }
}

/** Converts one TSV cell by its declared type. Sets and vectors become lists. */
export function tsvValue(raw: string, type: string | undefined, header: TsvHeader): Scalar | string[] {
  if (raw === header.unsetField) return null;
  const isContainer = type !== undefined && /^(set|vector|table)\[/.test(type);
  if (isContainer) {
    if (raw === header.emptyField) return [];
    return raw.split(header.setSeparator).map(unescapeZeek);
  }
  if (raw === header.emptyField && type === 'string') return '';
  const text = unescapeZeek(raw);
  switch (type) {
    case 'bool':
      return text === 'T' ? true : text === 'F' ? false : text;
    case 'count':
    case 'int':
    case 'port': {
      const n = Number(text);
      return /^-?\d+$/.test(text) && Number.isSafeInteger(n) ? n : text;
    }
    case 'double':
    case 'interval': {
      const n = Number(text);
      return text !== '' && Number.isFinite(n) ? n : text;
    }
    default:
      return text;
  }
}

/** Flattens a JSON log object ({"id": {"orig_h": …}} → "id.orig_h"); arrays of scalars stay lists. */
export function flattenJson(obj: Record<string, unknown>, prefix = '', out = new Map<string, Scalar | string[]>()): Map<string, Scalar | string[]> {
  for (const [key, value] of Object.entries(obj)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out.set(name, value);
    } else if (Array.isArray(value)) {
      out.set(name, value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))));
    } else if (typeof value === 'object') {
      flattenJson(value as Record<string, unknown>, name, out);
    }
  }
  return out;
}
