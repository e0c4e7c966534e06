// A small XML reader for Windows event exports: enough XML (elements, attributes, text,
// comments, CDATA, character and entity references) to read <Event> elements, and a streaming
// splitter that finds each <Event>…</Event> in text fed line by line, whether events span many
// lines (evtxexport, PowerShell) or many sit on one line (wevtutil qe /f:xml).
import { localName, type XmlElement } from './xml-tree.ts';

export class XmlSyntaxError extends Error {}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
    return NAMED_ENTITIES[ref] ?? whole;
  });
}

const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function parseStartTag(inner: string): { name: string; attrs: Record<string, string> } {
  const m = /^([^\s/>]+)/.exec(inner);
  if (!m?.[1]) throw new XmlSyntaxError(`tag without a name: <${inner.slice(0, 40)}>`);
  const attrs: Record<string, string> = {};
  for (const a of inner.slice(m[1].length).matchAll(ATTRIBUTE)) {
    const name = a[1] ?? '';
    if (name.startsWith('xmlns')) continue;
    attrs[localName(name)] = decodeEntities(a[2] ?? a[3] ?? '');
  }
  return { name: localName(m[1]), attrs };
}

/** End of the tag starting at `lt` (index of its '>'), honouring quoted attribute values. */
function tagEnd(text: string, lt: number): number {
  let quote = '';
  for (let i = lt + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}

/** Where a markup construct starting at `lt` ends (index after it), or -1 when incomplete. */
function markupEnd(text: string, lt: number): number {
  if (text.startsWith('<!--', lt)) {
    const end = text.indexOf('-->', lt + 4);
    return end < 0 ? -1 : end + 3;
  }
  if (text.startsWith('<![CDATA[', lt)) {
    const end = text.indexOf(']]>', lt + 9);
    return end < 0 ? -1 : end + 3;
  }
  if (text.startsWith('<?', lt)) {
    const end = text.indexOf('?>', lt + 2);
    return end < 0 ? -1 : end + 2;
  }
  const end = tagEnd(text, lt);
  return end < 0 ? -1 : end + 1;
}

/** Parses one complete element (text that starts with its start tag). */
export function parseXmlElement(text: string): XmlElement {
  const root: XmlElement = { name: '#root', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  let pos = 0;
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    const top = stack.at(-1) ?? root;
    if (lt < 0 || lt > pos) {
      const raw = text.slice(pos, lt < 0 ? text.length : lt);
      if (stack.length > 1) top.children.push(decodeEntities(raw));
      else if (raw.trim() !== '') throw new XmlSyntaxError(`text outside the element: "${raw.trim().slice(0, 40)}"`);
      if (lt < 0) break;
    }
    const end = markupEnd(text, lt);
    if (end < 0) throw new XmlSyntaxError('unterminated markup');
    if (text.startsWith('<![CDATA[', lt)) top.children.push(text.slice(lt + 9, end - 3));
    else if (text.startsWith('</', lt)) {
      const name = localName(text.slice(lt + 2, end - 1).trim());
      if (stack.length <= 1 || top.name !== name) throw new XmlSyntaxError(`unexpected </${name}> (open: <${top.name}>)`);
      stack.pop();
    } else if (!text.startsWith('<!', lt) && !text.startsWith('<?', lt)) {
      const selfClosing = text[end - 2] === '/';
      const { name, attrs } = parseStartTag(text.slice(lt + 1, selfClosing ? end - 2 : end - 1));
      const el: XmlElement = { name, attrs, children: [] };
      top.children.push(el);
      if (!selfClosing) stack.push(el);
    }
    pos = end;
  }
  if (stack.length > 1) throw new XmlSyntaxError(`element <${stack.at(-1)?.name ?? ''}> is not closed`);
  const first = root.children.find((c): c is XmlElement => typeof c !== 'string');
  if (!first) throw new XmlSyntaxError('no element');
  return first;
}

export interface SplitterCallbacks {
  /** A complete <Event> element's text and the line it started on. */
  event(text: string, startLine: number): void;
  /** Non-blank text outside any <Event> (banner lines, stray text). */
  stray(text: string, lineNumber: number): void;
  /** An <Event> given up (too long to be real); reading resumes at the next <Event>. */
  abandoned(reason: string, startLine: number): void;
}

/** Longest <Event> accepted; beyond this the element is given up and reading resynchronises. */
const MAX_EVENT_CHARS = 8 * 1024 * 1024;

/**
 * Feeds lines, reports complete <Event> elements. Wrappers (<Events>, <?xml?>, comments) are
 * stepped over. `inEvent` tells the caller whether a line continues an event begun earlier.
 */
export class EventElementSplitter {
  private buffer = '';
  private scan = 0;
  private depth = 0;
  private startLine = 0;

  constructor(private readonly callbacks: SplitterCallbacks) {}

  get inEvent(): boolean {
    return this.depth > 0 || this.buffer !== '';
  }
  get pendingStartLine(): number {
    return this.startLine;
  }

  line(text: string, lineNumber: number): { eventsStarted: number } {
    let eventsStarted = 0;
    if (this.buffer === '') {
      const pos = this.skipOutside(text, 0, lineNumber);
      if (pos < 0) return { eventsStarted };
      this.startLine = lineNumber;
      eventsStarted++;
      this.buffer = text.slice(pos);
      this.scan = 0;
    } else {
      this.buffer += `\n${text}`;
    }
    for (;;) {
      const rest = this.advance();
      if (rest === null) break;
      // An event closed; look for another one starting later on the same line.
      const pos = this.skipOutside(rest, 0, lineNumber);
      if (pos < 0) break;
      this.startLine = lineNumber;
      eventsStarted++;
      this.buffer = rest.slice(pos);
      this.scan = 0;
    }
    if (this.buffer.length > MAX_EVENT_CHARS) {
      this.callbacks.abandoned(`<Event> longer than ${MAX_EVENT_CHARS} characters without its end tag`, this.startLine);
      this.reset();
    }
    return { eventsStarted };
  }

  /** Text left over at the end of input (an <Event> never closed), or null. */
  end(): string | null {
    const left = this.buffer;
    this.reset();
    return left === '' ? null : left;
  }

  private reset(): void {
    this.buffer = '';
    this.scan = 0;
    this.depth = 0;
  }

  /** Index of the next "<Event" start at or after `from`, reporting stray text; -1 when none. */
  private skipOutside(text: string, from: number, lineNumber: number): number {
    let pos = from;
    while (pos < text.length) {
      const lt = text.indexOf('<', pos);
      const stray = text.slice(pos, lt < 0 ? text.length : lt).trim();
      if (stray !== '') this.callbacks.stray(stray, lineNumber);
      if (lt < 0) return -1;
      if (/^<(?:[A-Za-z_][\w.-]*:)?Event[\s/>]/.test(text.slice(lt, lt + 40)) || /^<(?:[\w.-]+:)?Event$/.test(text.slice(lt))) return lt;
      const end = markupEnd(text, lt);
      if (end < 0) return -1; // a wrapper tag split over lines: rare enough to ignore
      pos = end;
    }
    return -1;
  }

  /** Scans the buffered event; when it closes, emits it and returns the text after it. */
  private advance(): string | null {
    const text = this.buffer;
    while (this.scan < text.length) {
      const lt = text.indexOf('<', this.scan);
      if (lt < 0) {
        this.scan = text.length;
        return null;
      }
      const end = markupEnd(text, lt);
      if (end < 0) {
        this.scan = lt;
        return null;
      }
      this.scan = end;
      if (text.startsWith('<!', lt) || text.startsWith('<?', lt)) continue;
      if (text[lt + 1] === '/') this.depth--;
      else if (text[end - 2] !== '/') this.depth++;
      if (this.depth === 0) {
        const element = text.slice(0, end);
        const startLine = this.startLine;
        this.reset();
        this.callbacks.event(element, startLine);
        return text.slice(end);
      }
    }
    return null;
  }
}
