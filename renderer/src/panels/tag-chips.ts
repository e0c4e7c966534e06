// The tag chips' pure rules: what typing adds, what suggestions to offer. Tags follow
// core/annotations/tags.ts (split on commas, trimmed, no repeats ignoring case).

/** Mirrors ANNOTATION_TAGS in core/api.ts (the renderer imports only types from core/). */
export const SUGGESTED_TAGS = ['benign', 'suspicious', 'malicious', 'needs-review'] as const;
const MAX_TAG_LENGTH = 64;

/** `chips` with the tags typed in `text` (commas separate tags) appended, without repeats. */
export function addTypedTags(chips: readonly string[], text: string): string[] {
  const out = [...chips];
  const seen = new Set(chips.map((c) => c.toLowerCase()));
  for (const piece of text.split(',')) {
    const tag = piece.replace(/\s+/g, ' ').trim().slice(0, MAX_TAG_LENGTH).trim();
    if (tag === '' || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
  }
  return out;
}

/**
 * Tags to offer: the case's own (most used first), then the standard ones, matching what is being
 * typed (prefix first, then anywhere), without the ones already chosen.
 */
export function tagSuggestions(caseTags: readonly string[], chosen: readonly string[], typed: string, limit = 8): string[] {
  const taken = new Set(chosen.map((c) => c.toLowerCase()));
  const needle = typed.trim().toLowerCase();
  const pool: string[] = [];
  const seen = new Set<string>();
  for (const tag of [...caseTags, ...SUGGESTED_TAGS]) {
    const key = tag.toLowerCase();
    if (seen.has(key) || taken.has(key)) continue;
    seen.add(key);
    pool.push(tag);
  }
  const prefix = pool.filter((t) => t.toLowerCase().startsWith(needle));
  const inside = needle === '' ? [] : pool.filter((t) => !t.toLowerCase().startsWith(needle) && t.toLowerCase().includes(needle));
  return [...prefix, ...inside].slice(0, limit);
}
