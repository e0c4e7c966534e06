// Sigma value modifiers as pure functions over values, before any SQL: the modifier list of a
// `field|mod1|mod2` key is read into one MatchPlan (validated once, at parse time), and each
// value becomes one or more Globs (windash, base64offset and placeholders expand to an OR of
// variants). compile.ts turns plans and globs into SQL. Reference: the Sigma specification's
// modifiers appendix (v2.1.0) and pySigma's behaviour where the text leaves room.

/** A Sigma string value: literal text with `*` / `?` wildcards where the rule put them. */
export type GlobPart = string | { wild: '*' | '?' };
export type Glob = GlobPart[];

/** How the (transformed) values are compared with the field. */
export type MatchKind = 'equals' | 'contains' | 'startswith' | 'endswith' | 're' | 'cidr' | 'fieldref' | 'exists' | 'compare';

export type CompareOp = 'lt' | 'lte' | 'gt' | 'gte';
export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';
export type Encoding = 'utf16le' | 'utf16be' | 'utf16';

export interface MatchPlan {
  kind: MatchKind;
  /** A list of values must all match (AND) instead of one (OR). */
  all: boolean;
  cased: boolean;
  /** Negated comparison (`neq`). */
  neq: boolean;
  windash: boolean;
  expand: boolean;
  encoding: Encoding | null;
  base64: 'plain' | 'offset' | null;
  /** |re sub-flags i, m, s. */
  reFlags: string;
  compare: CompareOp | null;
  time: TimePart | null;
  /** `field|fieldref|startswith: Other`: the other field's value is looked for this way. */
  fieldrefShape?: 'contains' | 'startswith' | 'endswith';
}

const COMPARE: readonly CompareOp[] = ['lt', 'lte', 'gt', 'gte'];
const TIME: readonly TimePart[] = ['minute', 'hour', 'day', 'week', 'month', 'year'];
const STRING_MATCH = ['contains', 'startswith', 'endswith'] as const;

/** Every modifier this implementation reads (the specification's list). */
export const MODIFIERS: readonly string[] = [
  ...STRING_MATCH, 'all', 'cased', 'exists', 'neq', 'windash', 're', 'i', 'm', 's', 'base64', 'base64offset',
  'utf16le', 'utf16be', 'utf16', 'wide', 'cidr', 'fieldref', 'expand', ...COMPARE, ...TIME,
];

/** Reads a modifier chain; throws an Error naming the problem for unknown or clashing modifiers. */
export function planModifiers(modifiers: readonly string[]): MatchPlan {
  const plan: MatchPlan = { kind: 'equals', all: false, cased: false, neq: false, windash: false, expand: false, encoding: null, base64: null, reFlags: '', compare: null, time: null };
  const setKind = (k: MatchKind, m: string): void => {
    if (plan.kind !== 'equals' && !(plan.kind === 'fieldref' && (STRING_MATCH as readonly string[]).includes(m))) {
      throw new Error(`modifier "|${m}" cannot be combined with "|${plan.kind}"`);
    }
    // fieldref may be refined by contains/startswith/endswith: keep fieldref, remember the shape.
    if (plan.kind === 'fieldref') plan.fieldrefShape = k as (typeof STRING_MATCH)[number];
    else plan.kind = k;
  };
  for (const raw of modifiers) {
    const m = raw.toLowerCase();
    if ((STRING_MATCH as readonly string[]).includes(m)) setKind(m as MatchKind, m);
    else if (m === 'all') plan.all = true;
    else if (m === 'cased') plan.cased = true;
    else if (m === 'neq') plan.neq = true;
    else if (m === 'windash') plan.windash = true;
    else if (m === 'expand') plan.expand = true;
    else if (m === 're') setKind('re', m);
    else if (m === 'i' || m === 'm' || m === 's') {
      if (plan.kind !== 're') throw new Error(`"|${m}" is a sub-modifier of "|re" and must follow it`);
      plan.reFlags += m;
    } else if (m === 'base64' || m === 'base64offset') {
      if (plan.base64) throw new Error('only one of "|base64" and "|base64offset" may be given');
      plan.base64 = m === 'base64' ? 'plain' : 'offset';
    } else if (m === 'utf16le' || m === 'wide' || m === 'utf16be' || m === 'utf16') {
      if (plan.base64) throw new Error(`"|${m}" must come before "|base64"/"|base64offset"`);
      plan.encoding = m === 'wide' ? 'utf16le' : m;
    } else if (m === 'cidr') setKind('cidr', m);
    else if (m === 'fieldref') {
      if (plan.kind !== 'equals') throw new Error(`"|fieldref" must come before "|${plan.kind}"`);
      plan.kind = 'fieldref';
    } else if (m === 'exists') setKind('exists', m);
    else if ((COMPARE as readonly string[]).includes(m)) {
      setKind('compare', m);
      plan.compare = m as CompareOp;
    } else if ((TIME as readonly string[]).includes(m)) plan.time = m as TimePart;
    else throw new Error(`unsupported modifier "|${raw}" (supported: ${MODIFIERS.join(', ')})`);
  }
  if (plan.encoding && !plan.base64) throw new Error(`"|${plan.encoding}" needs "|base64" or "|base64offset" after it (Sigma encodes text only for base64)`);
  if (plan.time && plan.kind !== 'equals' && plan.kind !== 'compare') throw new Error(`"|${plan.time}" can only be compared as a number`);
  return plan;
}

/** Sigma escaping as pySigma reads it: `\*`, `\?`, `\\` are literal; any other `\` stays literal. */
export function parseGlob(value: string): Glob {
  const out: Glob = [];
  let lit = '';
  const flush = (): void => {
    if (lit) out.push(lit);
    lit = '';
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    const next = value[i + 1];
    if (c === '\\' && (next === '*' || next === '?' || next === '\\')) {
      lit += next;
      i++;
    } else if (c === '*' || c === '?') {
      flush();
      out.push({ wild: c });
    } else lit += c;
  }
  flush();
  return out;
}

export function hasWildcards(g: Glob): boolean {
  return g.some((p) => typeof p !== 'string');
}

/** The literal text of a value to encode (wildcards cannot survive base64: pySigma refuses them too). */
export function literalOf(g: Glob): string {
  if (hasWildcards(g)) throw new Error('a value with wildcards cannot be base64-encoded (escape * and ? as \\* and \\?)');
  return g.join('');
}

/** Wraps with `*` as contains / startswith / endswith ask. */
export function shapeGlob(g: Glob, kind: MatchKind): Glob {
  const star = { wild: '*' } as const;
  if (kind === 'contains') return [star, ...g, star];
  if (kind === 'startswith') return [...g, star];
  if (kind === 'endswith') return [star, ...g];
  return g;
}

/** The characters `|windash` makes interchangeable (hyphen, slash, en dash, em dash, horizontal bar). */
export const WINDASH_CHARS = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;
/** Beyond this many dash positions, every position takes the same variant (no combinatorial blow-up). */
const WINDASH_MAX_POSITIONS = 3;

/**
 * `|windash`: each `-` or `/` that starts a word (as pySigma: not preceded by a word character,
 * followed by one) becomes each dash variant; all combinations for up to three positions.
 */
export function windashVariants(g: Glob): Glob[] {
  // Positions are found in the literal parts only; a wildcard never is a dash.
  const flat = g.map((p) => (typeof p === 'string' ? p : null));
  const positions: [number, number][] = [];
  flat.forEach((text, part) => {
    if (text === null) return;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c !== '-' && c !== '/') continue;
      const before = i > 0 ? text[i - 1] : undefined; // a wildcard before is not a word character
      const after = text[i + 1];
      const wordBefore = before !== undefined && /\w/.test(before);
      if (!wordBefore && after !== undefined && /\w/.test(after)) positions.push([part, i]);
    }
  });
  if (positions.length === 0) return [g];
  const combos: string[][] = [];
  if (positions.length <= WINDASH_MAX_POSITIONS) {
    const rec = (acc: string[]): void => {
      if (acc.length === positions.length) combos.push(acc);
      else for (const d of WINDASH_CHARS) rec([...acc, d]);
    };
    rec([]);
  } else for (const d of WINDASH_CHARS) combos.push(positions.map(() => d));
  return combos.map((choice) => {
    const parts = g.map((p) => (typeof p === 'string' ? p.split('') : p));
    positions.forEach(([part, i], k) => {
      (parts[part] as string[])[i] = choice[k] as string;
    });
    return parts.map((p) => (Array.isArray(p) ? p.join('') : p));
  });
}

/** Text → bytes in the encoding a `|utf16*` modifier names (UTF-8 when none). */
export function encodeText(text: string, encoding: Encoding | null): Buffer {
  if (encoding === null) return Buffer.from(text, 'utf8');
  const le = Buffer.from(text, 'utf16le');
  if (encoding === 'utf16le') return le;
  if (encoding === 'utf16') return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
  const be = Buffer.from(le);
  be.swap16();
  return be;
}

export function base64Of(bytes: Buffer): string {
  return bytes.toString('base64');
}

/**
 * `|base64offset`: the three base64 forms `bytes` can take inside a longer encoded string,
 * depending on its offset modulo 3 — the encoding of 0, 1 or 2 leading bytes dropped with the
 * characters they and the unknown neighbours influence (as pySigma computes them).
 */
export function base64OffsetVariants(bytes: Buffer): string[] {
  const starts = [0, 2, 3];
  const ends = [undefined, -3, -2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = Buffer.concat([Buffer.alloc(i, 0x20), bytes]).toString('base64');
    const end = ends[(bytes.length + i) % 3];
    out.push(enc.slice(starts[i], end));
  }
  return out;
}

const PLACEHOLDER = /%([A-Za-z0-9_.-]+)%/g;

/** Placeholder names (`%name%`) in a value of an `|expand` field. */
export function placeholdersIn(value: string): string[] {
  return [...value.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

/** Replaces placeholders by each configured value (OR); throws naming the first one not configured. */
export function expandPlaceholders(value: string, config: ReadonlyMap<string, readonly string[]>): string[] {
  let out = [value];
  for (const name of new Set(placeholdersIn(value))) {
    const values = config.get(name);
    if (!values || values.length === 0) throw new Error(`placeholder %${name}% not configured`);
    out = out.flatMap((v) => values.map((x) => v.split(`%${name}%`).join(x)));
  }
  return out;
}

/** A value's final OR-list of globs for a string match, after every transforming modifier. */
export function valueGlobs(value: string, plan: MatchPlan, placeholders: ReadonlyMap<string, readonly string[]>): Glob[] {
  const texts = plan.expand ? expandPlaceholders(value, placeholders) : [value];
  let globs = texts.map(parseGlob);
  if (plan.windash) globs = globs.flatMap(windashVariants);
  if (plan.base64) {
    globs = globs.flatMap((g) => {
      const bytes = encodeText(literalOf(g), plan.encoding);
      return (plan.base64 === 'plain' ? [base64Of(bytes)] : base64OffsetVariants(bytes)).map((s) => [s]);
    });
  }
  return globs.map((g) => shapeGlob(g, plan.kind));
}
