// JSON Lines event logs: one object per line with a timestamp field. (Minimal first version;
// field mapping and kind inference are deepened by the event-log importers.)
import type { TextImporter } from './types.ts';
import { epochNumberToUs, isoToUs } from '../util/time.ts';

const TS_FIELDS = ['ts', 'timestamp', '@timestamp', 'time', 'datetime', 'date', 'TimeCreated', 'EventTime'];

function findTs(obj: Record<string, unknown>, tz: string): number | null {
  for (const key of TS_FIELDS) {
    const v = obj[key];
    if (typeof v === 'number') return epochNumberToUs(v);
    if (typeof v === 'string') {
      const iso = isoToUs(v, tz);
      if (iso !== null) return iso;
      if (/^\d+(\.\d+)?$/.test(v)) return epochNumberToUs(Number(v));
    }
  }
  return null;
}

export const jsonLinesImporter: TextImporter = {
  mode: 'text',
  format: 'jsonl',
  title: 'JSON Lines event log',
  reads: 'one JSON object per line with a timestamp field (ISO 8601 or epoch s/ms/µs/ns)',
  version: '0.1.0',
  detect(sample) {
    const lines = sample.lines.filter((l) => l.trim() !== '').slice(0, 20);
    if (lines.length === 0) return 0;
    let ok = 0;
    for (const l of lines.slice(0, -1).length > 0 ? lines.slice(0, -1) : lines) {
      if (!l.trimStart().startsWith('{')) return 0;
      try {
        const v: unknown = JSON.parse(l);
        if (v && typeof v === 'object' && findTs(v as Record<string, unknown>, 'UTC') !== null) ok++;
      } catch {
        // partial last line of the sample, or not JSON
      }
    }
    return ok > 0 ? 0.5 : 0;
  },
  open(ctx, sink) {
    return {
      line(text, n) {
        if (text.trim() === '') return sink.skip(n);
        let obj: unknown;
        try {
          obj = JSON.parse(text);
        } catch {
          return sink.reject(n, 'not valid JSON', text);
        }
        if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return sink.reject(n, 'not a JSON object', text);
        const rec = obj as Record<string, unknown>;
        const ts = findTs(rec, ctx.tz);
        if (ts === null) return sink.reject(n, 'no timestamp field', text);
        const op = String(rec['event'] ?? rec['op'] ?? rec['type'] ?? rec['message'] ?? 'record');
        sink.event({ ts_us: ts, kind: 'log', op, category: 'log', args: text, source_line: n });
      },
      end() {},
    };
  },
};
