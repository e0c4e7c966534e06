// Typed values of EVTX BinXML substitutions, rendered as text the way Windows' own XML
// rendering (and evtxexport) writes them, so an .evtx file and its XML export map to the
// same canonical events.

/** BinXML value types (MS-EVEN6 §2.2.12 / libevtx documentation). */
export const VALUE_TYPE = {
  Null: 0x00,
  String: 0x01,
  AnsiString: 0x02,
  Int8: 0x03,
  UInt8: 0x04,
  Int16: 0x05,
  UInt16: 0x06,
  Int32: 0x07,
  UInt32: 0x08,
  Int64: 0x09,
  UInt64: 0x0a,
  Real32: 0x0b,
  Real64: 0x0c,
  Bool: 0x0d,
  Binary: 0x0e,
  Guid: 0x0f,
  SizeT: 0x10,
  FileTime: 0x11,
  SystemTime: 0x12,
  Sid: 0x13,
  HexInt32: 0x14,
  HexInt64: 0x15,
  EvtHandle: 0x20,
  BinXml: 0x21,
  EvtXml: 0x23,
} as const;

/** Set on a value type when the value is an array of the base type. */
export const ARRAY_FLAG = 0x80;

/** 100 ns intervals between 1601-01-01 and 1970-01-01. */
const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;

/** FILETIME (100 ns since 1601, UTC) → "2017-12-26T13:10:29.1368792Z" (7 fraction digits). */
export function fileTimeToIso(ticks: bigint): string {
  const sinceUnix = ticks - FILETIME_UNIX_EPOCH;
  const seconds = sinceUnix / 10_000_000n;
  let rest = sinceUnix % 10_000_000n;
  let secs = seconds;
  if (rest < 0n) {
    rest += 10_000_000n;
    secs -= 1n;
  }
  const base = new Date(Number(secs) * 1000).toISOString().slice(0, 19);
  return `${base}.${rest.toString().padStart(7, '0')}Z`;
}

/** FILETIME → µs since the Unix epoch (truncated, so order is kept). */
export function fileTimeToUs(ticks: bigint): number {
  const sinceUnix = ticks - FILETIME_UNIX_EPOCH;
  const us = sinceUnix / 10n;
  return Number(sinceUnix < 0n && sinceUnix % 10n !== 0n ? us - 1n : us);
}

export function guidToString(bytes: Uint8Array, at: number): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, 16);
  const hex = (n: number, digits: number): string => n.toString(16).padStart(digits, '0');
  const tail = Array.from(bytes.subarray(at + 8, at + 16), (b) => hex(b, 2)).join('');
  return `{${hex(view.getUint32(0, true), 8)}-${hex(view.getUint16(4, true), 4)}-${hex(view.getUint16(6, true), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}}`.toUpperCase();
}

export function sidToString(bytes: Uint8Array, at: number, length: number): string {
  if (length < 8) return '';
  const revision = bytes[at] ?? 0;
  const count = bytes[at + 1] ?? 0;
  let authority = 0;
  for (let i = 0; i < 6; i++) authority = authority * 256 + (bytes[at + 2 + i] ?? 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts = [`S-${revision}-${authority}`];
  for (let i = 0; i < count && 8 + 4 * i + 4 <= length; i++) parts.push(String(view.getUint32(at + 8 + 4 * i, true)));
  return parts.join('-');
}

const utf16 = new TextDecoder('utf-16le');
const latin1 = new TextDecoder('latin1');

/** UTF-16LE text without trailing NULs. */
export function utf16Text(bytes: Uint8Array, at: number, byteLength: number): string {
  return utf16.decode(bytes.subarray(at, at + byteLength)).replace(/\0+$/, '');
}

function hexPadded(value: bigint, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

function binaryToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
}

function systemTimeToIso(view: DataView, at: number): string {
  const n = (i: number): number => view.getUint16(at + 2 * i, true);
  const pad = (v: number, d = 2): string => String(v).padStart(d, '0');
  // SYSTEMTIME: year, month, day-of-week, day, hour, minute, second, milliseconds.
  return `${pad(n(0), 4)}-${pad(n(1))}-${pad(n(3))}T${pad(n(4))}:${pad(n(5))}:${pad(n(6))}.${pad(n(7), 3)}Z`;
}

/** Byte size of one element of a fixed-size type, or null for variable-size types. */
function fixedSize(type: number, valueLength: number): number | null {
  switch (type) {
    case VALUE_TYPE.Int8:
    case VALUE_TYPE.UInt8:
      return 1;
    case VALUE_TYPE.Int16:
    case VALUE_TYPE.UInt16:
      return 2;
    case VALUE_TYPE.Int32:
    case VALUE_TYPE.UInt32:
    case VALUE_TYPE.Real32:
    case VALUE_TYPE.Bool:
    case VALUE_TYPE.HexInt32:
      return 4;
    case VALUE_TYPE.Int64:
    case VALUE_TYPE.UInt64:
    case VALUE_TYPE.Real64:
    case VALUE_TYPE.FileTime:
    case VALUE_TYPE.HexInt64:
      return 8;
    case VALUE_TYPE.Guid:
    case VALUE_TYPE.SystemTime:
      return 16;
    case VALUE_TYPE.SizeT:
      return valueLength === 4 ? 4 : 8;
    default:
      return null;
  }
}

/** One fixed-size scalar at `at` → text. */
function scalarText(type: number, bytes: Uint8Array, at: number, size: number): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case VALUE_TYPE.Int8:
      return String(view.getInt8(at));
    case VALUE_TYPE.UInt8:
      return String(view.getUint8(at));
    case VALUE_TYPE.Int16:
      return String(view.getInt16(at, true));
    case VALUE_TYPE.UInt16:
      return String(view.getUint16(at, true));
    case VALUE_TYPE.Int32:
      return String(view.getInt32(at, true));
    case VALUE_TYPE.UInt32:
      return String(view.getUint32(at, true));
    case VALUE_TYPE.Int64:
      return view.getBigInt64(at, true).toString();
    case VALUE_TYPE.UInt64:
      return view.getBigUint64(at, true).toString();
    case VALUE_TYPE.Real32:
      return String(view.getFloat32(at, true));
    case VALUE_TYPE.Real64:
      return String(view.getFloat64(at, true));
    case VALUE_TYPE.Bool:
      return view.getUint32(at, true) !== 0 ? 'true' : 'false';
    case VALUE_TYPE.HexInt32:
      return hexPadded(BigInt(view.getUint32(at, true)), 8);
    case VALUE_TYPE.HexInt64:
      return hexPadded(view.getBigUint64(at, true), 16);
    case VALUE_TYPE.SizeT:
      return size === 4 ? hexPadded(BigInt(view.getUint32(at, true)), 8) : hexPadded(view.getBigUint64(at, true), 16);
    case VALUE_TYPE.FileTime:
      return fileTimeToIso(view.getBigUint64(at, true));
    case VALUE_TYPE.Guid:
      return guidToString(bytes, at);
    case VALUE_TYPE.SystemTime:
      return systemTimeToIso(view, at);
    default:
      return '';
  }
}

/**
 * Renders a substitution value (not BinXML, which the template layer expands) as text.
 * `bytes` is the value's own bytes. Arrays are joined with ", ".
 */
export function valueToText(type: number, bytes: Uint8Array): string {
  if (bytes.length === 0 || type === VALUE_TYPE.Null) return '';
  const isArray = (type & ARRAY_FLAG) !== 0;
  const base = type & ~ARRAY_FLAG;
  switch (base) {
    case VALUE_TYPE.String: {
      const text = utf16Text(bytes, 0, bytes.length);
      return isArray ? text.split('\0').join(', ') : text;
    }
    case VALUE_TYPE.AnsiString: {
      const text = latin1.decode(bytes).replace(/\0+$/, '');
      return isArray ? text.split('\0').join(', ') : text;
    }
    case VALUE_TYPE.Binary:
    case VALUE_TYPE.EvtHandle:
      return binaryToHex(bytes);
    case VALUE_TYPE.Sid:
      return sidToString(bytes, 0, bytes.length);
    default: {
      const size = fixedSize(base, bytes.length);
      if (size === null) return binaryToHex(bytes);
      if (!isArray) return bytes.length >= size ? scalarText(base, bytes, 0, size) : binaryToHex(bytes);
      const items: string[] = [];
      for (let at = 0; at + size <= bytes.length; at += size) items.push(scalarText(base, bytes, at, size));
      return items.join(', ');
    }
  }
}
