// The traced program's own lines in a strace/ltrace capture (output.ts tells them from the
// trace's): each becomes a "program-output" log event at the time of the last trace line, blank
// ones are skipped, and they are counted for the import's warning (CallTraceParser).
import type { CanonicalEvent } from '../../model/event.ts';
import type { ImportSink } from '../types.ts';
import { readHead, callNameEnd, type LineHead } from './line.ts';
import type { TraceLineTimes } from './line-times.ts';

export class ProgramLines {
  /** Lines of program text read so far (blank ones included). */
  count = 0;

  constructor(
    private readonly sink: ImportSink,
    private readonly times: TraceLineTimes,
    /** Run after each line (the parser gives up on a file none of whose lines is trace output). */
    private readonly afterLine: () => void,
  ) {}

  /** One line of the program's text. */
  add(text: string, n: number): void {
    this.count++;
    const ev: CanonicalEvent = {
      ts_us: 0, // the last line's time (TraceLineTimes.emitAtLast)
      pid: null,
      tid: null,
      ppid: null,
      process: null,
      kind: 'log',
      op: 'program-output',
      category: 'log',
      args: text,
      source_line: n,
    };
    this.times.emitAtLast(ev);
    this.afterLine();
  }

  /** Lines held while a cut call waited for its exit part, let go as program text. */
  release(lines: readonly { text: string; n: number }[]): void {
    for (const o of lines) {
      if (o.text.trim().length === 0) {
        this.count++;
        this.sink.skip(o.n);
      } else this.add(o.text, o.n);
    }
  }
}

/**
 * A line that strace (or ltrace) wrote, as opposed to the program's own text: it has the
 * capture's clock and the shape of a record, or a pid/time prefix (`probe` is scratch space).
 * See output.ts for how program text that looks exactly like a trace line is read.
 */
export function isTraceLine(text: string, probe: LineHead, clockKind: LineHead['clock'] | null, libraryNames: boolean): boolean {
  if (!readHead(text, probe)) return looksLikeTracePrefix(text);
  const body = probe.body;
  if (text.startsWith('strace: ', body)) return true; // notices carry no time
  if (clockKind !== null && probe.clock !== clockKind && probe.pid === null) return false;
  if (text.startsWith('<... ', body) || text.startsWith('--- ', body) || text.startsWith('+++ ', body)) return true;
  if (callNameEnd(text, body, libraryNames) >= 0) return true;
  return probe.pid !== null || probe.clock !== 'none';
}

/** A pid or time prefix that did not read: strace's (a reject), not the program's text. */
export function looksLikeTracePrefix(text: string): boolean {
  return /^(\[pid\b|\d+ +\d|\d{1,2}:\d\d:\d\d|\d{9,}\.\d)/.test(text);
}
