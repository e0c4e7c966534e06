// tshark field exports (-T fields -E header=y, any separator and quoting, -E occurrence=a with an
// aggregator) and Wireshark's "Export Packet Dissections → As CSV" (GUI column titles No., Time,
// Source, Destination, Protocol, Length, Info). One row = one frame = one event; columns are
// bound by header name. See docs/formats/network.md.
import type { DetectSample, ImportContext, ImportSink, LineParser, TextImporter } from './types.ts';
import { canonicalColumn, makePacket, PacketClock, packetToEvent } from './tshark-packet.ts';
import { guessSeparator, splitDelimited } from './tshark-delimited.ts';

/** A row whose quote stays open longer than this is broken, not a long Info text. */
const MAX_ROW_LINES = 50;

const FIELD_NAME = /^(frame|eth|ip|ipv6|tcp|udp|sctp|icmp|_ws|modbus|mbtcp|dnp3|s7comm|s7comm-plus|iec60870_104|iec60870_asdu|mms|http|dns|syslog|tls|arp)\.[A-Za-z0-9_.]+$/;
const GUI_COLUMNS = ['no.', 'time', 'source', 'destination', 'protocol'];

/** How much a header looks like a tshark/Wireshark export: 0.9 fields, 0.85 GUI columns, else 0. */
export function tsharkHeaderScore(cells: string[]): number {
  const names = cells.map((c) => c.trim());
  const fieldNames = names.filter((n) => FIELD_NAME.test(n)).length;
  const hasTime = names.some((n) => /^(frame\.time(_epoch|_utc|_relative)?|_ws\.col\.(time|utc|cls_time))$/i.test(n));
  if (fieldNames >= 2 && (hasTime || fieldNames >= 4)) return 0.9;
  const lower = new Set(names.map((n) => n.toLowerCase()));
  if (GUI_COLUMNS.every((c) => lower.has(c))) return 0.85;
  return 0;
}

function detect(sample: DetectSample): number {
  const header = sample.lines.find((l) => l.trim() !== '');
  if (header === undefined) return 0;
  const split = splitDelimited(header, guessSeparator(header));
  return split.complete ? tsharkHeaderScore(split.cells) : 0;
}

class TsharkCsvParser implements LineParser {
  private columns: string[] | null = null;
  private separator = ',';
  private pending: { text: string; line: number; lines: number } | null = null;
  private readonly clock: PacketClock;

  constructor(
    private readonly ctx: ImportContext,
    private readonly sink: ImportSink,
  ) {
    this.clock = new PacketClock(ctx, sink);
  }

  line(text: string, n: number): void {
    if (this.pending) {
      this.pending.text += `\n${text}`;
      this.pending.lines++;
      this.sink.continuation(n);
      return this.tryRow();
    }
    if (text.trim() === '') return this.sink.skip(n);
    if (this.columns === null) return this.header(text, n);
    this.pending = { text, line: n, lines: 1 };
    this.tryRow();
  }

  end(): void {
    if (this.pending) {
      this.sink.reject(this.pending.line, 'row ends inside a quoted field', this.pending.text);
      this.pending = null;
    }
  }

  private header(text: string, n: number): void {
    this.separator = guessSeparator(text);
    const split = splitDelimited(text, this.separator);
    if (!split.complete || tsharkHeaderScore(split.cells) === 0) {
      throw new Error(
        `${this.ctx.fileName}: line ${n} is not a tshark/Wireshark CSV header (expected field names such as frame.time_epoch, ip.src, _ws.col.Protocol, or the columns No., Time, Source, Destination, Protocol)`,
      );
    }
    this.columns = split.cells.map(canonicalColumn);
    this.sink.skip(n);
  }

  private tryRow(): void {
    const row = this.pending;
    if (!row || !this.columns) return;
    const split = splitDelimited(row.text, this.separator);
    if (!split.complete) {
      if (row.lines >= MAX_ROW_LINES) {
        this.sink.reject(row.line, `quoted field not closed after ${MAX_ROW_LINES} lines`, row.text);
        this.pending = null;
      }
      return;
    }
    this.pending = null;
    if (split.cells.length !== this.columns.length) {
      return this.sink.reject(row.line, `expected ${this.columns.length} columns (per header), found ${split.cells.length}`, row.text);
    }
    const values = new Map<string, string[]>();
    this.columns.forEach((name, i) => values.set(name, [split.cells[i] ?? '']));
    const packet = makePacket(values, true);
    const time = this.clock.timeOf(packet);
    if ('error' in time) return this.sink.reject(row.line, time.error, row.text);
    this.sink.event(packetToEvent(packet, time.us, row.line, this.ctx));
  }
}

export const tsharkCsvImporter: TextImporter = {
  mode: 'text',
  format: 'tshark-csv',
  module: import.meta.url,
  title: 'tshark field export / Wireshark CSV export (one row per frame)',
  reads: 'tshark -T fields -E header=y (any separator, quote=d|s, occurrence=a with aggregator), Wireshark "Export Packet Dissections → As CSV"',
  version: '1.0.0',
  detect,
  open(ctx: ImportContext, sink: ImportSink): LineParser {
    return new TsharkCsvParser(ctx, sink);
  },
};
