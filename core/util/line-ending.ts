// Which character ends a line in a text file, read from the content. LF ("\n") and CRLF
// ("\r\n") files split at "\n" (a trailing "\r" dropped), and a lone "\r" stays inside its line —
// inside a quoted CSV field, or a progress bar's "\r" in a log, it is data. Files written by
// classic Mac OS programs (and some instruments' exporters) end lines with a lone "\r": read at
// "\n" they would be one line. A text is taken as CR-only when its first DETECT_WINDOW
// characters hold a "\r" and no "\n" at all, which no LF or CRLF file with a normal first line can
// look like. CR-only text is then split at every "\r", "\r\n" and "\n" (so a stray LF later on
// is still a break).

export type LineEnding = 'lf' | 'cr';

/** Characters looked at before deciding (the same as the detection sample's 64 KB). */
export const DETECT_WINDOW = 64 * 1024;

/**
 * The line ending of a text that starts with `head`; null while undecided (no "\n" yet and fewer
 * than DETECT_WINDOW characters seen, with more to come: pass `complete` at the end of the text).
 */
export function detectLineEnding(head: string, complete: boolean): LineEnding | null {
  const window = head.length > DETECT_WINDOW ? head.slice(0, DETECT_WINDOW) : head;
  if (window.includes('\n')) return 'lf';
  if (!complete && head.length < DETECT_WINDOW) return null;
  return window.includes('\r') ? 'cr' : 'lf';
}

/**
 * A whole text (or a sample of its head) split into lines by its own line ending; the last
 * element is the text after the last break ('' when the text ends with one).
 */
export function splitLinesByEnding(text: string): string[] {
  return detectLineEnding(text, true) === 'cr' ? text.split(/\r\n?|\n/) : text.split(/\r?\n/);
}
