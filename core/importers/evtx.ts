// Windows Event Log files (.evtx): chunk by chunk, record by record, BinXML decoded into the
// same XML tree the XML importer builds, then mapped by windows-events.ts. Chunk headers are
// trusted over the file header (which is often stale in a dirty file), and a damaged chunk is
// reported and skipped while the chunks after it are still read.
import type { BinaryImporter, ImportSink } from './types.ts';
import { BinXmlError, ChunkBinXml, findEventElement } from './evtx/binxml.ts';
import { checkChunk, CHUNK_MAGIC, CHUNK_SIZE, FILE_MAGIC, hasMagic, readFileHeader, scanRecords, type RecordSlice } from './evtx/chunk.ts';
import { fileTimeToUs } from './evtx/values.ts';
import { windowsEventFromXml } from './evtx/xml-tree.ts';
import { WindowsEventEmitter } from './evtx/clock-alignment.ts';

/** Where chunks start: after the 4 KiB file header, or at 0 for a chunk carved out on its own. */
function firstChunkOffset(head: Uint8Array, sink: ImportSink): { start: number; headerChunks: number } {
  const header = readFileHeader(head);
  if (header) {
    if (header.dirty) {
      sink.warn('EVTX file header is marked dirty (the log was not closed cleanly); records were read from the chunks, not the header.');
    }
    return { start: header.headerBlockSize, headerChunks: header.chunkCount };
  }
  if (hasMagic(head, 0, CHUNK_MAGIC)) {
    sink.warn('no EVTX file header: the file starts with a chunk (carved data); reading chunks only.');
    return { start: 0, headerChunks: 0 };
  }
  if (hasMagic(head, 4096, CHUNK_MAGIC)) {
    sink.warn('EVTX file header is damaged; reading chunks from offset 4096.');
    return { start: 4096, headerChunks: 0 };
  }
  throw new Error(`not an EVTX file: no "ElfFile" header and no "ElfChnk" chunk at the start`);
}

function decodeRecord(
  decoder: ChunkBinXml,
  record: RecordSlice,
  sink: ImportSink,
  emitter: WindowsEventEmitter,
): void {
  let nodes;
  try {
    nodes = decoder.decode(record.binXmlStart, record.binXmlEnd);
  } catch (err) {
    const why = err instanceof BinXmlError ? err.message : String(err);
    return sink.reject(record.recordId, `record ${record.recordId}: unreadable BinXML: ${why}`, `chunk offset ${record.offset}`);
  }
  const root = findEventElement(nodes);
  if (!root) return sink.reject(record.recordId, `record ${record.recordId}: BinXML holds no <Event> element`, `chunk offset ${record.offset}`);
  const ev = windowsEventFromXml(root);
  if (typeof ev === 'string') return sink.reject(record.recordId, `record ${record.recordId}: ${ev}`, `chunk offset ${record.offset}`);
  emitter.add(ev, record.recordId, `record ${record.recordId} at chunk offset ${record.offset}`, fileTimeToUs(record.writtenTicks));
}

/** Reads every record of one chunk; returns the last record id seen. */
function readChunk(
  chunk: Uint8Array,
  index: number,
  freeSpaceOffset: number,
  lastRecordId: number,
  sink: ImportSink,
  emitter: WindowsEventEmitter,
): number {
  const decoder = new ChunkBinXml(chunk);
  for (const scanned of scanRecords(chunk, freeSpaceOffset)) {
    if ('corrupt' in scanned) {
      const reason = `chunk ${index}: ${scanned.corrupt.reason} at chunk offset ${scanned.corrupt.offset}; rest of the chunk skipped`;
      sink.reject(lastRecordId + 1, reason, `chunk ${index}`);
      break;
    }
    decodeRecord(decoder, scanned.record, sink, emitter);
    lastRecordId = scanned.record.recordId;
  }
  return lastRecordId;
}

export const evtxImporter: BinaryImporter = {
  mode: 'binary',
  format: 'evtx',
  module: import.meta.url,
  title: 'Windows Event Log (.evtx)',
  reads: 'EVTX files (Security, System, Application, Sysmon/Operational, …), including dirty files and damaged chunks',
  version: '1.0.0',
  detect(sample) {
    if (hasMagic(sample.bytes, 0, FILE_MAGIC)) return 1;
    if (hasMagic(sample.bytes, 0, CHUNK_MAGIC)) return 0.9;
    return 0;
  },
  async parse(source, ctx, sink) {
    const head = await source.read(0, 4096 + 8);
    const { start, headerChunks } = firstChunkOffset(head, sink);
    const emitter = new WindowsEventEmitter(sink, { tz: ctx.tz, fallbackHost: ctx.host });
    let lastRecordId = 0;
    // Unreadable blocks are judged once we know whether a real chunk follows them: before the
    // last chunk (or within the header's chunk count) they are damage; after it, slack space.
    let unreadable: { index: number; offset: number; reason: string }[] = [];
    const reportDamaged = (): void => {
      for (const u of unreadable) {
        const reason = `chunk ${u.index} at byte ${u.offset} skipped: ${u.reason}; the records it held cannot be read`;
        sink.warn(reason);
        sink.reject(lastRecordId + 1, reason, `chunk ${u.index}`);
      }
      unreadable = [];
    };
    let index = 0;
    for (let offset = start; offset < source.size; offset += CHUNK_SIZE, index++) {
      const chunk = await source.read(offset, CHUNK_SIZE);
      const check = checkChunk(chunk);
      if (check.status === 'unused') continue;
      if (check.status === 'damaged') {
        unreadable.push({ index, offset, reason: check.reason });
        continue;
      }
      reportDamaged();
      if (check.headerCrc === 'mismatch') {
        sink.warn(`chunk ${index} at byte ${offset}: header checksum does not match; its records were read anyway and checked one by one.`);
      }
      lastRecordId = readChunk(chunk, index, check.freeSpaceOffset, lastRecordId, sink, emitter);
    }
    const trailing = unreadable.filter((u) => u.index >= headerChunks);
    unreadable = unreadable.filter((u) => u.index < headerChunks);
    reportDamaged();
    if (trailing.length > 0) {
      sink.warn(
        `${trailing.length} block(s) of 64 KiB after the last chunk hold no EVTX chunk (preallocated or slack space); not read as records.`,
      );
    }
    emitter.finish();
  },
};
