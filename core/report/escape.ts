// Escaping for report output. Every string that came from a capture passes through one of these.
import { hexEscape } from '../util/text.ts';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Text → HTML text or attribute value (always quoted by the caller). */
export function escapeHtml(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // Control characters other than tab/newline are made visible rather than passed through.
  return text
    .replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c] ?? c)
    // eslint-disable-next-line no-control-regex -- finding control characters is the point: they are shown as \xNN
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, hexEscape);
}

/** What stays an HTML entity in Markdown: the characters that would otherwise open HTML or an entity. */
const MARKDOWN_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Text → Markdown-safe inline text: no HTML, no link or emphasis syntax, no table breaks, no
 * autolinks. Markdown punctuation gets a backslash (rendered as the character alone); only &, <
 * and > become entities, since every Markdown renderer, strict or not, shows those as text —
 * quotes and apostrophes are left as they are (entities there are noise in a ticket, and a
 * later backslash pass turned `&#39;` into `&\#39;`). Every CommonMark line ending (LF, CR, CRLF)
 * becomes a space, so a bare CR in a capture cannot end a table row. GitHub (GFM) turns bare
 * `http://…`, `www.…` and e-mail addresses into links; a backslash before the scheme's colon,
 * the dot after `www` and the `@` stops that while the rendered text stays exactly the
 * capture's, so it reads and copies unchanged. Control characters are shown as \xNN, as in HTML.
 */
export function escapeMarkdown(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return text
    .replace(/([\\`*_[\]()#!|~{}+-])/g, '\\$1')
    .replace(/[&<>]/g, (c) => MARKDOWN_ENTITIES[c] ?? c)
    .replace(/\r\n|\r|\n/g, ' ')
    // eslint-disable-next-line no-control-regex -- finding control characters is the point: they are shown as \xNN
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, hexEscape)
    .replace(/(https?|ftp|mailto|xmpp):/gi, '$1\\:')
    .replace(/(www)\./gi, '$1\\.')
    .replace(/@/g, '\\@');
}

/** Shortens long capture strings for display; the full value stays in the JSON report. */
export function clip(value: string | null | undefined, max = 200): string {
  if (!value) return '';
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
