// Small text helpers shared by explanations, storylines, the report and its figure.

/** The text cut to at most `max` characters, ending in "…" when cut. */
export function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A control character as a visible escape: `\xNN` (two lower-case hex digits). */
export function hexEscape(c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}
