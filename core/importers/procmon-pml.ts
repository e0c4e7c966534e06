// Native Procmon logs (.PML, format version 9). The header points at the tables; events are
// read one by one through the event-offset array with a windowed reader, so memory stays
// bounded by the string/process tables, never the event count. Times are Windows FILETIMEs in
// UTC, so unlike the CSV export no date or zone is needed. See docs/formats/procmon.md.
import type { BinaryImporter, ByteSource, ImportContext, ImportSink } from './types.ts';
import { procmonRecordToEvent, type ProcmonRecord } from './procmon-ops.ts';
import { ByteCursor, filetimeToUs, PmlFormatError, WindowedReader } from './pml/bytes.ts';
import { readPmlDetail } from './pml/details.ts';
import { hasPmlMagic, PML_HEADER_SIZE, readPmlHeader, tableEnd, type PmlHeader } from './pml/header.ts';
import { PML_EVENT_CLASSES, pmlOperationName, pmlResultText } from './pml/operations.ts';
import { readNameCaches, readProcessTable, readStringTable, type NameCaches, type PmlProcess } from './pml/tables.ts';

/** Metadata tables larger than this are a corrupt header, not a real capture. */
const MAX_TABLE_BYTES = 512 * 1024 * 1024;
const EVENT_HEADER_SIZE = 0x34;
const OFFSET_ENTRY_SIZE = 5; // u32 file offset + u8 flags
const OFFSETS_PER_CHUNK = 65_536;

async function readTable(source: ByteSource, header: PmlHeader, start: number, what: string): Promise<Uint8Array> {
  const end = tableEnd(header, start, source.size);
  const size = end - start;
  if (size <= 0 || size > MAX_TABLE_BYTES) throw new PmlFormatError(`${what} has an impossible size (${size} bytes)`);
  return source.read(start, size);
}

interface PmlTables {
  header: PmlHeader;
  processes: Map<number, PmlProcess>;
  names: NameCaches;
}

async function readTables(source: ByteSource, sink: ImportSink): Promise<PmlTables> {
  const header = readPmlHeader(await source.read(0, PML_HEADER_SIZE), source.size);
  const strings = readStringTable(await readTable(source, header, header.stringTableOffset, 'string table'));
  const processes = readProcessTable(
    await readTable(source, header, header.processTableOffset, 'process table'),
    strings,
    header.is64bit,
  );
  let names: NameCaches = { hosts: new Map(), ports: new Map() };
  try {
    names = readNameCaches(await readTable(source, header, header.hostsAndPortsOffset, 'host/port table'));
  } catch (err) {
    // Without the name caches endpoints are still printed, as numbers.
    sink.warn(`PML host/port name table unreadable (${(err as Error).message}); network endpoints shown as numbers`);
  }
  return { header, processes, names };
}

function rawHex(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 64), (b) => b.toString(16).padStart(2, '0')).join('');
}

class PmlEventReader {
  private readonly reader: WindowedReader;

  constructor(
    source: ByteSource,
    private readonly tables: PmlTables,
    private readonly ctx: ImportContext,
  ) {
    this.reader = new WindowedReader(source);
  }

  /** The event at `offset` as a Procmon record, or a reason it cannot be read. */
  async read(offset: number): Promise<ProcmonRecord | { reject: string; raw: string }> {
    const { header, processes, names } = this.tables;
    const head = await this.reader.read(offset, EVENT_HEADER_SIZE);
    const c = new ByteCursor(head);
    const processIndex = c.u32();
    const tid = c.u32();
    const classNumber = c.u32();
    const opNumber = c.u16();
    c.skip(6);
    const duration = c.u64();
    const filetime = c.u64();
    const status = c.u32();
    const stackDepth = c.u16();
    c.skip(2);
    const detailSize = c.u32();
    const raw = rawHex(head);
    const eventClass = PML_EVENT_CLASSES[classNumber];
    if (!eventClass) return { reject: `unknown event class ${classNumber}`, raw };
    const baseOp = pmlOperationName(eventClass, opNumber);
    if (baseOp === null) return { reject: `unknown ${eventClass} operation ${opNumber}`, raw };
    const process = processes.get(processIndex);
    if (!process) return { reject: `event refers to unknown process index ${processIndex}`, raw };
    if (filetime === 0n) return { reject: 'event has no time stamp', raw };
    const detailStart = offset + EVENT_HEADER_SIZE + stackDepth * (header.is64bit ? 8 : 4);
    const block = await this.reader.read(detailStart, detailSize);
    const detail = readPmlDetail(block, eventClass, baseOp, { is64bit: header.is64bit, names, tid });
    return {
      tsUs: filetimeToUs(filetime),
      durUs: Math.round(Number(duration) / 10),
      pid: process.pid,
      tid,
      ppid: process.parentPid,
      process: process.name || null,
      op: detail.op,
      eventClass,
      path: detail.path,
      result: pmlResultText(status),
      detail: detail.detail,
      host: this.ctx.host ?? (header.computerName || null),
      extra: {
        image_path: process.imagePath || null,
        command_line: process.commandLine || null,
        user: process.user || null,
        integrity: process.integrity || null,
        session: process.session,
        architecture: process.is64bit ? '64-bit' : '32-bit',
      },
    };
  }
}

async function* eventOffsets(source: ByteSource, header: PmlHeader, sink: ImportSink): AsyncGenerator<number> {
  const capacity = Math.floor((tableEnd(header, header.eventOffsetsOffset, source.size) - header.eventOffsetsOffset) / OFFSET_ENTRY_SIZE);
  let count = header.eventCount;
  if (count > capacity) {
    sink.warn(`PML header announces ${count} events but its offset table holds ${capacity}; reading ${capacity}`);
    count = capacity;
  }
  for (let first = 0; first < count; first += OFFSETS_PER_CHUNK) {
    const n = Math.min(OFFSETS_PER_CHUNK, count - first);
    const c = new ByteCursor(await source.read(header.eventOffsetsOffset + first * OFFSET_ENTRY_SIZE, n * OFFSET_ENTRY_SIZE));
    for (let i = 0; i < n; i++) {
      const offset = c.u32();
      c.skip(1);
      yield offset;
    }
  }
}

export const procmonPmlImporter: BinaryImporter = {
  mode: 'binary',
  format: 'procmon-pml',
  module: import.meta.url,
  title: 'Sysinternals Process Monitor native log (PML)',
  reads: 'Procmon .PML backing/saved logs, format version 9, 32- and 64-bit captures',
  version: '1.0.0',
  detect(sample) {
    return hasPmlMagic(sample.bytes) ? 0.99 : 0;
  },
  async parse(source, ctx, sink) {
    const tables = await readTables(source, sink);
    const events = new PmlEventReader(source, tables, ctx);
    let record = 0;
    for await (const offset of eventOffsets(source, tables.header, sink)) {
      record++;
      try {
        const result = await events.read(offset);
        if ('reject' in result) sink.reject(record, result.reject, result.raw);
        else sink.event(procmonRecordToEvent(result, record));
      } catch (err) {
        if (!(err instanceof PmlFormatError)) throw err;
        sink.reject(record, `unreadable event at offset ${offset}: ${err.message}`, '');
      }
    }
  },
};
