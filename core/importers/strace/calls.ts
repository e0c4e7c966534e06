// The line-by-line engine shared by the strace and ltrace importers: times, pid/thread identity,
// joining `<unfinished ...>` with `<... name resumed>` (a per-id stack, so ltrace's nested calls
// pair too), signals, exits, strace's own notices, lines broken in two by a notice that strace
// wrote into the middle of them (stderr captures), and the traced program's own output mixed into
// the lines when both wrote to one terminal (output.ts, program-lines.ts). What differs between
// the two tools (names, categories, targets, the wording of signals and exits) comes from a
// TraceDialect (dialect.ts).
import type { CanonicalEvent, Category, EventKind } from '../../model/event.ts';
import type { TraceDialect } from './dialect.ts';
import type { ImportContext, ImportSink, LineParser } from '../types.ts';
import { TraceLineTimes } from './line-times.ts';
import { PendingCalls } from './pending.ts';
import { isTraceLine, looksLikeTracePrefix, ProgramLines } from './program-lines.ts';
import {
  callNameEnd,
  joinArgs,
  looksLikeRecordStart,
  newLineHead,
  readCallTail,
  readHead,
  readResumed,
  type CallTail,
  type LineHead,
} from './line.ts';
import { pidFromFileName, TaskTable, type TaskIdentity } from './tasks.ts';
import { splitCut, writeEntryEnd, writesOwnText } from './output.ts';

interface PendingCall {
  event: CanonicalEvent;
  name: string;
  args: string;
  isThreadFork: boolean;
}

interface HeldLine {
  text: string;
  n: number;
  /** Cut by an embedded "strace: Process N attached"; the rest may follow on the next line. */
  broken: boolean;
  /** Lines of the program's own output read since the held line (a call cut by them). */
  output: { text: string; n: number }[];
}

/** How a line came to be parsed: as read, joined after a notice cut it, or stitched around program output. */
type Joined = 'no' | 'notice' | 'output';

/** Program-output lines held while waiting for a cut call's exit part; past this they are let go. */
const MAX_HELD_OUTPUT = 1000;

/** Lines read before giving up on a file none of whose lines is trace output. */
const NOT_THIS_FORMAT_AFTER = 50;

export class CallTraceParser implements LineParser {
  private readonly head = newLineHead();
  /** Scratch head for classifying a line without disturbing `head`. */
  private readonly probe = newLineHead();
  /** Clock style of the capture's lines, from the first strace line read (null: none yet). */
  private clockKind: LineHead['clock'] | null = null;
  private stitched = 0;
  private readonly times: TraceLineTimes;
  private readonly tasks = new TaskTable();
  private readonly ident: TaskIdentity = { pid: null, tid: null, ppid: null, process: null };
  private readonly pending = new PendingCalls<PendingCall>();
  private readonly program: ProgramLines;
  private readonly filePid: number | null;
  /** Ids shown in "[pid N]" prefixes that have not exited (stderr captures). */
  private readonly live = new Set<number>();
  /** The id that lines without a prefix turned out to have. */
  private unprefixedId: number | null = null;
  private held: HeldLine | null = null;
  private recognised = 0;
  private rejected = 0;

  constructor(
    private readonly dialect: TraceDialect,
    private readonly ctx: ImportContext,
    private readonly sink: ImportSink,
  ) {
    this.times = new TraceLineTimes(dialect.tool, ctx, sink);
    this.program = new ProgramLines(sink, this.times, () => {
      if (this.recognised === 0 && this.rejected + this.program.count >= NOT_THIS_FORMAT_AFTER) {
        throw new Error(`not ${this.dialect.tool} output (none of the first ${NOT_THIS_FORMAT_AFTER} lines could be read)`);
      }
    });
    this.filePid = pidFromFileName(ctx.fileName);
  }

  line(text: string, n: number): void {
    const held = this.held;
    if (held !== null) {
      this.held = null;
      if (held.broken) {
        if (text.length > 0 && !looksLikeRecordStart(text)) {
          this.sink.continuation(n);
          this.parse(held.text + text, held.n, 'notice');
          return;
        }
        this.rejectHeld(held);
      } else if (!isTraceLine(text, this.probe, this.clockKind, this.dialect.libraryNames)) {
        const closing = readCallTail(text, 0);
        if (closing.state === 'complete' || closing.state === 'unfinished') return this.stitch(held, text, n, closing);
        this.holdOutput(held, text, n);
        return;
      } else this.rejectHeld(held);
    }
    if (text.length === 0 || text.trim().length === 0) {
      this.sink.skip(n);
      return;
    }
    this.parse(text, n, 'no');
  }

  end(): void {
    if (this.held !== null) {
      // The last line was cut (capture ended mid-write): the call itself is still evidence.
      const held = this.held;
      this.held = null;
      if (!this.emitTruncated(held)) this.reject(held.n, `incomplete ${this.dialect.tool} line at the end of the file`, held.text);
      this.program.release(held.output);
    }
    for (const p of this.pending.takeAll()) this.emitUnresumed(p);
    this.times.end();
    if (this.recognised === 0 && this.rejected + this.program.count > 0) {
      throw new Error(`no line could be read as ${this.dialect.tool} output`);
    }
    if (this.program.count > 0 || this.stitched > 0) {
      const kept = this.program.count > 0 ? `; ${this.program.count} line(s) of program text not written by a traced write are kept as "program-output" log events` : '';
      this.sink.warn(
        `the traced program's own output was mixed into the ${this.dialect.tool} lines (both wrote to one terminal): ${this.stitched} call(s) cut by it were joined back together${kept}`,
      );
    }
  }

  /** A held call's program text, kept until the call's exit part shows how to read it. */
  private holdOutput(held: HeldLine, text: string, n: number): void {
    if (held.output.length >= MAX_HELD_OUTPUT) {
      this.program.release(held.output);
      held.output = [];
    }
    held.output.push({ text, n });
    this.held = held;
  }

  /**
   * Joins a call that the program's output cut (strace/output.ts): the entry part from `held`,
   * the exit part from `closingText`; the text between is the call's own bytes (a write, kept as
   * continuation lines) or another process's (program-output events).
   */
  private stitch(held: HeldLine, closingText: string, n: number, closing: CallTail): void {
    readHead(held.text, this.head);
    const nameEnd = callNameEnd(held.text, this.head.body, this.dialect.libraryNames);
    const name = held.text.slice(this.head.body, nameEnd);
    const closeAt = closing.state === 'unfinished' ? closingText.lastIndexOf('<unfinished ...>') : closing.argsEnd;
    const split = splitCut(held.text, nameEnd + 1, name, closingText, closeAt, closing.state === 'complete' ? closing.ret : null);
    const exit = closingText.slice(split.exitStart);
    this.stitched++;
    this.parse(held.text.slice(0, split.entryEnd) + (closing.state === 'unfinished' ? ' ' : '') + exit, held.n, 'output');
    if (split.ownText) {
      for (const o of held.output) this.sink.continuation(o.n);
      this.sink.continuation(n);
      return;
    }
    const glued = held.text.slice(split.entryEnd);
    if (glued.trim().length > 0) this.program.add(glued, held.n);
    this.program.release(held.output);
    const before = closingText.slice(0, split.exitStart);
    if (before.trim().length > 0) this.program.add(before, n);
    else this.sink.continuation(n);
  }

  private parse(text: string, n: number, joined: Joined): void {
    const head = this.head;
    if (!readHead(text, head)) {
      if (looksLikeTracePrefix(text)) return this.reject(n, 'malformed pid or timestamp prefix', text);
      return this.program.add(text, n);
    }
    const body = head.body;
    if (text.startsWith('strace: ', body)) return this.notice(text.slice(body), n);
    if (this.clockKind !== null && head.clock !== this.clockKind && head.pid === null) return this.program.add(text, n);
    const lineId = head.pid ?? this.idOfUnprefixed();
    const c = text.charCodeAt(body);
    const marker = (c === 60 /* < */ && text.startsWith('<... ', body)) || (c === 45 /* - */ && text.startsWith('--- ', body)) || (c === 43 /* + */ && text.startsWith('+++ ', body));
    const nameEnd = marker ? -1 : callNameEnd(text, body, this.dialect.libraryNames);
    if (!marker && nameEnd < 0) {
      if (head.pid !== null || head.clock !== 'none') return this.reject(n, `not a ${this.dialect.tool} line`, text);
      return this.program.add(text, n);
    }
    this.clockKind ??= head.clock;
    if (head.pid !== null && this.filePid === null) this.live.add(head.pid);
    if (c === 60) return this.resumed(text, n, lineId);
    if (c === 45 && marker) return this.marker(text, n, lineId, 'signal');
    if (c === 43 && marker) return this.marker(text, n, lineId, 'exit');
    return this.call(text, n, lineId, nameEnd, joined);
  }

  /**
   * Whose line has no id: the -ff file's pid; otherwise (strace on stderr shows "[pid N]" only
   * while several tasks are traced) the one task still alive, or the id the prefix-less task
   * was found to have; else unknown.
   */
  private idOfUnprefixed(): number | null {
    if (this.filePid !== null) return this.filePid;
    if (this.live.size === 1) for (const id of this.live) return id;
    return this.unprefixedId;
  }

  private call(text: string, n: number, lineId: number | null, nameEnd: number, joined: Joined): void {
    const body = this.head.body;
    const tail = readCallTail(text, nameEnd + 1);
    if (tail.state === 'malformed') {
      if (joined === 'output') return this.reject(n, 'call cut by program output could not be joined with its result', text);
      const cut = joined !== 'no' ? -1 : text.indexOf('strace: Process ', nameEnd);
      if (cut > 0) {
        // strace wrote its notice into the middle of this line; the rest comes on the next line
        this.held = { text: text.slice(0, cut), n, broken: true, output: [] };
        this.timeOf(); // the notice takes the time of the line it interrupted
        this.notice(text.slice(cut), n);
        return;
      }
      this.held = { text, n, broken: false, output: [] };
      return;
    }
    this.recognised++;
    const name = text.slice(body, nameEnd);
    let args = text.slice(nameEnd + 1, tail.argsEnd);
    if (joined === 'no' && tail.state === 'complete' && writesOwnText(name)) {
      // "write(1, "partial", 7partial) = 7": the text written without a newline, on the same line
      const entryEnd = writeEntryEnd(text.slice(0, tail.argsEnd), nameEnd + 1, tail.ret);
      if (entryEnd < tail.argsEnd) {
        args = text.slice(nameEnd + 1, entryEnd);
        this.stitched++;
      }
    }
    const ev = this.newEvent(this.timeOf(), n, 'api', name, this.dialect.categoryOf(name), lineId);
    if (tail.state === 'unfinished') {
      const isThreadFork = this.dialect.isFork(name) && args.includes('CLONE_THREAD');
      if (this.dialect.isFork(name)) this.tasks.forkStarted(lineId, isThreadFork);
      this.pending.push(lineId, { event: ev, name, args, isThreadFork });
      return;
    }
    ev.args = args;
    if (tail.state === 'no-return') {
      ev.target = this.dialect.targetOf(name, args, null);
      ev.fields = { no_return: true };
      if (this.dialect.isExec(name)) this.execed(lineId, ev);
      this.sink.event(ev);
      return;
    }
    this.finish(ev, name, args, tail, lineId, this.dialect.isFork(name) && args.includes('CLONE_THREAD'));
  }

  private resumed(text: string, n: number, lineId: number | null): void {
    const r = readResumed(text, this.head.body);
    if (r === null) return this.reject(n, 'malformed "<... resumed>" line', text);
    const name = text.slice(r.nameStart, r.nameEnd);
    const tail = readCallTail(text, r.rest);
    if (tail.state === 'malformed') return this.reject(n, `incomplete "<... ${name} resumed>" line`, text);
    this.recognised++;
    let rest = text.slice(r.rest, tail.argsEnd);
    // "<... accept4 resumed> <unfinished ...>) = ?": the thread died inside the call
    if (rest.trimStart().startsWith('<unfinished ...>')) rest = rest.trimStart().slice(16);
    let pending = this.pending.take(lineId, name);
    if (pending === null && lineId !== null && this.unprefixedId === null && this.filePid === null) {
      // "[pid 11606] <... vfork resumed>" for a call started on a line without a prefix
      pending = this.pending.take(null, name);
      if (pending !== null) {
        this.learnUnprefixedId(lineId);
        pending.event.pid = lineId;
        pending.event.tid = lineId;
      }
    }
    if (pending === null) {
      // No first half: a fork child returning (ltrace), or a trace attached mid-call.
      const ev = this.newEvent(this.timeOf(), n, 'api', name, this.dialect.categoryOf(name), lineId);
      ev.args = rest.trim();
      ev.fields = { resumed_without_start: true };
      if (tail.state === 'complete') this.finish(ev, name, ev.args, tail, lineId, false);
      else this.sink.event(ev);
      return;
    }
    this.timeOf(); // keeps the day rollover and the notice clock in line order
    this.sink.continuation(n);
    const args = joinArgs(pending.args, rest);
    if (tail.state === 'unfinished') {
      this.pending.push(lineId, { ...pending, args }); // resumed and suspended again (nested ltrace calls)
      return;
    }
    pending.event.args = args;
    this.finish(pending.event, name, args, tail, lineId, pending.isThreadFork);
  }

  private finish(ev: CanonicalEvent, name: string, args: string, tail: CallTail, lineId: number | null, isThreadFork: boolean): void {
    ev.ret = tail.ret;
    ev.error = tail.error;
    ev.dur_us = tail.durUs;
    if (tail.retDetail !== null) ev.fields = { ...ev.fields, ret_detail: tail.retDetail };
    ev.target = this.dialect.targetOf(name, args, tail.retDecoration);
    if (this.dialect.isExec(name) && tail.ret === '0') this.execed(lineId, ev);
    else if (this.dialect.isFork(name)) {
      const child = tail.ret !== null && /^\d+$/.test(tail.ret) ? Number(tail.ret) : 0;
      if (child > 0) this.tasks.forked(lineId, child, isThreadFork);
      // ret "0" is the child's own side of a fork (ltrace prints it); anything else failed
      else if (tail.ret !== '0') this.tasks.forkAbandoned(lineId);
    }
    this.sink.event(ev);
  }

  private learnUnprefixedId(id: number): void {
    this.unprefixedId = id;
    this.tasks.identifyUnknown(id);
    for (const p of this.pending.takeTask(null)) {
      p.event.pid = id;
      p.event.tid = id;
      this.pending.push(id, p);
    }
  }

  private execed(lineId: number | null, ev: CanonicalEvent): void {
    if (ev.target !== null && ev.target !== undefined && ev.target !== '') this.tasks.execed(lineId, ev.target);
    else this.tasks.forgetName(lineId);
    ev.process = this.tasks.nameOfLine(lineId);
  }

  private marker(text: string, n: number, lineId: number | null, which: 'signal' | 'exit'): void {
    const close = which === 'signal' ? ' ---' : ' +++';
    const body = this.head.body;
    let end = text.length;
    while (end > body && text.charCodeAt(end - 1) === 32) end--;
    if (!text.endsWith(close, end) || end - body < 8) return this.reject(n, `incomplete "${close.trim()}" line`, text);
    this.recognised++;
    const inner = text.slice(body + 4, end - 4).trim();
    const m = which === 'signal' ? this.dialect.signal(inner) : this.dialect.exit(inner);
    const ts = this.timeOf();
    if (which === 'exit') {
      this.flushPid(lineId);
      if (lineId !== null) this.live.delete(lineId);
    }
    const ev = this.newEvent(ts, n, m.kind, m.op, m.category, lineId);
    ev.args = m.args;
    ev.ret = m.ret;
    if (m.kind === 'process' && m.op === 'exec') this.tasks.forgetName(lineId);
    this.sink.event(ev);
  }

  /** strace's own messages: "strace: Process 1234 attached", "… detached", other text. */
  private notice(message: string, n: number): void {
    this.recognised++;
    const m = /^strace: Process (\d+) (\w+)/.exec(message);
    const id = m ? Number(m[1]) : null;
    const ev = this.newEvent(0, n, m ? 'process' : 'log', m ? (m[2] ?? 'notice') : 'strace', m ? 'process' : 'log', id);
    ev.args = message;
    this.times.emitAtLast(ev);
  }

  /** The current line's time (its head is in this.head). */
  private timeOf(): number {
    return this.times.of(this.head);
  }

  private newEvent(ts: number, n: number, kind: EventKind, op: string, category: Category, lineId: number | null): CanonicalEvent {
    const id = this.ident;
    this.tasks.identify(lineId, id);
    return {
      ts_us: ts,
      dur_us: null,
      pid: id.pid,
      tid: id.tid,
      ppid: id.ppid,
      process: id.process,
      kind,
      op,
      category,
      target: null,
      args: null,
      ret: null,
      error: null,
      source_line: n,
      fields: null,
    };
  }

  /** A task exited: its calls that never resumed become events with an unknown result. */
  private flushPid(lineId: number | null): void {
    for (const p of this.pending.takeTask(lineId)) this.emitUnresumed(p);
  }

  private emitUnresumed(p: PendingCall): void {
    p.event.args = p.args;
    p.event.target = this.dialect.targetOf(p.name, p.args, null);
    p.event.fields = { unfinished: true };
    if (this.dialect.isFork(p.name)) this.tasks.forkAbandoned(p.event.tid ?? null);
    this.sink.event(p.event);
  }

  private emitTruncated(held: HeldLine): boolean {
    if (!readHead(held.text, this.head)) return false;
    const nameEnd = callNameEnd(held.text, this.head.body, this.dialect.libraryNames);
    if (nameEnd < 0) return false;
    this.recognised++;
    const name = held.text.slice(this.head.body, nameEnd);
    const ev = this.newEvent(this.timeOf(), held.n, 'api', name, this.dialect.categoryOf(name), this.head.pid ?? this.filePid);
    ev.args = held.text.slice(nameEnd + 1);
    ev.fields = { truncated: true };
    this.sink.event(ev);
    return true;
  }

  private rejectHeld(held: HeldLine): void {
    const reason = held.broken
      ? 'call cut by a strace notice and never completed'
      : 'incomplete call: no result and not marked <unfinished ...>';
    this.reject(held.n, reason, held.text);
    this.program.release(held.output);
  }

  private reject(n: number, reason: string, raw: string): void {
    this.rejected++;
    this.sink.reject(n, reason, raw);
    if (this.recognised === 0 && this.rejected >= NOT_THIS_FORMAT_AFTER) {
      throw new Error(`not ${this.dialect.tool} output (none of the first ${NOT_THIS_FORMAT_AFTER} lines could be read)`);
    }
  }
}
