// frida-trace console logs. Times are milliseconds since tracing started and the file holds no
// absolute time: the analyst gives the start with --start (ctx.startUs); without it the file's
// modification time is assumed (ctx.fileModifiedUs), recorded as the capture's date_basis
// ("start … (file modification time)") and warned about, and `tracebench align` corrects it
// later. The import is never refused for it. One `api` event per call line; the lines a handler logs under a call at the
// same nesting depth ("fd:0x…", "ret:0x…", "<= 0x…") fold into that call: "ret"/"retval"/"<="
// become ret (and the time between call and ret its duration), the rest join args.
//
//   Started tracing 24 functions. Press Ctrl+C to stop.
//              /* TID 0x670f */
//     2244 ms  SECKEY_CreateECPrivateKey()
//     2244 ms     | EC_ValidatePublicKey()          ← nested one level ("   |" per level)
//     2245 ms  0x670f ret:0x7f04…                   ← some handlers print the thread id first
import type { CanonicalEvent, Category } from '../model/event.ts';
import type { ImportSink, TextImporter } from './types.ts';
import { functionCategory } from './strace/ltrace-functions.ts';
import { usToIso } from '../util/time.ts';

const TIMED = /^\s*(\d+(?:\.\d+)?) ms {2}/;
const TID_MARKER = /^\s*\/\* TID (0x[0-9a-fA-F]+|\d+) \*\/\s*$/;
const CALL = /^([A-Za-z_$?][\w$:.@~<>?-]*)\((.*)\)\s*$/;
const THREAD_TOKEN = /^(0x[0-9a-fA-F]+) (?=\S)/;
/** frida-trace's own messages around the trace. */
const CHROME = [
  /^Attaching\.\.\.$/,
  /^Resolving functions\.\.\.$/,
  /^Instrumenting( functions)?\.\.\.$/,
  /^\S.*: Loaded handler at "/,
  /^\S.*: Auto-generated handler at "/,
  /^Started tracing \d+ functions?\./,
  /^Spawned `.*`\. Resuming main thread!$/,
  /^Spawning `.*`\.\.\.$/,
  /^Warning: /,
  /^Stopping\.\.\.$/,
  /^Process terminated$/,
  /^Thank you for using Frida!$/,
];
const RET_DETAIL = /^(?:ret(?:val)?\s*[:=]\s*|<=\s*)(.*)$/;

interface OpenCall {
  event: CanonicalEvent;
  depth: number;
  ms: number;
  details: string[];
}

function depthAndText(rest: string): { depth: number; text: string } {
  let i = 0;
  let depth = 0;
  while (i < rest.length && (rest[i] === ' ' || rest[i] === '|')) {
    if (rest[i] === '|') depth++;
    i++;
  }
  return { depth, text: rest.slice(i) };
}

/** Category of a traced function: libc names via the ltrace table, plus common Win32/NSS names. */
export function fridaCategory(name: string): Category {
  const c = functionCategory(name);
  if (c !== 'other') return c;
  if (/^(SSL_|PR_(Connect|Send|Recv|Accept|Bind|Listen|Write|Read)\b|WSA|Internet|WinHttp|HttpSendRequest|getaddrinfo|DnsQuery)/.test(name)) return 'network';
  if (/^(Reg|NtQueryValueKey|NtSetValueKey|NtOpenKey|NtCreateKey)/.test(name)) return 'registry';
  if (/^(CreateFile|ReadFile|WriteFile|DeleteFile|MoveFile|CopyFile|FindFirstFile|FindNextFile|NtCreateFile|NtOpenFile|NtReadFile|NtWriteFile|GetFileAttributes)/.test(name)) return 'file';
  if (/^(CreateProcess|ShellExecute|WinExec|OpenProcess|TerminateProcess|CreateRemoteThread|CreateThread|NtCreateUserProcess)/.test(name)) return 'process';
  if (/^(VirtualAlloc|VirtualProtect|WriteProcessMemory|ReadProcessMemory|HeapAlloc|HeapFree|NtAllocateVirtualMemory)/.test(name)) return 'memory';
  if (/^(LoadLibrary|GetProcAddress|LdrLoadDll)/.test(name)) return 'module';
  if (/^(Crypt|BCrypt|NCrypt|PK11_|SECKEY_|CERT_|LogonUser|OpenProcessToken|AdjustTokenPrivileges)/.test(name)) return 'credential';
  return 'other';
}

class FridaTraceParser {
  private readonly open = new Map<number, OpenCall[]>();
  private currentTid: number | null = null;
  private started = false;
  private process: string | null = null;
  private recognised = 0;
  private rejected = 0;
  private reportedStart = false;

  constructor(
    private readonly startUs: number,
    /** The start was assumed (the file's modification time), not given with --start. */
    private readonly startAssumed: boolean,
    private readonly sink: ImportSink,
  ) {}

  /** Absolute time of a relative "N ms"; the first use records (and, if assumed, warns of) the start. */
  private at(ms: number): number {
    if (!this.reportedStart) {
      this.reportedStart = true;
      this.sink.usedStart();
      if (this.startAssumed) {
        this.sink.warn(
          `frida-trace times are milliseconds since tracing started and the file holds no absolute time; assumed the start ${usToIso(this.startUs)} (file modification time — usually when tracing ended, so true times may be earlier by up to the length of the trace). Correct it with tracebench align (--offset or --same) or re-import with --start.`,
        );
      }
    }
    return this.startUs + Math.round(ms * 1000);
  }

  line(raw: string, n: number): void {
    const text = raw.trimEnd();
    if (text.trim() === '') return this.sink.skip(n);
    const timed = TIMED.exec(text);
    if (timed) return this.timedLine(text.slice(timed[0].length), Number(timed[1]), n);
    const tid = TID_MARKER.exec(text);
    if (tid) {
      this.recognised++;
      this.currentTid = parseThreadId(tid[1] ?? '');
      return this.sink.skip(n); // a marker, not an event: it sets the thread of the lines below
    }
    const chrome = text.trim();
    if (CHROME.some((re) => re.test(chrome))) {
      this.recognised++;
      if (chrome.startsWith('Started tracing')) this.started = true;
      const spawned = /^Spawn(?:ed|ing) `([^`]*)`/.exec(chrome)?.[1];
      if (spawned) this.process = spawned.split(/\s+/)[0]?.split('/').pop() ?? null;
      return this.sink.skip(n);
    }
    // an untimed line after a call is the rest of a multi-line handler message (hexdump, …)
    const last = this.started ? this.lastOpen() : null;
    if (last) {
      last.details.push(text.trim());
      return this.sink.continuation(n);
    }
    this.rejected++;
    this.sink.reject(n, 'not a frida-trace line (no "N ms" time, thread marker or frida message)', raw);
    if (this.recognised === 0 && this.rejected >= 50) {
      throw new Error(`not frida-trace output (none of the first 50 lines could be read)`);
    }
  }

  end(): void {
    for (const calls of this.open.values()) for (const c of calls) this.emit(c);
    this.open.clear();
    if (this.recognised === 0 && this.rejected > 0) throw new Error(`no line could be read as frida-trace output`);
  }

  private timedLine(rest: string, ms: number, n: number): void {
    this.recognised++;
    const { depth, text } = depthAndText(rest);
    let message = text;
    let tid = this.currentTid;
    const token = THREAD_TOKEN.exec(message);
    if (token) {
      tid = parseThreadId(token[1] ?? '');
      message = message.slice(token[0].length);
    }
    const key = tid ?? -1;
    const call = CALL.exec(message);
    if (call) {
      this.closeFrom(key, depth);
      const name = call[1] ?? message;
      const args = call[2] ?? '';
      const event: CanonicalEvent = {
        ts_us: this.at(ms),
        dur_us: null,
        pid: null,
        tid,
        ppid: null,
        process: this.process,
        kind: 'api',
        op: name,
        category: fridaCategory(name),
        target: firstString(args),
        args: args === '' ? null : args,
        ret: null,
        error: null,
        source_line: n,
        fields: null,
      };
      const list = this.open.get(key);
      const entry = { event, depth, ms, details: [] };
      if (list) list.push(entry);
      else this.open.set(key, [entry]);
      return;
    }
    const owner = this.ownerOf(key, depth);
    if (owner) {
      const ret = RET_DETAIL.exec(message);
      if (ret) {
        // "ret:0x7f…::7f…  50 e6 b9 57  P..W": the value, then a handler's hexdump of it
        const value = ret[1] ?? '';
        const token = value.split(/\s|::/, 1)[0] ?? value;
        owner.event.ret = token;
        if (token !== value) owner.event.fields = { ret_detail: value };
        owner.event.dur_us = Math.round((ms - owner.ms) * 1000);
      } else owner.details.push(message);
      return this.sink.continuation(n);
    }
    // a handler message outside any call
    this.sink.event({
      ts_us: this.at(ms),
      tid,
      pid: null,
      process: this.process,
      kind: 'log',
      op: 'message',
      category: 'log',
      args: message,
      source_line: n,
    });
  }

  /** The open call a detail line at `depth` belongs to: the latest at that depth, else above. */
  private ownerOf(key: number, depth: number): OpenCall | null {
    const list = this.open.get(key);
    if (!list) return null;
    for (let i = list.length - 1; i >= 0; i--) {
      const c = list[i];
      if (c && c.depth <= depth) return c;
    }
    return null;
  }

  private lastOpen(): OpenCall | null {
    const list = this.open.get(this.currentTid ?? -1);
    return list?.[list.length - 1] ?? null;
  }

  /** A new call at `depth` ends every open call on the thread at that depth or deeper. */
  private closeFrom(key: number, depth: number): void {
    const list = this.open.get(key);
    if (!list) return;
    while (list.length > 0 && (list[list.length - 1]?.depth ?? -1) >= depth) {
      const c = list.pop();
      if (c) this.emit(c);
    }
  }

  private emit(c: OpenCall): void {
    if (c.details.length > 0) {
      const joined = c.details.join(', ');
      c.event.args = c.event.args ? `${c.event.args}; ${joined}` : joined;
    }
    this.sink.event(c.event);
  }
}

function parseThreadId(text: string): number | null {
  const v = text.startsWith('0x') ? parseInt(text.slice(2), 16) : Number(text);
  return Number.isFinite(v) && v <= 0x7fffffff ? v : null;
}

function firstString(args: string): string | null {
  const m = /"((?:[^"\\]|\\.)*)"/.exec(args);
  return m?.[1] ?? null;
}

export const fridaTraceImporter: TextImporter = {
  mode: 'text',
  format: 'frida-trace',
  module: import.meta.url,
  title: 'frida-trace console log',
  reads: 'frida-trace output: "N ms" times relative to the start (--start; else the file\'s modification time is assumed), /* TID 0x… */ thread markers, "   |" nesting, handler detail lines',
  version: '1.1.0',
  detect(sample) {
    const lines = sample.lines.filter((l) => l.trim() !== '').slice(0, 200);
    if (lines.length === 0) return 0;
    let timed = 0;
    let markers = 0;
    for (const l of lines) {
      if (TIMED.test(l)) timed++;
      else if (TID_MARKER.test(l) || /^Started tracing \d+ function/.test(l) || /: Loaded handler at "/.test(l)) markers++;
    }
    if (timed === 0) return markers >= 2 ? 0.6 : 0;
    if ((timed + markers) / lines.length < 0.6) return 0.2;
    return markers > 0 ? 0.95 : 0.8;
  },
  open(ctx, sink) {
    return new FridaTraceParser(ctx.startUs ?? ctx.fileModifiedUs, ctx.startUs === null, sink);
  },
};
