// BinXML, the binary XML inside EVTX records: a token stream whose element and attribute names
// live in the chunk's string table and whose values mostly come from a template instance (a
// template definition, cached per chunk, plus an array of typed substitution values).
// Every offset here is relative to the start of the 64 KiB chunk, because names and template
// definitions are referenced by chunk offset.
import { utf16Text, valueToText, VALUE_TYPE } from './values.ts';
import { localName, type XmlElement, type XmlNode } from './xml-tree.ts';

export class BinXmlError extends Error {}

const TOKEN = {
  EndOfFragment: 0x00,
  OpenStartElement: 0x01,
  CloseStartElement: 0x02,
  CloseEmptyElement: 0x03,
  EndElement: 0x04,
  Value: 0x05,
  Attribute: 0x06,
  CData: 0x07,
  CharRef: 0x08,
  EntityRef: 0x09,
  PITarget: 0x0a,
  PIData: 0x0b,
  TemplateInstance: 0x0c,
  NormalSubstitution: 0x0d,
  OptionalSubstitution: 0x0e,
  FragmentHeader: 0x0f,
} as const;
const MORE_BITS = 0x40;
const MAX_NESTING = 32;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** A node of a template definition, before substitution values are filled in. */
type TemplateNode =
  | { kind: 'element'; name: string; attrs: TemplateAttr[]; children: TemplateNode[] }
  | { kind: 'text'; text: string }
  | { kind: 'subst'; index: number; optional: boolean }
  | { kind: 'instance'; template: TemplateNode[]; values: SubstValue[] };
interface TemplateAttr {
  name: string;
  parts: TemplateNode[];
}
interface SubstValue {
  type: number;
  /** Chunk offset of the value's bytes. */
  offset: number;
  size: number;
}

/** Decodes BinXML within one chunk; templates and names are cached for the chunk's lifetime. */
export class ChunkBinXml {
  private readonly view: DataView;
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, TemplateNode[]>();

  constructor(private readonly chunk: Uint8Array) {
    this.view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }

  /** Decodes the BinXML fragment at [start, end) into XML nodes. */
  decode(start: number, end: number): XmlNode[] {
    const { nodes } = this.readNodes(start, end, 0);
    return this.instantiate(nodes, [], 0);
  }

  private u8(at: number): number {
    this.need(at, 1);
    return this.view.getUint8(at);
  }
  private u16(at: number): number {
    this.need(at, 2);
    return this.view.getUint16(at, true);
  }
  private u32(at: number): number {
    this.need(at, 4);
    return this.view.getUint32(at, true);
  }
  private need(at: number, length: number): void {
    if (at < 0 || at + length > this.chunk.length) throw new BinXmlError(`BinXML reads past the chunk at offset ${at}`);
  }

  /** A name from the chunk string table: u32 next, u16 hash, u16 length, UTF-16 characters. */
  private name(offset: number): string {
    const cached = this.names.get(offset);
    if (cached !== undefined) return cached;
    const length = this.u16(offset + 6);
    this.need(offset + 8, length * 2);
    const text = localName(utf16Text(this.chunk, offset + 8, length * 2));
    this.names.set(offset, text);
    return text;
  }
  private nameSize(offset: number): number {
    return 8 + this.u16(offset + 6) * 2 + 2;
  }

  /** Reads a name reference at `pos`; a name stored inline right after it is skipped. */
  private nameRef(pos: number): { name: string; next: number } {
    const offset = this.u32(pos);
    let next = pos + 4;
    const name = this.name(offset);
    if (offset === next) next += this.nameSize(offset);
    return { name, next };
  }

  /** Reads tokens from `pos` until the fragment ends (EOF token or `end`). */
  private readNodes(pos: number, end: number, depth: number): { nodes: TemplateNode[]; pos: number } {
    if (depth > MAX_NESTING) throw new BinXmlError('BinXML nested too deeply');
    const root: TemplateNode[] = [];
    const stack: Extract<TemplateNode, { kind: 'element' }>[] = [];
    let attr: TemplateAttr | null = null;
    const push = (node: TemplateNode): void => {
      if (attr) attr.parts.push(node);
      else (stack.at(-1)?.children ?? root).push(node);
    };
    while (pos < end) {
      const token = this.u8(pos);
      const base = token & ~MORE_BITS;
      switch (base) {
        case TOKEN.EndOfFragment:
          return { nodes: root, pos: pos + 1 };
        case TOKEN.FragmentHeader:
          pos += 4;
          break;
        case TOKEN.OpenStartElement: {
          const opened = this.openElement(pos, (token & MORE_BITS) !== 0);
          const element: TemplateNode = { kind: 'element', name: opened.name, attrs: [], children: [] };
          attr = null;
          push(element);
          stack.push(element);
          pos = opened.next;
          break;
        }
        case TOKEN.CloseStartElement:
          attr = null;
          pos += 1;
          break;
        case TOKEN.CloseEmptyElement:
        case TOKEN.EndElement:
          attr = null;
          if (!stack.pop()) throw new BinXmlError(`BinXML closes an element that was never opened (offset ${pos})`);
          pos += 1;
          break;
        case TOKEN.Attribute: {
          const element = stack.at(-1);
          if (!element) throw new BinXmlError(`BinXML attribute outside an element (offset ${pos})`);
          const ref = this.nameRef(pos + 1);
          attr = { name: ref.name, parts: [] };
          element.attrs.push(attr);
          pos = ref.next;
          break;
        }
        case TOKEN.Value: {
          const type = this.u8(pos + 1);
          if (type !== VALUE_TYPE.String) throw new BinXmlError(`BinXML value token of type 0x${type.toString(16)} (offset ${pos})`);
          const count = this.u16(pos + 2);
          this.need(pos + 4, count * 2);
          push({ kind: 'text', text: utf16Text(this.chunk, pos + 4, count * 2) });
          pos += 4 + count * 2;
          break;
        }
        case TOKEN.CData: {
          const count = this.u16(pos + 1);
          this.need(pos + 3, count * 2);
          push({ kind: 'text', text: utf16Text(this.chunk, pos + 3, count * 2) });
          pos += 3 + count * 2;
          break;
        }
        case TOKEN.CharRef:
          push({ kind: 'text', text: String.fromCharCode(this.u16(pos + 1)) });
          pos += 3;
          break;
        case TOKEN.EntityRef: {
          const ref = this.nameRef(pos + 1);
          push({ kind: 'text', text: ENTITIES[ref.name] ?? `&${ref.name};` });
          pos = ref.next;
          break;
        }
        case TOKEN.PITarget:
          pos = this.nameRef(pos + 1).next;
          break;
        case TOKEN.PIData:
          pos += 3 + this.u16(pos + 1) * 2;
          break;
        case TOKEN.TemplateInstance: {
          const instance = this.templateInstance(pos, depth);
          push(instance.node);
          pos = instance.next;
          break;
        }
        case TOKEN.NormalSubstitution:
        case TOKEN.OptionalSubstitution:
          push({ kind: 'subst', index: this.u16(pos + 1), optional: base === TOKEN.OptionalSubstitution });
          pos += 4;
          break;
        default:
          throw new BinXmlError(`unknown BinXML token 0x${token.toString(16)} at chunk offset ${pos}`);
      }
    }
    return { nodes: root, pos };
  }

  /**
   * Open-start-element: token, u16 dependency id, u32 data size, u32 name offset, [u32
   * attribute list size]. Inside substituted BinXML some writers omit the dependency id, so the
   * layout whose name offset makes sense (inline right here, or an earlier name) is taken.
   */
  private openElement(pos: number, hasAttributes: boolean): { name: string; next: number } {
    for (const fixed of [11, 9]) {
      const nameAt = pos + fixed - 4;
      if (nameAt + 4 > this.chunk.length) continue;
      const offset = this.u32(nameAt);
      let next = pos + fixed;
      const inline = offset === next;
      if (!inline && (offset >= pos || offset < 0x80)) continue;
      const name = this.name(offset);
      if (inline) next += this.nameSize(offset);
      if (hasAttributes) next += 4;
      return { name, next };
    }
    throw new BinXmlError(`BinXML element at chunk offset ${pos} has no readable name`);
  }

  /**
   * Template instance: token, u8, u32 template id, u32 definition offset; the definition
   * (u32 next, GUID, u32 size, BinXML) follows inline the first time it is used in the chunk.
   * Then the substitution array: u32 count, count × (u16 size, u8 type, u8 pad), the values.
   */
  private templateInstance(pos: number, depth: number): { node: TemplateNode; next: number } {
    const definitionOffset = this.u32(pos + 6);
    let next = pos + 10;
    const template = this.template(definitionOffset, depth);
    if (definitionOffset === next) next += 24 + this.u32(definitionOffset + 20);
    const count = this.u32(next);
    if (count > 4096) throw new BinXmlError(`implausible substitution count ${count} at chunk offset ${next}`);
    next += 4;
    const values: SubstValue[] = [];
    let valueAt = next + count * 4;
    for (let i = 0; i < count; i++) {
      const size = this.u16(next + i * 4);
      const type = this.u8(next + i * 4 + 2);
      values.push({ type, offset: valueAt, size });
      valueAt += size;
    }
    this.need(next, valueAt - next);
    return { node: { kind: 'instance', template, values }, next: valueAt };
  }

  private template(offset: number, depth: number): TemplateNode[] {
    const cached = this.templates.get(offset);
    if (cached) return cached;
    const size = this.u32(offset + 20);
    const start = offset + 24;
    this.need(start, size);
    const { nodes } = this.readNodes(start, start + size, depth + 1);
    this.templates.set(offset, nodes);
    return nodes;
  }

  /** Fills substitution values into template nodes, expanding nested BinXML values. */
  private instantiate(nodes: TemplateNode[], values: SubstValue[], depth: number): XmlNode[] {
    if (depth > MAX_NESTING) throw new BinXmlError('BinXML templates nested too deeply');
    const out: XmlNode[] = [];
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
          out.push(node.text);
          break;
        case 'element': {
          const attrs: Record<string, string> = {};
          for (const a of node.attrs) {
            const parts = this.instantiate(a.parts, values, depth);
            const allOptionalEmpty = a.parts.every((p) => p.kind === 'subst' && p.optional) && parts.join('') === '';
            if (!allOptionalEmpty) attrs[a.name] = parts.map((p) => (typeof p === 'string' ? p : '')).join('');
          }
          out.push({ name: node.name, attrs, children: this.instantiate(node.children, values, depth) });
          break;
        }
        case 'subst':
          out.push(...this.substitute(values[node.index], depth));
          break;
        case 'instance':
          out.push(...this.instantiate(node.template, node.values, depth + 1));
          break;
      }
    }
    return mergeText(out);
  }

  private substitute(value: SubstValue | undefined, depth: number): XmlNode[] {
    if (!value || value.size === 0 || value.type === VALUE_TYPE.Null) return [];
    if (value.type === VALUE_TYPE.BinXml) {
      const { nodes } = this.readNodes(value.offset, value.offset + value.size, depth + 1);
      return this.instantiate(nodes, [], depth + 1);
    }
    return [valueToText(value.type, this.chunk.subarray(value.offset, value.offset + value.size))];
  }
}

/** Joins adjacent text nodes so an element's text is one string. */
function mergeText(nodes: XmlNode[]): XmlNode[] {
  const out: XmlNode[] = [];
  for (const n of nodes) {
    const last = out.at(-1);
    if (typeof n === 'string' && typeof last === 'string') out[out.length - 1] = last + n;
    else out.push(n);
  }
  return out;
}

/** The first <Event> element among decoded nodes. */
export function findEventElement(nodes: XmlNode[]): XmlElement | undefined {
  return nodes.find((n): n is XmlElement => typeof n !== 'string' && n.name === 'Event');
}
