// Zeek logs, TSV (#separator/#fields/#types headers, several header blocks per file allowed,
// missing #close tolerated) or JSON lines (ts as epoch number or ISO string, dotted or
// underscored names). The log type comes from #path / _path / @stream, else from the fields
// present, else from the file name. Network logs map in zeek-map-net.ts, ICS logs in
// zeek-map-ics.ts. See docs/formats/network.md.
import type { CanonicalEvent } from '../model/event.ts';
import type { DetectSample, ImportContext, ImportSink, LineParser, TextImporter } from './types.ts';
import { applyHeaderLine, defaultTsvHeader, flattenJson, makeRecord, tsvValue, type Scalar, type TsvHeader, type ZeekRecord } from './zeek-record.ts';
import { inferZeekPath, pathFromFileName } from './zeek-infer.ts';
import { parseJsonRecord } from './json-record.ts';
import { genericZeekEvent, NETWORK_MAPPERS } from './zeek-map-net.ts';
import { ICS_MAPPERS, icsFallback } from './zeek-map-ics.ts';
import { dateToUtcUs, epochNumberToUs, epochSecondsTextToUs, isoToUs, usToIso, wallClockToUtcUs } from '../util/time.ts';

/** btest baselines mask every time as XXXXXXXXXX.XXXXXX (SOURCES.md §4d). */
const MASKED_TS = /^X+(\.X+)?$/;

export function zeekRecordToEvent(record: ZeekRecord, tsUs: number, sourceLine: number, ctx: ImportContext): CanonicalEvent {
  const mapped = ICS_MAPPERS[record.path]?.(record) ?? NETWORK_MAPPERS[record.path]?.(record) ?? icsFallback(record) ?? genericZeekEvent(record);
  const fields: Record<string, Scalar> = { zeek_path: record.path };
  // Unset fields ("-") carry nothing; dropping them keeps the stored JSON small.
  for (const [k, v] of Object.entries(record.all())) if (v !== null) fields[k] = v;
  for (const [k, v] of Object.entries(mapped.fields ?? {})) if (v !== null) fields[k] = v;
  return { ...mapped, ts_us: tsUs, source_line: sourceLine, host: mapped.host ?? ctx.host, fields };
}

class ZeekParser implements LineParser {
  private header: TsvHeader = defaultTsvHeader();
  private blockPath: string | null = null; // #path, or the path inferred once per header block
  private maskedCount = 0;
  private readonly maskedBaseUs: number;

  constructor(
    private readonly ctx: ImportContext,
    private readonly sink: ImportSink,
  ) {
    // Masked times have no value at all; the capture's date (midnight, analyst's zone) keeps the
    // records visible and in file order without pretending to know when they happened.
    this.maskedBaseUs = wallClockToUtcUs(dateToUtcUs(ctx.date) ?? 0, ctx.tz);
  }

  line(text: string, n: number): void {
    if (text.trim() === '') return this.sink.skip(n);
    if (text.startsWith('#')) {
      const kind = applyHeaderLine(this.header, text);
      if (kind === 'block' || text.startsWith('#fields') || text.startsWith('#path')) this.blockPath = null;
      return this.sink.skip(n);
    }
    if (text.trimStart().startsWith('{')) return this.jsonLine(text, n);
    return this.tsvLine(text, n);
  }

  end(): void {
    if (this.maskedCount > 0) {
      this.sink.warn(
        `${this.maskedCount} Zeek records have masked timestamps (XXXXXXXXXX.XXXXXX, as in Zeek test baselines); ` +
          `they were placed at ${usToIso(this.maskedBaseUs)} in file order and marked fields.ts_masked = true. Do not read times from them.`,
      );
    }
  }

  private tsvLine(text: string, n: number): void {
    const names = this.header.fields;
    if (!names) return this.sink.reject(n, 'data line before any #fields header: not a Zeek TSV log, or its header is missing', text);
    const cells = text.split(this.header.separator);
    if (cells.length !== names.length) {
      return this.sink.reject(n, `expected ${names.length} tab-separated fields (per #fields), found ${cells.length}`, text);
    }
    const values = new Map<string, Scalar | string[]>();
    names.forEach((name, i) => values.set(name, tsvValue(cells[i] ?? '', this.header.types?.[i], this.header)));
    if (this.blockPath === null) {
      this.blockPath = this.header.path ?? inferZeekPath(names) ?? pathFromFileName(this.ctx.fileName) ?? 'zeek';
    }
    const tsIndex = names.indexOf('ts');
    const tsText = tsIndex >= 0 ? (cells[tsIndex] ?? '') : '';
    this.emit(makeRecord(this.blockPath, values), tsText, n, text);
  }

  private jsonLine(text: string, n: number): void {
    const parsed = parseJsonRecord(text);
    if (!parsed.ok) return this.sink.reject(n, parsed.problem === 'syntax' ? 'not valid JSON' : parsed.message, text);
    const obj = parsed.value;
    const values = flattenJson(obj);
    const declared = stringValue(obj['_path']) ?? stringValue(obj['@stream']) ?? stringValue(obj['log_type']);
    const path = declared ?? inferZeekPath(values.keys()) ?? pathFromFileName(this.ctx.fileName) ?? 'zeek';
    // Read ts from the text: JSON.parse would round 1588205198.89971 through a double.
    const rawTs = /"ts"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*[,}]/.exec(text)?.[1];
    const ts = rawTs ?? stringValue(obj['ts']) ?? stringValue(obj['@timestamp']) ?? '';
    this.emit(makeRecord(path, values), ts, n, text);
  }

  private emit(record: ZeekRecord, tsText: string, n: number, raw: string): void {
    let tsUs: number | null;
    let masked = false;
    if (MASKED_TS.test(tsText)) {
      tsUs = this.maskedBaseUs;
      masked = true;
      this.maskedCount++;
    } else {
      tsUs = parseZeekTime(tsText, this.ctx.tz);
    }
    if (tsUs === null) {
      return this.sink.reject(n, tsText === '' ? 'record has no ts field' : `unreadable ts "${tsText.slice(0, 40)}"`, raw);
    }
    const event = zeekRecordToEvent(record, tsUs, n, this.ctx);
    if (masked && event.fields) event.fields['ts_masked'] = true;
    this.sink.event(event);
  }
}

/** Epoch seconds with fraction (exact), epoch ms/µs/ns by magnitude, or ISO 8601. */
export function parseZeekTime(text: string, tz: string): number | null {
  const t = text.trim();
  if (/^\d{1,10}(\.\d+)?$/.test(t)) return epochSecondsTextToUs(t);
  if (/^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(t)) return epochNumberToUs(Number(t));
  return isoToUs(t, tz);
}

function stringValue(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

function detectZeek(sample: DetectSample): number {
  const lines = sample.lines.slice(0, 200);
  const hasLine = (re: RegExp): boolean => lines.some((l) => re.test(l));
  if (hasLine(/^#fields\t/)) {
    if (hasLine(/^#separator /) || hasLine(/^#path\t/)) return 0.95;
    if (hasLine(/^#types\t/)) return 0.9;
  }
  // JSON: judge complete lines only (the sample's last line may be cut).
  const jsonLines = sample.lines.slice(0, -1).filter((l) => l.trim() !== '').slice(0, 20);
  let strong = 0;
  let weak = 0;
  let objects = 0;
  for (const l of jsonLines) {
    if (!l.trimStart().startsWith('{')) return 0;
    const parsed = parseJsonRecord(l);
    if (!parsed.ok) continue;
    objects++;
    const o = parsed.value;
    const keys = Object.keys(o);
    const hasTs = 'ts' in o;
    if (!hasTs) continue;
    const hasUidTuple = 'uid' in o && ('id.orig_h' in o || 'id_orig_h' in o || (typeof o['id'] === 'object' && o['id'] !== null));
    if (hasUidTuple || '_path' in o || o['@proc'] === 'zeek') strong++;
    else if (inferZeekPath(keys) !== null) weak++;
  }
  if (objects === 0) return 0;
  if (strong * 2 >= objects) return 0.9;
  if ((strong + weak) * 2 >= objects) return 0.8;
  return 0;
}

export const zeekImporter: TextImporter = {
  mode: 'text',
  format: 'zeek',
  module: import.meta.url,
  title: 'Zeek logs (TSV or JSON): conn, dns, http, files, ssl, x509, kerberos, smb, weird, … and ICS (modbus, dnp3, s7comm, cotp)',
  reads: 'Zeek ASCII TSV with #separator/#fields/#types headers (several blocks, missing #close ok) or JSON lines (dotted or underscored names, ts epoch or ISO)',
  version: '1.0.0',
  detect: detectZeek,
  open(ctx: ImportContext, sink: ImportSink): LineParser {
    return new ZeekParser(ctx, sink);
  },
};
