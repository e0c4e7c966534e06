// Web server access logs: Apache/nginx common, combined and vhost_combined lines (with or without
// a response time appended), nginx JSON access logs, and IIS W3C extended logs. One request is
// one `network` event (mapping in access-log-record.ts). Each line is read by its own shape, so
// an IIS file whose #Fields: change mid-way, or a log rotated from text to JSON, reads through.
// See docs/formats/access-log.md.
import type { DetectSample, ImportContext, ImportSink, LineParser, TextImporter } from './types.ts';
import { accessRecordToEvent, type AccessRecord } from './access-log-record.ts';
import { parseClfLine } from './access-log-clf.ts';
import { isNginxAccessObject, nginxJsonRecord } from './access-log-json.ts';
import { isWebFieldList, W3cLayout } from './access-log-w3c.ts';

function parseJsonObject(text: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `not valid JSON (${err instanceof Error ? err.message : String(err)})`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  return value as Record<string, unknown>;
}

class AccessLogParser implements LineParser {
  private readonly w3c = new W3cLayout();

  constructor(
    private readonly ctx: ImportContext,
    private readonly sink: ImportSink,
  ) {}

  line(text: string, n: number): void {
    if (text.trim() === '') return this.sink.skip(n);
    if (text.startsWith('#')) {
      this.w3c.directive(text); // W3C header lines; other "#" lines are comments
      return this.sink.skip(n);
    }
    const record = this.read(text);
    if (typeof record === 'string') return this.sink.reject(n, record, text);
    this.sink.event(accessRecordToEvent(record, n, this.ctx));
  }

  end(): void {}

  private read(text: string): AccessRecord | string {
    if (text.trimStart().startsWith('{')) {
      const parsed = parseJsonObject(text.trim());
      return typeof parsed === 'string' ? parsed : nginxJsonRecord(parsed, this.ctx.tz);
    }
    if (this.w3c.active) return this.w3c.row(text);
    return parseClfLine(text, this.ctx.tz);
  }
}

/**
 * W3C: a `#Fields:` line naming web fields is certain. JSON: most lines are objects named with
 * nginx variables. Text: most lines parse as common/combined. The sample's last line may be cut
 * off, so it counts only when it reads.
 */
function detect(sample: DetectSample): number {
  const lines = sample.lines.slice(0, 200);
  const fields = lines.find((l) => /^#Fields:/i.test(l));
  if (fields !== undefined) return isWebFieldList(fields.replace(/^#Fields:/i, '').trim().split(/\s+/)) ? 0.95 : 0;

  const data = lines.filter((l) => l.trim() !== '' && !l.startsWith('#')).slice(0, 60);
  if (data.length === 0) return 0;
  let judged = 0;
  let json = 0;
  let text = 0;
  for (const [i, line] of data.entries()) {
    let fits: 'json' | 'text' | null = null;
    if (line.trimStart().startsWith('{')) {
      const parsed = parseJsonObject(line.trim());
      if (typeof parsed !== 'string' && isNginxAccessObject(parsed)) fits = 'json';
    } else if (typeof parseClfLine(line, 'UTC') !== 'string') {
      fits = 'text';
    }
    if (fits === null && i === data.length - 1 && judged > 0) continue; // a cut-off last line
    judged++;
    if (fits === 'json') json++;
    if (fits === 'text') text++;
  }
  const share = Math.max(json, text) / judged;
  if (share >= 0.8) return 0.9;
  if (share >= 0.5) return 0.6; // a log with damage or foreign lines mixed in
  return 0;
}

export const accessLogImporter: TextImporter = {
  mode: 'text',
  format: 'access-log',
  module: import.meta.url,
  title: 'Web server access log (Apache/nginx common/combined, nginx JSON, IIS W3C)',
  reads:
    'Apache/nginx common, combined and vhost_combined lines, with an appended response time (nginx $request_time, Apache %D, rt=); nginx JSON access logs (keys named after nginx variables); IIS W3C extended logs (#Fields:, changing mid-file; times UTC)',
  version: '0.1.0',
  detect,
  open: (ctx, sink) => new AccessLogParser(ctx, sink),
};
