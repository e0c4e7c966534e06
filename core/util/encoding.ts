// Text encoding of a capture, judged from its first bytes.

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

/** Picks the text encoding from a byte-order mark; UTF-8 when there is none. */
export function sniffEncoding(head: Uint8Array): { encoding: TextEncodingName; bomLength: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  // UTF-16 without BOM: every other byte zero in ASCII text.
  if (head.length >= 8 && head[1] === 0 && head[3] === 0 && head[0] !== 0 && head[2] !== 0) {
    return { encoding: 'utf-16le', bomLength: 0 };
  }
  return { encoding: 'utf-8', bomLength: 0 };
}
