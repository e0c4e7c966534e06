// Annotation tags: an annotation carries a list of short labels ("malicious", "initial-access").
// Older cases (and the CLI's single --tag) wrote one free-text string, often several tags joined
// with commas; parseTags splits such text the same way everywhere (the migration, the API, the CLI).

/** Longest tag kept (the contract's schema refuses longer ones). */
export const MAX_TAG_LENGTH = 64;
/** Most tags one annotation keeps. */
export const MAX_TAGS = 32;

/**
 * One tag as stored: trimmed, inner runs of white space collapsed to one space. Commas separate
 * tags, so a tag never holds one. Returns '' for a tag with nothing left.
 */
export function normalizeTag(raw: string): string {
  return raw.replace(/,/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_TAG_LENGTH).trim();
}

/**
 * Tags from any mix of single tags and comma-separated lists, in order of first appearance,
 * without empties or repeats (compared case-insensitively: "Malicious" and "malicious" are one).
 */
export function parseTags(...inputs: readonly (string | readonly string[] | undefined | null)[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    if (input === undefined || input === null) continue;
    for (const item of typeof input === 'string' ? [input] : input) {
      for (const piece of item.split(',')) {
        const tag = normalizeTag(piece);
        const key = tag.toLowerCase();
        if (tag === '' || seen.has(key)) continue;
        seen.add(key);
        out.push(tag);
      }
    }
  }
  return out.slice(0, MAX_TAGS);
}

/** The text kept in the legacy `tag` column for readers that predate the list. */
export function joinTags(tags: readonly string[]): string {
  return tags.join(', ');
}
