// Splits decoded text chunks into lines, numbering them from 1. A line longer than `maxLine`
// characters is not accumulated: it is reported once as over-long and its rest is discarded,
// so one absurd line cannot exhaust memory. The line ending is read from the content
// (core/util/line-ending.ts): LF and CRLF split at "\n"; a CR-only file splits at every "\r" too.
// Until it is known (no "\n" yet, less than 64 Ki characters) the text is held, not split.
import { DETECT_WINDOW, detectLineEnding, type LineEnding } from '../util/line-ending.ts';

const CR = 13;

export interface LineHandler {
  line(text: string, lineNumber: number): void;
  overlong(lineNumber: number, head: string, length: number): void;
}

export class LineSplitter {
  private pending = '';
  private lineNumber = 0;
  private overlongLength = 0; // > 0 while skipping the rest of an over-long line
  private ending: LineEnding | null = null;
  /** Text held while the line ending is undecided. */
  private held: string[] = [];
  private heldChars = 0;
  /** CR-only mode: the last chunk ended with "\r", so a "\n" opening the next one is part of that break. */
  private afterCr = false;

  constructor(
    private readonly handler: LineHandler,
    private readonly maxLine = 1 << 20,
  ) {}

  get linesSeen(): number {
    return this.lineNumber;
  }

  /** The line ending found (null until decided). */
  get lineEnding(): LineEnding | null {
    return this.ending;
  }

  push(chunk: string): void {
    if (this.ending === null) {
      this.held.push(chunk);
      this.heldChars += chunk.length;
      if (!chunk.includes('\n') && this.heldChars < DETECT_WINDOW) return;
      this.decide(false);
      return;
    }
    if (this.ending === 'cr') return this.pushCrOnly(chunk);
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl < 0) break;
      // A CRLF line's "\r" is left out of the slice here (one string a line instead of two).
      if (nl > start && chunk.charCodeAt(nl - 1) === CR) this.finishLine(chunk.slice(start, nl - 1), true);
      else this.finishLine(chunk.slice(start, nl));
      start = nl + 1;
    }
    this.accumulate(chunk.slice(start));
  }

  end(): void {
    if (this.ending === null) this.decide(true);
    if (this.pending.length > 0 || this.overlongLength > 0) this.finishLine('');
  }

  /** Fixes the line ending from the held text, then splits that text. */
  private decide(complete: boolean): void {
    const text = this.held.join('');
    this.held = [];
    this.heldChars = 0;
    this.ending = detectLineEnding(text, complete) ?? 'lf';
    this.push(text);
  }

  /** CR-only text: "\r", "\r\n" and "\n" each end a line. */
  private pushCrOnly(chunk: string): void {
    let start = this.afterCr && chunk.charCodeAt(0) === 10 ? 1 : 0;
    this.afterCr = false;
    const breaks = /\r\n?|\n/g;
    breaks.lastIndex = start;
    for (let m = breaks.exec(chunk); m !== null; m = breaks.exec(chunk)) {
      this.finishLine(chunk.slice(start, m.index));
      start = m.index + m[0].length;
      if (start === chunk.length && m[0] === '\r') this.afterCr = true;
    }
    this.accumulate(chunk.slice(start));
  }

  private accumulate(part: string): void {
    if (this.overlongLength > 0) {
      this.overlongLength += part.length;
      return;
    }
    if (this.pending.length + part.length > this.maxLine) {
      this.overlongLength = this.pending.length + part.length;
      this.pending = (this.pending + part).slice(0, 200);
      return;
    }
    this.pending += part;
  }

  /** `crRemoved`: the line's ending "\r" was already taken off `tail` (which is then not empty). */
  private finishLine(tail: string, crRemoved = false): void {
    this.lineNumber++;
    // Lengths as the line was read, its "\r" included.
    const tailLength = crRemoved ? tail.length + 1 : tail.length;
    if (this.overlongLength > 0 || this.pending.length + tailLength > this.maxLine) {
      const length = this.overlongLength > 0 ? this.overlongLength + tailLength : this.pending.length + tailLength;
      this.handler.overlong(this.lineNumber, (this.pending + tail + (crRemoved ? '\r' : '')).slice(0, 200), length);
      this.pending = '';
      this.overlongLength = 0;
      return;
    }
    let text = this.pending.length > 0 ? this.pending + tail : tail;
    this.pending = '';
    if (!crRemoved && text.endsWith('\r')) text = text.slice(0, -1);
    this.handler.line(text, this.lineNumber);
  }
}
