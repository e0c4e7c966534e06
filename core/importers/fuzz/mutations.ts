// Seeded mutations of a capture's bytes for the importer fuzz suite. Each takes the seed bytes and
// a PRNG (core/testing/prng.ts), so a run is repeated exactly from its seed. They imitate what real
// captures suffer: cut off mid-copy, bit rot, NUL padding from a crashed writer, bytes in another
// encoding, line endings rewritten by a transfer, one runaway line, machine-made nesting.
export type Rng = () => number;

export interface Mutation {
  name: string;
  /** Text mutations only make sense for line-oriented importers; binary ones for both. */
  appliesTo: 'text' | 'any';
  apply(bytes: Uint8Array, rng: Rng, sizes: MutationSizes): Uint8Array;
}

export interface MutationSizes {
  /** Length of the runaway line (a few MB in the test, 50 MB in the long run). */
  longLineBytes: number;
  /** Depth of the nested JSON line. */
  nestingDepth: number;
}

const enc = new TextEncoder();

export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

/** Offsets just after each "\n" (line starts), for inserting whole lines. */
function lineStarts(bytes: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) starts.push(i + 1);
  return starts;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[randomInt(rng, items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** Invalid UTF-8: lone continuation, truncated sequences, overlong forms, surrogates, 0xFF. */
const INVALID_UTF8: readonly number[][] = [[0x80], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0xfe, 0xff], [0xf8, 0x88, 0x80, 0x80, 0x80]];

/** One very long line built from the seed's own bytes, so the importer's per-line parsing sees plausible content. */
function longLine(bytes: Uint8Array, length: number, rng: Rng): Uint8Array {
  const starts = lineStarts(bytes);
  const from = pick(rng, starts);
  let unit = bytes.subarray(from, Math.min(bytes.length, from + 200)).filter((b) => b !== 10 && b !== 13);
  if (unit.length === 0) unit = enc.encode('x');
  const line = new Uint8Array(length + 1);
  for (let i = 0; i < length; i += unit.length) line.set(unit.subarray(0, Math.min(unit.length, length - i)), i);
  line[length] = 10;
  return line;
}

/** A line of JSON nested `depth` deep, in one of the shapes a JSON importer meets. */
function nestedJson(depth: number, rng: Rng): Uint8Array {
  const shape = randomInt(rng, 3);
  const open = shape === 0 ? '[' : shape === 1 ? '{"a":' : '{"layers":[';
  const close = shape === 0 ? ']' : shape === 1 ? '}' : ']}';
  const inner = shape === 1 ? '1' : '{"ts":"2026-11-26T06:13:22Z"}';
  return enc.encode(`${open.repeat(depth)}${inner}${close.repeat(depth)}\n`);
}

export const MUTATIONS: readonly Mutation[] = [
  {
    name: 'truncate-random',
    appliesTo: 'any',
    apply: (b, rng) => b.subarray(0, randomInt(rng, b.length + 1)),
  },
  {
    name: 'byte-flips',
    appliesTo: 'any',
    apply: (b, rng) => {
      const out = b.slice();
      const flips = 1 + randomInt(rng, 16);
      for (let i = 0; i < flips && out.length > 0; i++) out[randomInt(rng, out.length)]! ^= 1 << randomInt(rng, 8);
      return out;
    },
  },
  {
    name: 'random-bytes',
    appliesTo: 'any',
    apply: (b, rng) => {
      const out = b.slice();
      const n = 1 + randomInt(rng, 64);
      for (let i = 0; i < n && out.length > 0; i++) out[randomInt(rng, out.length)] = pick(rng, [0x00, 0xff, 0x7f, 0x80, randomInt(rng, 256)]);
      return out;
    },
  },
  {
    name: 'nul-run',
    appliesTo: 'any',
    apply: (b, rng) => splice(b, randomInt(rng, b.length + 1), 0, new Uint8Array(1 + randomInt(rng, 4096))),
  },
  {
    name: 'nul-overwrite',
    appliesTo: 'any',
    apply: (b, rng) => {
      const at = randomInt(rng, b.length + 1);
      const out = b.slice();
      out.fill(0, at, Math.min(out.length, at + 1 + randomInt(rng, 4096)));
      return out;
    },
  },
  {
    name: 'invalid-utf8',
    appliesTo: 'text',
    apply: (b, rng) => {
      let out = b;
      const n = 1 + randomInt(rng, 8);
      for (let i = 0; i < n; i++) out = splice(out, randomInt(rng, out.length + 1), 0, Uint8Array.from(pick(rng, INVALID_UTF8)));
      return out;
    },
  },
  {
    name: 'crlf',
    appliesTo: 'text',
    apply: (b) => enc.encode(new TextDecoder().decode(b).replace(/\r?\n/g, '\r\n')),
  },
  {
    name: 'cr-only',
    appliesTo: 'text',
    apply: (b) => enc.encode(new TextDecoder().decode(b).replace(/\r?\n/g, '\r')),
  },
  {
    name: 'mixed-endings',
    appliesTo: 'text',
    apply: (b, rng) => enc.encode(new TextDecoder().decode(b).replace(/\r?\n/g, () => pick(rng, ['\n', '\r\n', '\r', '\n\r', '\r\r\n']))),
  },
  {
    name: 'bom-utf16',
    appliesTo: 'text',
    // A BOM that says UTF-16 in front of UTF-8 text: the decoder reads nonsense, the importer must cope.
    apply: (b, rng) => splice(b, 0, 0, Uint8Array.from(pick(rng, [[0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf]]))),
  },
  {
    name: 'line-shuffle',
    appliesTo: 'text',
    apply: (b, rng) => {
      const lines = new TextDecoder().decode(b).split('\n');
      for (let i = lines.length - 1; i > 0; i--) {
        if (rng() < 0.3) {
          const j = randomInt(rng, i + 1);
          [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        }
      }
      return enc.encode(lines.join('\n'));
    },
  },
  {
    name: 'line-duplicate-drop',
    appliesTo: 'text',
    apply: (b, rng) => {
      const lines = new TextDecoder().decode(b).split('\n');
      const out: string[] = [];
      for (const l of lines) {
        const r = rng();
        if (r < 0.1) continue;
        out.push(l);
        if (r > 0.9) out.push(l, l);
      }
      return enc.encode(out.join('\n'));
    },
  },
  {
    name: 'long-line',
    appliesTo: 'text',
    apply: (b, rng, sizes) => splice(b, pick(rng, lineStarts(b)), 0, longLine(b, sizes.longLineBytes, rng)),
  },
  {
    name: 'long-line-under-limit',
    appliesTo: 'text',
    // Just under the splitter's 1 Mi-character limit: this line does reach the importer whole.
    apply: (b, rng) => splice(b, pick(rng, lineStarts(b)), 0, longLine(b, (1 << 20) - 1 - randomInt(rng, 1024), rng)),
  },
  {
    name: 'deep-json',
    appliesTo: 'text',
    apply: (b, rng, sizes) => splice(b, pick(rng, lineStarts(b)), 0, nestedJson(sizes.nestingDepth, rng)),
  },
  {
    name: 'binary-u32-extremes',
    appliesTo: 'any',
    // Lengths, counts and offsets in binary formats set to 0, -1 or huge.
    apply: (b, rng) => {
      const out = b.slice();
      const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
      const n = 1 + randomInt(rng, 8);
      for (let i = 0; i < n && out.length >= 4; i++) view.setUint32(randomInt(rng, out.length - 3), pick(rng, [0, 0xffffffff, 0x7fffffff, 0x80000000, 0x10000, randomInt(rng, 2 ** 32)]), true);
      return out;
    },
  },
];

/** Every cut at a multiple of `chunk` bytes, and one byte either side of it. */
export function chunkBoundaryTruncations(bytes: Uint8Array, chunk: number): Uint8Array[] {
  const cuts = new Set<number>();
  for (let at = chunk; at < bytes.length; at += chunk) for (const c of [at - 1, at, at + 1]) if (c > 0 && c < bytes.length) cuts.add(c);
  return [...cuts].sort((a, b) => a - b).map((c) => bytes.subarray(0, c));
}
