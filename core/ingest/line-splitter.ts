// Splits decoded text chunks into lines, numbering them from 1. A line longer than `maxLine`
// characters is not accumulated: it is reported once as over-long and its rest is discarded,
// so one absurd line cannot exhaust memory.

export interface LineHandler {
  line(text: string, lineNumber: number): void;
  overlong(lineNumber: number, head: string, length: number): void;
}

export class LineSplitter {
  private pending = '';
  private lineNumber = 0;
  private overlongLength = 0; // > 0 while skipping the rest of an over-long line

  constructor(
    private readonly handler: LineHandler,
    private readonly maxLine = 1 << 20,
  ) {}

  get linesSeen(): number {
    return this.lineNumber;
  }

  push(chunk: string): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      if (nl < 0) break;
      this.finishLine(chunk.slice(start, nl));
      start = nl + 1;
    }
    this.accumulate(chunk.slice(start));
  }

  end(): void {
    if (this.pending.length > 0 || this.overlongLength > 0) this.finishLine('');
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

  private finishLine(tail: string): void {
    this.lineNumber++;
    if (this.overlongLength > 0 || this.pending.length + tail.length > this.maxLine) {
      const length = this.overlongLength > 0 ? this.overlongLength + tail.length : this.pending.length + tail.length;
      this.handler.overlong(this.lineNumber, (this.pending + tail).slice(0, 200), length);
      this.pending = '';
      this.overlongLength = 0;
      return;
    }
    let text = this.pending.length > 0 ? this.pending + tail : tail;
    this.pending = '';
    if (text.endsWith('\r')) text = text.slice(0, -1);
    this.handler.line(text, this.lineNumber);
  }
}
