// A small XML reader for Windows event exports: enough XML (elements, attributes, text,
// comments, CDATA, character and entity references) to read one <Event> element into the tree
// of xml-tree.ts. xml-event-splitter.ts finds the elements in the file. Linear time: each markup
// construct is scanned once, attributes in one pass. Kept over saxes (≈ 1.4× slower on the Sysmon
// export, and it refuses events holding an unknown entity or a control character) and
// fast-xml-parser (≈ 3.8× slower, and it accepts a mismatched end tag): docs/benchmarks.md,
// "Parsers vs libraries".
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

/** Whitespace as XML defines it (space, tab, CR, LF). */
function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/**
 * name="value" / name='value' pairs of a start tag's inside, read in one pass (the regex this
 * replaces backtracked over every start position of a long token without "=": 100 KB took 67 s).
 * Lenient like it: a name without "=value" and an unclosed quote are stepped over.
 */
function readAttributes(inner: string, from: number, attrs: Record<string, string>): void {
  const n = inner.length;
  let i = from;
  while (i < n) {
    while (i < n && isSpace(inner.charCodeAt(i))) i++;
    const nameStart = i;
    while (i < n) {
      const c = inner.charCodeAt(i);
      if (isSpace(c) || c === 61 /* = */ || c === 47 /* / */ || c === 62 /* > */) break;
      i++;
    }
    const name = inner.slice(nameStart, i);
    while (i < n && isSpace(inner.charCodeAt(i))) i++;
    if (name === '' || inner.charCodeAt(i) !== 61) {
      if (i === nameStart) i++; // a stray "=", "/" or ">": step over it
      continue;
    }
    i++;
    while (i < n && isSpace(inner.charCodeAt(i))) i++;
    const quote = inner[i];
    if (quote !== '"' && quote !== "'") continue;
    const close = inner.indexOf(quote, i + 1);
    if (close < 0) {
      i++; // unclosed: read on after the quote
      continue;
    }
    if (!name.startsWith('xmlns')) attrs[localName(name)] = decodeEntities(inner.slice(i + 1, close));
    i = close + 1;
  }
}

function parseStartTag(inner: string): { name: string; attrs: Record<string, string> } {
  const m = /^([^\s/>]+)/.exec(inner);
  if (!m?.[1]) throw new XmlSyntaxError(`tag without a name: <${inner.slice(0, 40)}>`);
  const attrs: Record<string, string> = {};
  readAttributes(inner, m[1].length, attrs);
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
