// Test helper: a text cut into chunks, as a reader hands a file over in pieces.

/** `text` cut at the given offsets (any order, repeats allowed, each within 0…text.length). */
export function cutAt(text: string, offsets: number[]): string[] {
  const ends = [...new Set(offsets)].sort((a, b) => a - b);
  const chunks: string[] = [];
  let start = 0;
  for (const end of ends) {
    chunks.push(text.slice(start, end));
    start = end;
  }
  chunks.push(text.slice(start));
  return chunks;
}
