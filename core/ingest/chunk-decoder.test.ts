import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ChunkDecoder } from './chunk-decoder.ts';

/** Bytes that mix ASCII runs with multi-byte characters and invalid bytes. */
const piece = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'Z', ',', '\n', '"', '0') }).map((s) => Buffer.from(s, 'utf8')),
  fc.string({ unit: fc.constantFrom('é', '€', '😀', 'ß') }).map((s) => Buffer.from(s, 'utf8')),
  fc.uint8Array({ maxLength: 4, min: 0x80, max: 0xff }).map((a) => Buffer.from(a)),
);

describe('chunk decoder', () => {
  it('decodes any bytes split anywhere exactly as TextDecoder does', () => {
    for (const encoding of ['utf-8', 'utf-16le'] as const) {
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 6 }), (pieces, cuts) => {
          const bytes = Buffer.concat(pieces);
          const at = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort((a, b) => a - b);
          const chunks = [0, ...at].map((from, i, all) => bytes.subarray(from, all[i + 1] ?? bytes.length));
          const ours = new ChunkDecoder(encoding);
          const text = chunks.map((c) => ours.decode(c)).join('') + ours.end();
          expect(text).toBe(new TextDecoder(encoding).decode(bytes));
        }),
        { numRuns: 300 },
      );
    }
  });

  it('keeps a character split between two chunks whole', () => {
    const euro = Buffer.from('a€b', 'utf8');
    const d = new ChunkDecoder('utf-8');
    expect(d.decode(euro.subarray(0, 2)) + d.decode(euro.subarray(2)) + d.end()).toBe('a€b');
  });
});
