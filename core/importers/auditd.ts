// Linux audit logs (auditd raw format, `ausearch` output). Records of one syscall event share
// a serial (`msg=audit(1364481363.243:24287)`) and may interleave with other events or come
// out of order, so they are collected per serial and turned into one event when the event
// ends (EOE record), when too many events are open, or at the end of the file. A group whose
// SYSCALL record never came (lost records) still becomes an event, marked incomplete.
// Stand-alone record types (USER_LOGIN, SERVICE_START, AVC, …) are events of their own.
// See docs/formats/auditd.md.
import type { DetectSample, ImportContext, ImportSink, LineParser, TextImporter } from './types.ts';
import { parseAuditLine, type AuditRecord } from './auditd-record.ts';
import { buildGroupEvent, buildStandaloneEvent } from './auditd-event.ts';

/** Record types that belong to the syscall event of their serial (kernel auxiliary records). */
const GROUP_TYPES = new Set([
  'SYSCALL', 'EXECVE', 'PATH', 'CWD', 'PROCTITLE', 'SOCKADDR', 'SOCKETCALL', 'FD_PAIR', 'BPRM_FCAPS', 'CAPSET', 'MMAP',
  'IPC', 'IPC_SET_PERM', 'MQ_OPEN', 'MQ_SENDRECV', 'MQ_NOTIFY', 'MQ_GETSETATTR', 'OBJ_PID', 'KERN_MODULE',
  'NETFILTER_CFG', 'TIME_ADJNTPVAL', 'TIME_INJOFFSET', 'OPENAT2', 'URINGOP',
]);
/** Events still waiting for records; beyond this the oldest is written out (bounds memory). */
const MAX_OPEN_GROUPS = 64;
const MAX_RECORDS_PER_GROUP = 1000;

interface Group {
  firstLine: number;
  records: AuditRecord[];
}

class AuditdParser implements LineParser {
  private readonly open = new Map<string, Group>();

  constructor(
    private readonly ctx: ImportContext,
    private readonly sink: ImportSink,
  ) {}

  line(text: string, n: number): void {
    const t = text.trim();
    // ausearch separators and its "time->Thu Mar 28 14:36:03 2013" headers carry nothing new.
    if (t === '' || /^-{4,}$/.test(t) || t.startsWith('time->')) return this.sink.skip(n);
    const rec = parseAuditLine(t, this.ctx.tz);
    if (typeof rec === 'string') return this.sink.reject(n, rec, text);
    const key = `${rec.node ?? ''}|${rec.timeText}`; // timeText holds the serial; the time keeps wrapped serials apart
    if (rec.type === 'EOE') {
      const group = this.open.get(key);
      if (group === undefined) return this.sink.skip(n);
      this.sink.continuation(n);
      return this.flush(key, group);
    }
    if (!GROUP_TYPES.has(rec.type)) return this.sink.event(buildStandaloneEvent(rec, n, this.ctx));
    const group = this.open.get(key);
    if (group !== undefined) {
      if (group.records.length < MAX_RECORDS_PER_GROUP) group.records.push(rec);
      return this.sink.continuation(n);
    }
    this.open.set(key, { firstLine: n, records: [rec] });
    if (this.open.size > MAX_OPEN_GROUPS) {
      const [oldestKey, oldest] = this.open.entries().next().value ?? [];
      if (oldestKey !== undefined && oldest !== undefined) this.flush(oldestKey, oldest);
    }
  }

  end(): void {
    for (const [key, group] of [...this.open.entries()]) this.flush(key, group);
  }

  private flush(key: string, group: Group): void {
    this.open.delete(key);
    this.sink.event(buildGroupEvent(group.records, group.firstLine, this.ctx));
  }
}

const RECORD_LINE = /^(?:node=\S+\s+)?type=[A-Z_0-9[\]]+\s+msg=audit\(/;

function detect(sample: DetectSample): number {
  const lines = sample.lines.map((l) => l.trim()).filter((l) => l !== '' && !/^-{4,}$/.test(l) && !l.startsWith('time->')).slice(0, 100);
  if (lines.length === 0) return 0;
  const records = lines.filter((l) => RECORD_LINE.test(l)).length;
  const typed = lines.filter((l) => /^(?:node=\S+\s+)?type=/.test(l)).length;
  if (records === 0) return 0;
  if (typed / lines.length >= 0.8) return 0.95;
  return records / lines.length >= 0.5 ? 0.8 : 0.4;
}

export const auditdImporter: TextImporter = {
  mode: 'text',
  format: 'auditd',
  module: import.meta.url,
  title: 'Linux audit log (auditd raw / ausearch)',
  reads: 'type=… msg=audit(EPOCH:SERIAL): records, node= prefix, ausearch ---- / time-> lines; records grouped by serial into one event; hex strings decoded; x86_64/i386/aarch64 syscall names',
  version: '0.1.0',
  detect,
  open: (ctx: ImportContext, sink: ImportSink) => new AuditdParser(ctx, sink),
};
