// JSON Lines event logs: one JSON object per line. The time field is found by name and
// content (ISO 8601 / RFC 3339, epoch s/ms/µs/ns as number or text) unless --map names it;
// op, message, pid, process, host and kind likewise. Nested objects are flattened to dotted
// keys ("process.pid"). Generic on purpose: specific JSON formats (Sysmon, Zeek…) have their
// own importers and win detection, so this one never claims more than 0.5.
import type { TextImporter } from './types.ts';
import { checkMap, flattenJson, resolveLayout, type FlatRecord, type RecordLayout } from './log-fields.ts';
import { parseTimeValue, timeNameScore } from './log-time.ts';
import { buildRecordEvent, ProcessNames } from './log-event.ts';
import { parseJsonRecord } from './json-record.ts';

/** Layouts by key signature: records of one file usually share a few shapes. */
const MAX_LAYOUTS = 256;

/** The line's object, or why it is not one (bad JSON, not an object, nested too deep). */
function parseObject(text: string): Record<string, unknown> | string {
  const parsed = parseJsonRecord(text);
  return parsed.ok ? parsed.value : parsed.message;
}

export const jsonLinesImporter: TextImporter = {
  mode: 'text',
  format: 'jsonl',
  module: import.meta.url,
  title: 'JSON Lines event log (generic)',
  reads: 'one JSON object per line; time field found by name/content (ISO 8601, epoch s/ms/µs/ns) or --map ts=FIELD; op/pid/process/host/kind by name or --map',
  version: '0.2.0',
  detect(sample) {
    // The last sample line may be cut off, so it only counts when it parses.
    const lines = sample.lines.filter((l) => l.trim() !== '').slice(0, 50);
    if (lines.length === 0) return 0;
    let objects = 0;
    let timed = 0;
    let judged = 0;
    for (const [i, line] of lines.entries()) {
      const t = line.trim();
      const parsed = parseObject(t);
      if (typeof parsed === 'string') {
        if (i === lines.length - 1 && t.startsWith('{')) continue; // partial last line
        judged++;
        continue;
      }
      judged++;
      objects++;
      const rec = flattenJson(parsed);
      const names = [...rec.keys()];
      if (names.some((n) => timeNameScore(n) > 0 && parseTimeValue(rec.get(n), 'UTC') !== null)) timed++;
    }
    if (judged === 0 || objects / judged < 0.8) return 0;
    return timed / objects >= 0.8 ? 0.5 : 0.35;
  },
  open(ctx, sink) {
    checkMap(ctx.map);
    const layouts = new Map<string, RecordLayout>();
    const names = new ProcessNames();
    const layoutFor = (rec: FlatRecord): RecordLayout => {
      const keys = [...rec.keys()];
      const signature = keys.join('\u0001');
      let layout = layouts.get(signature);
      if (layout === undefined || layout.ts === null) {
        layout = resolveLayout(keys, ctx, (n) => rec.get(n));
        if (layouts.size >= MAX_LAYOUTS) layouts.clear();
        layouts.set(signature, layout);
      }
      return layout;
    };
    return {
      line(text, n) {
        if (text.trim() === '') return sink.skip(n);
        const parsed = parseObject(text.trim());
        if (typeof parsed === 'string') return sink.reject(n, parsed, text);
        const rec = flattenJson(parsed);
        const layout = layoutFor(rec);
        if (layout.ts === null) {
          const named = [...rec.keys()].find((k) => timeNameScore(k) > 0);
          const why =
            ctx.map['ts'] !== undefined
              ? `no field "${ctx.map['ts']}" (from --map ts=)`
              : named !== undefined
                ? `field "${named}" is not a readable time: ${String(rec.get(named)).slice(0, 60)}`
                : 'no timestamp field found (name it with --map ts=FIELD)';
          return sink.reject(n, why, text);
        }
        const tsUs = parseTimeValue(rec.get(layout.ts), ctx.tz, true);
        if (tsUs === null) return sink.reject(n, `field "${layout.ts}" is not a readable time: ${String(rec.get(layout.ts)).slice(0, 60)}`, text);
        sink.event(buildRecordEvent(rec, layout, tsUs, n, ctx, names));
      },
      end() {},
    };
  },
};
