// Plain-text logs whose lines start with a time: syslog (RFC 3164 / RFC 5424), syslog
// collector files with ISO 8601 times, and application logs ("2026-… INFO [main] message").
// A line without a leading time continues the line before it (stack traces, wrapped text);
// before any timed line it is rejected. See docs/formats/logs.md.
import type { CanonicalEvent } from '../model/event.ts';
import type { DetectSample, ImportContext, ImportSink, LineParser, TextImporter } from './types.ts';
import { inferKind, isAlarmSeverity, shortOp, splitComponent, splitLeadingSeverity } from './log-kind.ts';
import { parseLineHeader, type LineHeader } from './textlog-header.ts';

const MAX_ARGS = 16_000;
const MAX_MESSAGE_KEYS = 20;

/** key=value / key='v w' / key="v w" pairs inside a message, for `fields` (peer=…, cmd='…', fc=6). */
export function messageKeyValues(message: string): Record<string, string> {
  const out: Record<string, string> = {};
  let count = 0;
  for (const m of message.matchAll(/(?:^|\s)([A-Za-z_][\w.-]{0,40})=("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,;]*)/g)) {
    const key = m[1];
    let value = m[2] ?? '';
    if (key === undefined || key in out) continue;
    if (/^(["']).*\1$/s.test(value)) value = value.slice(1, -1).replace(/\\(["'\\])/g, '$1');
    out[key] = value;
    if (++count >= MAX_MESSAGE_KEYS) break;
  }
  return out;
}

function buildEvent(h: LineHeader, line: number, ctx: ImportContext): CanonicalEvent {
  const lead = splitLeadingSeverity(h.message);
  const { component, rest } = splitComponent(lead.rest);
  const severity = h.severity ?? lead.severity;
  const fields: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(messageKeyValues(rest))) fields[k] = v;
  if (h.facility !== null) fields['facility'] = h.facility;
  if (severity !== null) fields['severity'] = severity;
  if (lead.severity !== null && lead.severity !== severity) fields['level'] = lead.severity;
  if (component !== null) fields['component'] = component;
  if (h.msgid !== null) fields['msgid'] = h.msgid;
  if (h.structuredData !== null) fields['structured_data'] = h.structuredData;
  // Either severity (header or the message's own level word) can make the line an alarm.
  const alarmSeverity = isAlarmSeverity(lead.severity) ? lead.severity : severity;
  const { kind, category } = inferKind({ severity: alarmSeverity, program: h.program, text: h.message });
  return {
    ts_us: h.tsUs,
    host: h.host ?? ctx.host,
    pid: h.pid,
    process: h.program,
    kind,
    category,
    op: shortOp(rest, component).slice(0, 200),
    args: h.message.slice(0, MAX_ARGS),
    source_line: line,
    fields,
    level: alarmSeverity,
  };
}

class TextLogParser implements LineParser {
  private pending: CanonicalEvent | null = null;
  private warnedYear = false;

  constructor(
    private readonly ctx: ImportContext,
    private readonly sink: ImportSink,
  ) {}

  line(text: string, n: number): void {
    if (text.trim() === '') return this.sink.skip(n);
    const header = parseLineHeader(text, this.ctx.tz, this.ctx.date);
    if (header === null) {
      if (this.pending === null) return this.sink.reject(n, 'no time at the start of the line (and no earlier line it could continue)', text);
      // Continuation: keep the text with the event it belongs to (a stack trace stays readable).
      const args = this.pending.args ?? '';
      if (args.length < MAX_ARGS) this.pending.args = `${args}\n${text}`.slice(0, MAX_ARGS);
      return this.sink.continuation(n);
    }
    if (header.yearless && !this.warnedYear) {
      this.warnedYear = true;
      this.sink.usedDate();
      this.sink.warn(
        `RFC 3164 syslog times carry no year: assumed the year of ${this.ctx.date} (${this.ctx.dateBasis}); lines more than a week after that date are put in the year before. Re-import with --date if that is wrong.`,
      );
    }
    this.flush();
    this.pending = buildEvent(header, n, this.ctx);
  }

  end(): void {
    this.flush();
  }

  private flush(): void {
    if (this.pending !== null) this.sink.event(this.pending);
    this.pending = null;
  }
}

function detect(sample: DetectSample): number {
  const lines = sample.lines.filter((l) => l.trim() !== '').slice(0, 60);
  if (lines.length === 0) return 0;
  let timed = 0;
  let syslogShaped = 0;
  for (const line of lines) {
    const h = parseLineHeader(line, 'UTC', '2000-01-01');
    if (h === null) continue;
    timed++;
    if (h.form !== 'iso' || h.program !== null) syslogShaped++;
  }
  const ratio = timed / lines.length;
  // Too few timed lines to claim the file; the ratio (below MIN_CONFIDENCE, so never chosen)
  // still tells the analyst how close it came when no importer recognises the file.
  if (ratio < 0.3) return Math.floor(ratio * 100) / 100;
  if (ratio < 0.6) return 0.4; // many continuation lines (stack traces) or a mixed file
  return syslogShaped / timed >= 0.5 ? 0.6 : 0.55;
}

export const textLogImporter: TextImporter = {
  mode: 'text',
  format: 'textlog',
  module: import.meta.url,
  title: 'Timestamped text log (syslog RFC 3164/5424, ISO 8601 lines)',
  reads: 'lines starting with a time: "<PRI>1 ISO host app pid msgid [sd] msg", "Mmm dd hh:mm:ss host prog[pid]: msg" (year from --date), "ISO [host [fac.sev]] [prog[pid]:] [LEVEL] [component] msg"; untimed lines continue the previous one',
  version: '0.1.0',
  detect,
  open: (ctx, sink) => new TextLogParser(ctx, sink),
};
