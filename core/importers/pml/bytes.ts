// Little-endian readers for the PML layout: a cursor over one in-memory block, and a windowed
// reader over the random-access ByteSource so a large log is read in chunks, never whole.
import type { ByteSource } from '../types.ts';

/** Raised when a structure points outside the block it should live in. */
export class PmlFormatError extends Error {
  override name = 'PmlFormatError';
}

const UTF16 = new TextDecoder('utf-16le', { fatal: false });
const LATIN1 = new TextDecoder('latin1', { fatal: false });

export class ByteCursor {
  private readonly view: DataView;
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  private need(n: number): number {
    if (n < 0 || this.pos + n > this.bytes.length) {
      throw new PmlFormatError(`structure overruns its block (need ${n} bytes at ${this.pos} of ${this.bytes.length})`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  skip(n: number): void {
    this.need(n);
  }

  u8(): number {
    return this.view.getUint8(this.need(1));
  }

  u16(): number {
    return this.view.getUint16(this.need(2), true);
  }

  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }

  i32(): number {
    return this.view.getInt32(this.need(4), true);
  }

  u64(): bigint {
    return this.view.getBigUint64(this.need(8), true);
  }

  /** A u64 that fits a JS number (offsets, sizes); larger values are a corrupt file. */
  u64n(): number {
    const v = this.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new PmlFormatError(`64-bit value too large: ${v}`);
    return Number(v);
  }

  /** A pointer-sized value (4 bytes on 32-bit captures, 8 on 64-bit). */
  pvoid(is64: boolean): bigint {
    return is64 ? this.u64() : BigInt(this.u32());
  }

  bytesOf(n: number): Uint8Array {
    const at = this.need(n);
    return this.bytes.subarray(at, at + n);
  }

  /** UTF-16LE text of `byteLength` bytes, trailing NULs removed. */
  utf16(byteLength: number): string {
    return UTF16.decode(this.bytesOf(byteLength)).replace(/\0+$/, '');
  }

  latin1(byteLength: number): string {
    return LATIN1.decode(this.bytesOf(byteLength)).replace(/\0+$/, '');
  }
}

/** Reads ranges of a ByteSource through a cached window, so sequential small reads stay cheap. */
export class WindowedReader {
  private windowStart = 0;
  private window: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly source: ByteSource,
    private readonly windowBytes = 1 << 20,
  ) {}

  get size(): number {
    return this.source.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || offset + length > this.source.size) {
      throw new PmlFormatError(`range ${offset}+${length} lies outside the file (${this.source.size} bytes)`);
    }
    const inWindow = offset >= this.windowStart && offset + length <= this.windowStart + this.window.length;
    if (!inWindow) {
      const want = Math.min(Math.max(length, this.windowBytes), this.source.size - offset);
      this.window = await this.source.read(offset, want);
      this.windowStart = offset;
      if (this.window.length < length) throw new PmlFormatError(`short read at ${offset}`);
    }
    const from = offset - this.windowStart;
    return this.window.subarray(from, from + length);
  }
}

/** 100-ns intervals since 1601-01-01 UTC (Windows FILETIME) → µs since the Unix epoch. */
export function filetimeToUs(filetime: bigint): number {
  const EPOCH_DIFF_100NS = 116444736000000000n;
  return Number((filetime - EPOCH_DIFF_100NS) / 10n);
}
