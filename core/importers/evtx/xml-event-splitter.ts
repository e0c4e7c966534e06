// Finds each <Event>…</Event> in XML text fed line by line, whether events span many lines
// (evtxexport, PowerShell) or many sit on one line (wevtutil qe /f:xml); wrappers (<Events>,
// <?xml?>, comments) are stepped over. The XML itself is parsed per event (xml-reader.ts), so a
// malformed event is one reject and reading resumes at the next <Event>: a single SAX stream over
// the whole file has no such resynchronisation.
//
// Linear time: every character is looked at once. The state of an unfinished tag (inside which
// quote, if any), comment, CDATA section or processing instruction is kept between lines, and
// the event's text is kept as pieces joined once at its end. (The reader this replaces rescanned
// the whole unfinished tag on every new line: an attribute whose quote never closed made 1.3 MB
// take minutes.)

export interface SplitterCallbacks {
  /** A complete <Event> element's text and the line it started on. */
  event(text: string, startLine: number): void;
  /** Non-blank text outside any <Event> (banner lines, stray text). */
  stray(text: string, lineNumber: number): void;
  /** An <Event> given up (too long to be real); reading resumes at the next <Event>. */
  abandoned(reason: string, startLine: number): void;
}

/** Longest <Event> accepted; beyond this the element is given up and reading resynchronises. */
export const MAX_EVENT_CHARS = 8 * 1024 * 1024;

/** What an unfinished construct needs to end: a tag's '>' (outside quotes) or a fixed terminator. */
type Open =
  | { kind: 'none' }
  | { kind: 'tag'; quote: '' | '"' | "'"; role: 'start' | 'end' | 'declaration' }
  | { kind: 'until'; terminator: '-->' | ']]>' | '?>' };

const NONE: Open = { kind: 'none' };
const EVENT_START = /^<(?:[A-Za-z_][\w.-]*:)?Event(?:[\s/>]|$)/;
const TAG_STOP = /["'>]/g;

export class EventElementSplitter {
  private open: Open = NONE;
  private inside = false;
  private depth = 0;
  private startLine = 0;
  private pieces: string[] = [];
  private chars = 0;

  constructor(private readonly callbacks: SplitterCallbacks) {}

  /** Whether an <Event> begun on an earlier line is still open. */
  get inEvent(): boolean {
    return this.inside;
  }
  get pendingStartLine(): number {
    return this.startLine;
  }

  line(text: string, lineNumber: number): { eventsStarted: number } {
    let eventsStarted = 0;
    let pos = 0;
    // Where the open event's text starts on this line.
    let from = 0;
    if (this.inside) this.append('\n');
    while (pos <= text.length) {
      if (this.open.kind !== 'none') {
        const end = this.finishOpen(text, pos);
        if (end < 0) break;
        pos = end;
        if (this.inside && this.depth === 0) {
          this.emit(text.slice(from, pos));
          from = pos;
        }
        continue;
      }
      const lt = text.indexOf('<', pos);
      if (!this.inside) {
        const stray = text.slice(pos, lt < 0 ? text.length : lt).trim();
        if (stray !== '') this.callbacks.stray(stray, lineNumber);
        if (lt < 0) break;
        if (EVENT_START.test(text.slice(lt, lt + 64))) {
          this.inside = true;
          this.depth = 0;
          this.startLine = lineNumber;
          eventsStarted++;
          from = lt;
        }
      } else if (lt < 0) break;
      pos = this.openMarkup(text, lt);
    }
    if (this.inside) {
      this.append(text.slice(from));
      if (this.chars > MAX_EVENT_CHARS) {
        this.callbacks.abandoned(`<Event> longer than ${MAX_EVENT_CHARS} characters without its end tag`, this.startLine);
        this.reset();
      }
    }
    return { eventsStarted };
  }

  /** Text left over at the end of input (an <Event> never closed), or null. */
  end(): string | null {
    const left = this.inside ? this.pieces.join('') : null;
    this.reset();
    return left;
  }

  private append(piece: string): void {
    this.pieces.push(piece);
    this.chars += piece.length;
  }

  private emit(lastPiece: string): void {
    this.pieces.push(lastPiece);
    const element = this.pieces.join('');
    const startLine = this.startLine;
    this.reset();
    this.callbacks.event(element, startLine);
  }

  private reset(): void {
    this.open = NONE;
    this.inside = false;
    this.depth = 0;
    this.pieces = [];
    this.chars = 0;
  }

  /** Starts the markup at `lt` ('<'); returns the index after its opening. */
  private openMarkup(text: string, lt: number): number {
    if (text.startsWith('<!--', lt)) {
      this.open = { kind: 'until', terminator: '-->' };
      return lt + 4;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      this.open = { kind: 'until', terminator: ']]>' };
      return lt + 9;
    }
    if (text.startsWith('<?', lt)) {
      this.open = { kind: 'until', terminator: '?>' };
      return lt + 2;
    }
    // Start tags, end tags and <!DOCTYPE …> alike end at a '>' outside quotes; only elements count.
    const role = text.startsWith('<!', lt) ? 'declaration' : text.startsWith('</', lt) ? 'end' : 'start';
    this.open = { kind: 'tag', quote: '', role };
    return lt + 1;
  }

  /** Continues the open construct from `pos`; the index after its end, or -1 when the line ends first. */
  private finishOpen(text: string, pos: number): number {
    const open = this.open;
    if (open.kind === 'until') {
      const at = text.indexOf(open.terminator, pos);
      if (at < 0) return -1;
      this.open = NONE;
      return at + open.terminator.length;
    }
    if (open.kind !== 'tag') return pos;
    let i = pos;
    for (;;) {
      if (open.quote !== '') {
        const close = text.indexOf(open.quote, i);
        if (close < 0) return -1;
        open.quote = '';
        i = close + 1;
      }
      TAG_STOP.lastIndex = i;
      const stop = TAG_STOP.exec(text);
      if (stop === null) return -1;
      const c = stop[0];
      if (c === '>') {
        this.open = NONE;
        // A self-closing tag ("/>") leaves the depth as it was: <Event/> is complete at once.
        if (this.inside && open.role === 'end') this.depth--;
        else if (this.inside && open.role === 'start' && text.charCodeAt(stop.index - 1) !== 47 /* / */) this.depth++;
        return stop.index + 1;
      }
      open.quote = c as '"' | "'";
      i = stop.index + 1;
    }
  }
}
