// Appends packed event chunks (event-chunk.ts) to event_rows through DuckDB's appender: per
// column one copy of the packed values and one of the validity mask, then one native call per
// string too long to be inline. The chunk's identity columns (event_id, capture_id) are filled
// here because only the writer knows them.
import {
  DuckDBAppender,
  DuckDBBigIntType,
  DuckDBDataChunk,
  DuckDBDoubleType,
  DuckDBIntegerType,
  DuckDBVarCharType,
  type DuckDBType,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import {
  CHUNK_BYTES,
  CHUNK_ROWS,
  COL_CAPTURE_ID,
  COL_EVENT_ID,
  DATA_OFFSET,
  EVENT_ROW_LAYOUT,
  VALIDITY_OFFSET,
  bytesPerValue,
  setBigintAt,
  type ColumnLayout,
  type EventChunk,
} from './event-chunk.ts';

const DUCKDB_TYPE: Record<ColumnLayout, DuckDBType> = {
  bigint: DuckDBBigIntType.instance,
  integer: DuckDBIntegerType.instance,
  double: DuckDBDoubleType.instance,
  varchar: DuckDBVarCharType.instance,
};

export class EventChunkAppender {
  private readonly chunk: DuckDBDataChunk;

  constructor(
    private readonly appender: DuckDBAppender,
    private readonly captureId: number,
  ) {
    if (duckdb.vector_size() !== CHUNK_ROWS) {
      throw new Error(`DuckDB's vector size is ${duckdb.vector_size()}, the event packer assumes ${CHUNK_ROWS}`);
    }
    this.chunk = DuckDBDataChunk.create(EVENT_ROW_LAYOUT.map((layout) => DUCKDB_TYPE[layout]));
  }

  /** Appends the chunk's rows with event ids firstEventId, firstEventId + 1, … */
  append(packed: EventChunk, firstEventId: number): void {
    const rows = packed.rows;
    if (rows === 0) return;
    const buffer = packed.buffer;
    if (rows > CHUNK_ROWS || buffer.byteLength !== CHUNK_BYTES) throw new Error('malformed event chunk');
    const idsU32 = new Uint32Array(buffer, DATA_OFFSET[COL_EVENT_ID], rows * 2);
    const idsI32 = new Int32Array(buffer, DATA_OFFSET[COL_EVENT_ID], rows * 2);
    for (let r = 0; r < rows; r++) setBigintAt(idsU32, idsI32, r, firstEventId + r);
    new Int32Array(buffer, DATA_OFFSET[COL_CAPTURE_ID], rows).fill(this.captureId);

    const raw = this.chunk.chunk;
    this.chunk.reset();
    const vectors: duckdb.Vector[] = [];
    for (let col = 0; col < EVENT_ROW_LAYOUT.length; col++) {
      const vector = duckdb.data_chunk_get_vector(raw, col);
      vectors.push(vector);
      duckdb.copy_data_to_vector(vector, 0, buffer, DATA_OFFSET[col]!, rows * bytesPerValue(col));
      // Reset leaves no mask to write into; always writing ours keeps NULLs right either way.
      duckdb.vector_ensure_validity_writable(vector);
      duckdb.copy_data_to_vector_validity(vector, 0, buffer, VALIDITY_OFFSET[col]!, Math.ceil(rows / 64) * 8);
    }
    // After the copies: each call overwrites its row's placeholder string_t with DuckDB's own.
    const { cells, utf8, ends } = packed.outOfLine;
    for (let k = 0, start = 0; k < ends.length; k++) {
      const end = ends[k]!;
      duckdb.vector_assign_string_element_len(vectors[cells[2 * k]!]!, cells[2 * k + 1]!, utf8.subarray(start, end));
      start = end;
    }
    // Repeats share the string DuckDB stored for their first row: its 16-byte string_t (which
    // points into this chunk's string heap) is copied into theirs. vector_get_data hands back a
    // copy of the column, so the patched column is written back with one copy.
    const repeats = packed.repeats;
    const byColumn = new Map<number, number[]>();
    for (let k = 0; k < repeats.length; k += 3) {
      const c = repeats[k]!;
      const list = byColumn.get(c);
      if (list) list.push(k);
      else byColumn.set(c, [k]);
    }
    for (const [c, ks] of byColumn) {
      const data = duckdb.vector_get_data(vectors[c]!, rows * 16);
      for (const k of ks) {
        const from = repeats[k + 2]! * 16;
        data.copyWithin(repeats[k + 1]! * 16, from, from + 16);
      }
      duckdb.copy_data_to_vector(vectors[c]!, 0, data.buffer as ArrayBuffer, data.byteOffset, rows * 16);
    }
    this.chunk.rowCount = rows;
    this.appender.appendDataChunk(this.chunk);
  }
}
