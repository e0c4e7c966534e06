// Sigma condition expressions: `a and not b`, `(a or b) and c`, `1 of sel*`, `all of them`.
// Precedence: not > and > or, as in the Sigma specification.
import type { ConditionNode } from './types.ts';

type Token = { kind: 'word'; text: string; pos: number } | { kind: 'lparen' | 'rparen'; pos: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\()|(\))|([A-Za-z0-9_*.-]+))/y;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new Error(`unexpected character "${text[pos]?.trim() || text.slice(pos).trim()[0]}" at column ${pos + 1}`);
    if (m[1]) tokens.push({ kind: 'lparen', pos });
    else if (m[2]) tokens.push({ kind: 'rparen', pos });
    else tokens.push({ kind: 'word', text: m[3] ?? '', pos });
    pos = re.lastIndex;
  }
  return tokens;
}

/** Parses a condition; throws an Error with a readable message on bad syntax. */
export function parseCondition(text: string): ConditionNode {
  if (/\|\s*(count|min|max|avg|sum|near)\b/i.test(text)) throw new Error('aggregations ("| count() …", "| near") are Sigma v1 and not supported: write a Sigma correlation rule');
  const tokens = tokenize(text);
  let i = 0;
  const peekWord = (): string | null => {
    const t = tokens[i];
    return t && t.kind === 'word' ? t.text.toLowerCase() : null;
  };

  const parseOr = (): ConditionNode => {
    const items = [parseAnd()];
    while (peekWord() === 'or') {
      i++;
      items.push(parseAnd());
    }
    return items.length === 1 ? (items[0] as ConditionNode) : { type: 'or', items };
  };
  const parseAnd = (): ConditionNode => {
    const items = [parseNot()];
    while (peekWord() === 'and') {
      i++;
      items.push(parseNot());
    }
    return items.length === 1 ? (items[0] as ConditionNode) : { type: 'and', items };
  };
  const parseNot = (): ConditionNode => {
    if (peekWord() === 'not') {
      i++;
      return { type: 'not', item: parseNot() };
    }
    return parseAtom();
  };
  const parseAtom = (): ConditionNode => {
    const t = tokens[i];
    if (!t) throw new Error('condition ends where a selection name was expected');
    if (t.kind === 'lparen') {
      i++;
      const inner = parseOr();
      if (tokens[i]?.kind !== 'rparen') throw new Error(`missing ")" for "(" at column ${t.pos + 1}`);
      i++;
      return inner;
    }
    if (t.kind !== 'word') throw new Error(`unexpected ")" at column ${t.pos + 1}`);
    const word = t.text.toLowerCase();
    if (word === '1' || word === 'all' || word === 'any') {
      const of = tokens[i + 1];
      const target = tokens[i + 2];
      if (of?.kind === 'word' && of.text.toLowerCase() === 'of' && target?.kind === 'word') {
        i += 3;
        return { type: 'of', quantifier: word === 'all' ? 'all' : 'one', pattern: target.text };
      }
    }
    if (['and', 'or', 'not', 'of'].includes(word)) throw new Error(`"${t.text}" at column ${t.pos + 1} needs an operand before it`);
    i++;
    return { type: 'ref', name: t.text };
  };

  const node = parseOr();
  const rest = tokens[i];
  if (rest) throw new Error(`unexpected "${rest.kind === 'word' ? rest.text : ')'}" at column ${rest.pos + 1}`);
  return node;
}

/** Selection names a `1 of pattern` / `all of pattern` refers to (`them` = all but `_`-prefixed). */
export function expandPattern(pattern: string, names: readonly string[]): string[] {
  if (pattern.toLowerCase() === 'them') return names.filter((n) => !n.startsWith('_'));
  const re = new RegExp(`^${pattern.split('*').map(escapeRe).join('.*')}$`);
  return names.filter((n) => re.test(n));
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every selection name the condition mentions directly (for "unknown selection" checks). */
export function referencedNames(node: ConditionNode): string[] {
  switch (node.type) {
    case 'ref':
      return [node.name];
    case 'and':
    case 'or':
      return node.items.flatMap(referencedNames);
    case 'not':
      return referencedNames(node.item);
    case 'of':
      return [];
  }
}
