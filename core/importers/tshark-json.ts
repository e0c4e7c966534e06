// tshark -T json (an array of {_source:{layers:{…}}} objects, pretty-printed across many lines,
// with -e fields or the full dissection tree) and -T ek (index/document line pairs). Objects are
// found by a streaming brace scanner, so a packet spread over 40 lines is buffered only until its
// closing brace: its first line carries the event, the others are continuations. See
// docs/formats/network.md.
import type { DetectSample, ImportContext, ImportSink, LineParser, TextImporter } from './types.ts';
import { makePacket, normaliseName, PacketClock, packetToEvent } from './tshark-packet.ts';
import { parseJsonRecord } from './json-record.ts';

/** A packet object larger than this is rejected rather than buffered further. */
const MAX_OBJECT_CHARS = 8 * 1024 * 1024;

/** Collects leaf values of a layers object into field → values (ek names de-prefixed). */
export function flattenLayers(layers: Record<string, unknown>, out = new Map<string, string[]>(), layerName: string | null = null): Map<string, string[]> {
  const add = (key: string, value: string): void => {
    let name = key;
    if (layerName !== null) {
      // -T ek writes "ip_ip_src" inside layer "ip": drop the repeated layer prefix.
      const prefix = `${normaliseName(layerName)}_`;
      if (name.startsWith(prefix + prefix)) name = name.slice(prefix.length);
    }
    const list = out.get(name);
    if (list) list.push(value);
    else out.set(name, [value]);
  };
  const visit = (key: string, value: unknown): void => {
    if (value === null || value === undefined) return;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') add(key, String(value));
    else if (Array.isArray(value)) for (const item of value) visit(key, item);
    else if (typeof value === 'object') flattenLayers(value as Record<string, unknown>, out, layerName ?? key);
  };
  for (const [key, value] of Object.entries(layers)) visit(key, value);
  return out;
}

class TsharkJsonParser implements LineParser {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Depth at which packet objects start: 1 inside the -T json array, 0 for ek lines. */
  private objectDepth: number | null = null;
  private buffer: string[] = [];
  private bufferChars = 0;
  private overflow = false;
  private startLine = 0;
  private readonly clock: PacketClock;

  constructor(
    private readonly ctx: ImportContext,
    private readonly sink: ImportSink,
  ) {
    this.clock = new PacketClock(ctx, sink);
  }

  line(text: string, n: number): void {
    const openAtStart = this.inObject();
    let startedHere = false;
    let touched = openAtStart;
    let segmentStart = openAtStart ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === '"') this.inString = false;
        continue;
      }
      if (ch === '"') {
        this.inString = true;
      } else if (ch === '{' || ch === '[') {
        if (this.objectDepth === null && ch === '{') this.objectDepth = this.depth; // first object sets the level
        // Anything opened at the packets' level is taken as a packet (an array there is rejected
        // as not one), so the end of the file never blames an older packet's line for it.
        if (this.depth === this.objectDepth) {
          startedHere = true;
          touched = true;
          this.startLine = n;
          this.buffer = [];
          this.bufferChars = 0;
          this.overflow = false;
          segmentStart = i;
        }
        this.depth++;
      } else if (ch === '}' || ch === ']') {
        this.depth = Math.max(0, this.depth - 1);
        // Closed by either bracket: a mismatched one (a damaged export) ends the packet too, and
        // its JSON is then rejected, rather than the packet vanishing unaccounted.
        if (this.depth === this.objectDepth && segmentStart >= 0) {
          this.append(text.slice(segmentStart, i + 1));
          segmentStart = -1;
          this.finishObject();
        }
      }
    }
    if (segmentStart >= 0) this.append(`${text.slice(segmentStart)}\n`);
    if (startedHere) return; // the object's first line is accounted by its event or reject
    if (touched) this.sink.continuation(n);
    else this.sink.skip(n); // "[", "]", ",", blank lines between objects
  }

  end(): void {
    if (this.inObject()) {
      this.sink.reject(this.startLine, 'the file ends inside a packet object (truncated export?)', this.buffer.join('').slice(0, 500));
    }
    this.buffer = [];
  }

  private inObject(): boolean {
    return this.objectDepth !== null && this.depth > this.objectDepth;
  }

  private append(part: string): void {
    if (this.overflow) return;
    this.bufferChars += part.length;
    if (this.bufferChars > MAX_OBJECT_CHARS) {
      this.overflow = true;
      this.buffer = [];
      return;
    }
    this.buffer.push(part);
  }

  private finishObject(): void {
    const line = this.startLine;
    if (this.overflow) {
      this.overflow = false;
      return this.sink.reject(line, `packet object larger than ${MAX_OBJECT_CHARS} characters`, '');
    }
    const text = this.buffer.join('');
    this.buffer = [];
    const parsed = parseJsonRecord(text);
    if (!parsed.ok) return this.sink.reject(line, parsed.problem === 'syntax' ? `packet object is ${parsed.message}` : parsed.message, text);
    const record = parsed.value;
    if ('index' in record && Object.keys(record).length === 1) return this.sink.skip(line); // ek action line
    const source = (record['_source'] as Record<string, unknown> | undefined) ?? record;
    const layers = source['layers'];
    if (!layers || typeof layers !== 'object' || Array.isArray(layers)) {
      return this.sink.reject(line, 'object has no _source.layers / layers: not a tshark packet', text);
    }
    const values = flattenLayers(layers as Record<string, unknown>);
    if (typeof record['timestamp'] === 'string' || typeof record['timestamp'] === 'number') values.set('timestamp', [String(record['timestamp'])]);
    const packet = makePacket(values, false);
    const time = this.clock.timeOf(packet);
    if ('error' in time) return this.sink.reject(line, time.error, text);
    this.sink.event(packetToEvent(packet, time.us, line, this.ctx));
  }
}

function detect(sample: DetectSample): number {
  const head = sample.lines.slice(0, 60).join('\n');
  if (/^\s*\{"index"\s*:\s*\{"_index"\s*:/m.test(head) && /"layers"\s*:/.test(head)) return 0.95; // -T ek
  if (/^\s*\[/.test(head) && /"_source"\s*:/.test(head) && /"layers"\s*:/.test(head)) return 0.95; // -T json
  if (/"_index"\s*:\s*"packets-/.test(head)) return 0.85;
  return 0;
}

export const tsharkJsonImporter: TextImporter = {
  mode: 'text',
  format: 'tshark-json',
  module: import.meta.url,
  title: 'tshark JSON export (-T json, -T ek)',
  reads: 'tshark -T json (pretty-printed array, with -e fields or full dissection) and -T ek (Elasticsearch bulk lines)',
  version: '1.0.0',
  detect,
  open(ctx: ImportContext, sink: ImportSink): LineParser {
    return new TsharkJsonParser(ctx, sink);
  },
};
