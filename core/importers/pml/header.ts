// The fixed PML header (0x3A8 bytes): version, word size, event count and the file offsets of
// the tables. Layout from the reverse-engineered description published with the MIT-licensed
// procmon-parser project (docs/PML Format.md); the code here is our own.
import { ByteCursor, PmlFormatError } from './bytes.ts';

export const PML_MAGIC = 'PML_';
export const PML_HEADER_SIZE = 0x3a8;
/** The only version Procmon 3.x/4.x writes and the only one whose layout is known. */
export const PML_SUPPORTED_VERSION = 9;

export interface PmlHeader {
  version: number;
  is64bit: boolean;
  computerName: string;
  systemRoot: string;
  eventCount: number;
  eventsOffset: number;
  eventOffsetsOffset: number;
  processTableOffset: number;
  stringTableOffset: number;
  iconTableOffset: number;
  hostsAndPortsOffset: number;
  windowsVersion: string;
}

export function hasPmlMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4d && bytes[2] === 0x4c && bytes[3] === 0x5f;
}

export function readPmlHeader(bytes: Uint8Array, fileSize: number): PmlHeader {
  if (!hasPmlMagic(bytes)) throw new Error('not a Procmon PML log: the file does not start with "PML_"');
  if (bytes.length < PML_HEADER_SIZE) throw new Error(`not a Procmon PML log: header truncated (${bytes.length} bytes)`);
  const c = new ByteCursor(bytes, 4);
  const version = c.u32();
  if (version !== PML_SUPPORTED_VERSION) {
    throw new Error(`Procmon PML version ${version} is not supported (only version ${PML_SUPPORTED_VERSION}); export it to CSV from Procmon instead`);
  }
  const is64bit = c.u32() !== 0;
  const computerName = c.utf16(0x20);
  const systemRoot = c.utf16(0x208);
  const eventCount = c.u32();
  c.skip(8);
  const eventsOffset = c.u64n();
  const eventOffsetsOffset = c.u64n();
  const processTableOffset = c.u64n();
  const stringTableOffset = c.u64n();
  const iconTableOffset = c.u64n();
  c.skip(0xc);
  const winMajor = c.u32();
  const winMinor = c.u32();
  const winBuild = c.u32();
  const winRevision = c.u32();
  c.pos = 0x3a0;
  const hostsAndPortsOffset = c.u64n();
  const offsets = { eventsOffset, eventOffsetsOffset, processTableOffset, stringTableOffset, hostsAndPortsOffset };
  for (const [name, value] of Object.entries(offsets)) {
    if (value === 0) throw new Error('the PML log was not closed cleanly (Procmon still capturing or crashed): its tables are missing');
    if (value > fileSize) throw new PmlFormatError(`header field ${name} points past the end of the file`);
  }
  return {
    version,
    is64bit,
    computerName,
    systemRoot,
    eventCount,
    eventsOffset,
    eventOffsetsOffset,
    processTableOffset,
    stringTableOffset,
    iconTableOffset,
    hostsAndPortsOffset,
    windowsVersion: `${winMajor}.${winMinor}.${winBuild}.${winRevision}`,
  };
}

/** End of the table starting at `start`: the next table's start, or the end of the file. */
export function tableEnd(header: PmlHeader, start: number, fileSize: number): number {
  const starts = [
    header.eventsOffset,
    header.eventOffsetsOffset,
    header.processTableOffset,
    header.stringTableOffset,
    header.iconTableOffset,
    header.hostsAndPortsOffset,
  ].filter((o) => o > start);
  return starts.length > 0 ? Math.min(...starts) : fileSize;
}
