// EVTX file header and 64 KiB chunks: where records are, and whether a chunk can be trusted.
// Layout (libevtx "Windows XML Event Log format"): a 4 KiB file header "ElfFile\0", then chunks
// "ElfChnk\0" of 65,536 bytes, each with a 512-byte header (128 fixed bytes, the common string
// offset table and the template table) followed by records "**\0\0".

export const FILE_MAGIC = 'ElfFile\0';
export const CHUNK_MAGIC = 'ElfChnk\0';
export const CHUNK_SIZE = 65_536;
export const CHUNK_HEADER_SIZE = 512;
const RECORD_MAGIC = 0x00002a2a;
const RECORD_HEADER_SIZE = 24;

const ascii = new TextDecoder('latin1');

export function hasMagic(bytes: Uint8Array, at: number, magic: string): boolean {
  return bytes.length >= at + magic.length && ascii.decode(bytes.subarray(at, at + magic.length)) === magic;
}

export interface FileHeader {
  headerBlockSize: number;
  chunkCount: number;
  nextRecordId: number;
  version: string;
  dirty: boolean;
  full: boolean;
}

export function readFileHeader(bytes: Uint8Array): FileHeader | null {
  if (bytes.length < 128 || !hasMagic(bytes, 0, FILE_MAGIC)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const flags = view.getUint32(120, true);
  const blockSize = view.getUint16(40, true);
  return {
    // A damaged header must not move the first chunk: 4096 is the only size Windows writes.
    headerBlockSize: blockSize === 4096 ? blockSize : 4096,
    chunkCount: view.getUint16(42, true),
    nextRecordId: Number(view.getBigUint64(24, true)),
    version: `${view.getUint16(38, true)}.${view.getUint16(36, true)}`,
    dirty: (flags & 1) !== 0,
    full: (flags & 2) !== 0,
  };
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(parts: Uint8Array[]): number {
  let crc = 0xffffffff;
  for (const part of parts) {
    for (const byte of part) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export type ChunkCheck =
  | { status: 'ok'; headerCrc: 'match' | 'absent' | 'mismatch'; firstRecordId: number; lastRecordId: number; freeSpaceOffset: number }
  | { status: 'unused' }
  | { status: 'damaged'; reason: string };

/** Judges a chunk from its header. A missing CRC (zero) is accepted: some writers omit it. */
export function checkChunk(chunk: Uint8Array): ChunkCheck {
  if (chunk.length < CHUNK_HEADER_SIZE) return { status: 'damaged', reason: `only ${chunk.length} bytes (truncated file)` };
  if (chunk.every((b) => b === 0)) return { status: 'unused' };
  if (!hasMagic(chunk, 0, CHUNK_MAGIC)) {
    const seen = Array.from(chunk.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
    const wiped = chunk.subarray(0, 128).every((b) => b === 0);
    return { status: 'damaged', reason: wiped ? 'chunk header wiped (all zero) but the chunk holds data' : `bad chunk signature (${seen})` };
  }
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const stored = view.getUint32(124, true);
  const computed = crc32([chunk.subarray(0, 120), chunk.subarray(128, CHUNK_HEADER_SIZE)]);
  return {
    status: 'ok',
    headerCrc: stored === 0 ? 'absent' : stored === computed ? 'match' : 'mismatch',
    firstRecordId: Number(view.getBigUint64(24, true)),
    lastRecordId: Number(view.getBigUint64(32, true)),
    freeSpaceOffset: view.getUint32(48, true),
  };
}

export interface RecordSlice {
  recordId: number;
  /** FILETIME the record was written (record header). */
  writtenTicks: bigint;
  /** Chunk offset of the record. */
  offset: number;
  /** BinXML payload bounds, chunk-relative. */
  binXmlStart: number;
  binXmlEnd: number;
}

export type RecordScan = { record: RecordSlice } | { corrupt: { offset: number; reason: string } };

/**
 * Walks records from the end of the chunk header while record signatures and sizes hold up.
 * The chunk's free-space offset is not trusted as the end (a dirty chunk may hold records past
 * it); a broken record before that offset is reported, after it the walk simply ends.
 */
export function* scanRecords(chunk: Uint8Array, freeSpaceOffset: number): Generator<RecordScan> {
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let at = CHUNK_HEADER_SIZE;
  while (at + RECORD_HEADER_SIZE + 4 <= chunk.length) {
    const magic = view.getUint32(at, true);
    const size = view.getUint32(at + 4, true);
    const sane = magic === RECORD_MAGIC && size >= RECORD_HEADER_SIZE + 4 && at + size <= chunk.length;
    if (!sane || view.getUint32(at + size - 4, true) !== size) {
      const beforeEnd = freeSpaceOffset > CHUNK_HEADER_SIZE && freeSpaceOffset <= chunk.length && at < freeSpaceOffset;
      if (beforeEnd) {
        const reason =
          magic !== RECORD_MAGIC
            ? 'bad record signature'
            : at + size > chunk.length || size < RECORD_HEADER_SIZE + 4
              ? `impossible record size ${size}`
              : `record of ${size} bytes whose trailing size copy does not match (overwritten or cut short)`;
        yield { corrupt: { offset: at, reason } };
      }
      return;
    }
    yield {
      record: {
        recordId: Number(view.getBigUint64(at + 8, true)),
        writtenTicks: view.getBigUint64(at + 16, true),
        offset: at,
        binXmlStart: at + RECORD_HEADER_SIZE,
        binXmlEnd: at + size - 4,
      },
    };
    at += size;
  }
}
