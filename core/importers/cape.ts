// CAPE / Cuckoo sandbox behaviour reports (report.json, lite.json): one JSON document holding
// the hooked API calls of every process and, in CAPE, the guest's Sysmon events. The document
// is buffered and parsed at end() (size-guarded); source lines are recovered by matching the
// calls' "api" lines in file order. See docs/formats/cape.md.
import type { CanonicalEvent, Category } from '../model/event.ts';
import type { ImportContext, ImportSink, LineParser, TextImporter } from './types.ts';
import { emitCapeSysmon } from './cape-sysmon.ts';
import { isoToUs } from '../util/time.ts';

/** A larger document would not fit a JavaScript string; refuse it clearly instead. */
export const CAPE_MAX_CHARS = 512 * 1024 * 1024;

/** CAPE/Cuckoo call categories → canonical categories. */
const CATEGORIES: Record<string, Category> = {
  filesystem: 'file',
  file: 'file',
  registry: 'registry',
  network: 'network',
  netapi: 'network',
  browser: 'network',
  socket: 'network',
  process: 'process',
  threading: 'process',
  services: 'process',
  synchronization: 'ipc',
  synchronisation: 'ipc',
  com: 'ipc',
  ole: 'ipc',
  crypto: 'credential',
  system: 'system',
  hooking: 'system',
  resource: 'system',
  device: 'device',
  misc: 'other',
  __notification__: 'log',
};

/** Memory APIs CAPE files under "process", told apart so injection shows on the memory lane. */
const MEMORY_API = /VirtualMemory|Virtual(Alloc|Protect|Free)|MapViewOfSection|(Read|Write)ProcessMemory|CreateSection/i;

/** Argument names whose value is the object the call works on, best first. */
const TARGET_ARGS = [
  'FileName', 'FullName', 'FilePath', 'DosFileName', 'ObjectAttributesName', 'ObjectAttributes', 'ExistingFileName',
  'NewFileName', 'RegKey', 'KeyName', 'ValueName', 'ApplicationName', 'CommandLine', 'lpLibFileName', 'DllName',
  'ModuleName', 'ServiceName', 'URL', 'Url', 'HostName', 'hostname', 'ServerName', 'MappedPath',
];

type Json = Record<string, unknown>;

function obj(v: unknown): Json | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function int(v: unknown): number | null {
  const s = str(v);
  return s !== null && /^\d+$/.test(s) ? Number(s) : null;
}

interface LineHit {
  line: number;
  value: string;
}

/** Every `"key": "value"` (or number) in file order from line index `from`, with its line number. */
function scanKey(lines: readonly string[], from: number, key: string): LineHit[] {
  const re = new RegExp(`"${key}"\\s*:\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|(-?\\d+))`, 'g');
  const hits: LineHit[] = [];
  for (let i = from; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (!l.includes(`"${key}"`)) continue;
    for (const m of l.matchAll(re)) hits.push({ line: i + 1, value: m[1] ?? m[2] ?? '' });
  }
  return hits;
}

/** Assigns each expected value the next hit with that value, in order; misses get null. */
function matchInOrder(hits: readonly LineHit[], expected: readonly string[]): (number | null)[] {
  const LOOKAHEAD = 64;
  let j = 0;
  return expected.map((value) => {
    const want = JSON.stringify(value).slice(1, -1);
    for (let k = j; k < hits.length && k < j + LOOKAHEAD; k++) {
      if (hits[k]?.value === want || hits[k]?.value === value) {
        j = k + 1;
        return hits[k]?.line ?? null;
      }
    }
    return null;
  });
}

/** Line index of a top-level-looking `"key":` (the first occurrence), or 0. */
function keyLine(lines: readonly string[], key: string): number {
  const re = new RegExp(`^\\s*"${key}"\\s*:`);
  const i = lines.findIndex((l) => re.test(l));
  return i < 0 ? 0 : i;
}

function callTarget(args: Map<string, string>): string | null {
  const ip = args.get('ip') ?? args.get('IP');
  const port = args.get('port') ?? args.get('Port');
  if (ip && port) return `${ip}:${port}`;
  for (const name of TARGET_ARGS) {
    const v = args.get(name);
    if (v !== undefined && v !== '') return v;
  }
  return null;
}

class CapeParser implements LineParser {
  /** Index i holds line i + 1; a line the ingest rejected before us (over-long) is held as "". */
  private readonly lines: string[] = [];
  /** Line numbers the ingest never passed on: already rejected, so not skipped here. */
  private readonly notPassed = new Set<number>();
  private chars = 0;

  constructor(
    private readonly ctx: ImportContext,
    private readonly sink: ImportSink,
  ) {}

  line(text: string, lineNumber: number): void {
    this.chars += text.length + 1;
    if (this.chars > CAPE_MAX_CHARS) {
      throw new Error(`CAPE/Cuckoo report larger than ${CAPE_MAX_CHARS / 1024 / 1024} MB: too large to parse as one JSON document`);
    }
    // Keep positions equal to line numbers even when the ingest dropped a line (too long), so
    // events and skips name the right lines.
    while (this.lines.length < lineNumber - 1) {
      this.notPassed.add(this.lines.length + 1);
      this.lines.push('');
    }
    this.lines.push(text);
  }

  end(): void {
    let doc: unknown;
    try {
      doc = JSON.parse(this.lines.join('\n'));
    } catch (err) {
      throw new Error(`not a CAPE/Cuckoo report: the file is not one JSON document (${(err as Error).message})`, { cause: err });
    }
    const root = obj(doc);
    const processes = obj(root?.['behavior'])?.['processes'];
    if (!root || !Array.isArray(processes)) {
      throw new Error('not a CAPE/Cuckoo report: no behavior.processes[] in the document');
    }
    if (this.ctx.tz === 'UTC') {
      this.sink.warn('CAPE writes API-call times in the guest\'s clock without a zone; read as UTC. Re-import with --tz if the guest ran in another zone (embedded Sysmon times are UTC either way).');
    }
    const sysmon = Array.isArray(root['sysmon']) ? (root['sysmon'] as unknown[]) : [];
    const host = this.ctx.host ?? this.guestName(sysmon);
    const used = new Set<number>();
    this.emitCalls(processes, host, used);
    this.emitSysmon(sysmon, host, used);
    // Every other line is structure or report sections without events (signatures, network
    // summaries, …): by design they carry no event.
    for (let n = 1; n <= this.lines.length; n++) if (!used.has(n) && !this.notPassed.has(n)) this.sink.skip(n);
  }

  private guestName(sysmon: unknown[]): string | null {
    for (const e of sysmon) {
      const computer = str(obj(obj(e)?.['System'])?.['Computer']);
      if (computer) return computer;
    }
    return null;
  }

  private emitCalls(processes: unknown[], host: string | null, used: Set<number>): void {
    const behaviorAt = keyLine(this.lines, 'behavior');
    const procLines = matchInOrder(
      scanKey(this.lines, behaviorAt, 'process_id'),
      processes.map((p) => String(int(obj(p)?.['process_id']) ?? '')),
    );
    const allCalls = processes.flatMap((p) => {
      const calls = obj(p)?.['calls'];
      return Array.isArray(calls) ? (calls as unknown[]) : [];
    });
    const callLines = matchInOrder(
      scanKey(this.lines, behaviorAt, 'api'),
      allCalls.map((c) => str(obj(c)?.['api']) ?? ''),
    );
    let callIndex = 0;
    processes.forEach((p, i) => {
      const proc = obj(p);
      const procLine = procLines[i] ?? behaviorAt + 1;
      const calls = proc?.['calls'];
      if (!proc || !Array.isArray(calls)) {
        used.add(procLine);
        this.sink.reject(procLine, 'process entry without a calls[] list', JSON.stringify(p).slice(0, 200));
        return;
      }
      for (const call of calls as unknown[]) {
        const line = callLines[callIndex++] ?? procLine;
        used.add(line);
        this.emitCall(proc, call, line, host);
      }
    });
  }

  private emitCall(proc: Json, value: unknown, line: number, host: string | null): void {
    const call = obj(value);
    const api = str(call?.['api']);
    if (!call || !api) return this.sink.reject(line, 'call without an "api" name', JSON.stringify(value).slice(0, 200));
    const stamp = str(call['timestamp']);
    const tsUs = stamp ? isoToUs(stamp, this.ctx.tz) : null;
    if (tsUs === null) return this.sink.reject(line, `call ${api} has no readable timestamp ("${stamp ?? ''}")`, JSON.stringify(call).slice(0, 200));
    const args = new Map<string, string>();
    const argList = Array.isArray(call['arguments']) ? (call['arguments'] as unknown[]) : [];
    for (const a of argList) {
      const name = str(obj(a)?.['name']);
      if (name) args.set(name, str(obj(a)?.['value']) ?? JSON.stringify(obj(a)?.['value'] ?? null));
    }
    const capeCategory = str(call['category']) ?? '';
    let category: Category = CATEGORIES[capeCategory] ?? 'other';
    if (MEMORY_API.test(api)) category = 'memory';
    const ret = str(call['return']);
    const failed = call['status'] === false || call['status'] === 0;
    const event: CanonicalEvent = {
      ts_us: tsUs,
      host,
      pid: int(proc['process_id']),
      tid: int(call['thread_id']),
      ppid: int(proc['parent_id']),
      process: str(proc['process_name']),
      kind: 'api',
      op: api,
      category,
      target: callTarget(args),
      args: args.size === 0 ? null : [...args].map(([k, v]) => `${k}=${v}`).join(', '),
      ret,
      error: failed ? (ret ?? 'failed') : null,
      source_line: line,
      fields: {
        source: 'cape',
        cape_category: capeCategory,
        caller: str(call['caller']),
        parentcaller: str(call['parentcaller']),
        repeated: int(call['repeated']) ?? 0,
        call_id: int(call['id']),
        module_path: str(proc['module_path']),
      },
    };
    this.sink.event(event);
  }

  private emitSysmon(sysmon: unknown[], host: string | null, used: Set<number>): void {
    if (sysmon.length === 0) return;
    const sysmonAt = keyLine(this.lines, 'sysmon');
    const lines = matchInOrder(
      scanKey(this.lines, sysmonAt, 'EventRecordID'),
      sysmon.map((e) => str(obj(obj(e)?.['System'])?.['EventRecordID']) ?? ''),
    );
    const entries = sysmon.map((entry, i) => ({ entry, line: lines[i] ?? sysmonAt + 1 }));
    for (const { line } of entries) used.add(line);
    emitCapeSysmon(entries, host, this.sink);
  }
}

export const capeImporter: TextImporter = {
  mode: 'text',
  format: 'cape',
  module: import.meta.url,
  title: 'CAPE / Cuckoo sandbox behaviour report (JSON)',
  reads: 'report.json / lite.json: behavior.processes[].calls[] and embedded Sysmon events (up to 512 MB)',
  version: '1.0.0',
  detect(sample) {
    const first = sample.lines.find((l) => l.trim() !== '');
    if (!first?.trimStart().startsWith('{')) return 0;
    const text = sample.lines.join('\n');
    const has = (key: string): boolean => text.includes(`"${key}"`);
    if (has('behavior') && has('processes') && has('calls')) return 0.9;
    let markers = 0;
    if (/"version"\s*:\s*"[^"]*-CAPE"/.test(text) || has('CAPE')) markers++;
    if (has('info') && has('machine') && has('package')) markers++;
    if (has('signatures') && has('severity') && has('confidence') && has('weight')) markers++;
    if (has('sysmon') && text.includes('Microsoft-Windows-Sysmon')) markers++;
    if (has('behavior') || has('processtree')) markers++;
    return markers >= 2 ? 0.85 : markers === 1 ? 0.6 : 0;
  },
  open: (ctx, sink) => new CapeParser(ctx, sink),
};
