// The traced program's own output mixed into strace's lines. When strace and the program write
// to one terminal (strace run by hand, without -o), strace prints a call's entry part, the call
// runs and the program's text lands on the terminal, then strace prints the exit part:
//
//   write(2, "Connecting to 127.0.0.1:18765..."..., 33Connecting to 127.0.0.1:18765... ) = 33
//   write(1, "hello\n", 6hello                      ← the entry part, then the program's text…
//   )                  = 6                          ← …then the exit part on the next line
//   wait4(-1, alpha                                 ← an untraced child writes while the shell
//   beta                                              waits; the exit part carries the rest of
//   [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 18609    the arguments
//
// strace cuts a call only where its entry part ends: right after "(", after a top-level ", "
// (arguments printed at exit follow), or before the closing ")" (all arguments were printed at
// entry). This file finds, in the held entry line and the completing line, where strace's text
// stops and the program's begins. How the ambiguous cases are resolved:
//
// - write(fd, buf, count): the text is the call's own buffer and all its arguments are printed
//   at entry, so the cut is before ")". The count's digits end where the program's text begins;
//   when that text itself starts with digits, the count is the one equal to the result, else the
//   buffer's byte length (buffer not cut by -s), else the one after which the text agrees with
//   the buffer; failing all, every digit is the count.
// - any other call: when the completing line has text before its ")", that text is the exit
//   part's arguments, the entry part ended with the last top-level ", " of the held line, and
//   the program's text is assumed to have ended with a newline (a text without one, glued to
//   the exit part, cannot be told from arguments). When the completing line starts with ")" (or
//   is " <unfinished ...>"), the entry part ends with its last argument read as one token (a
//   string, a bracketed group, a number, flags or a name); program text glued to it that could
//   continue that token ("NULLhello": letters, digits, "_|-+*=.") is read as part of it.
// - the program's text must not itself look like a strace line (a pid or time prefix, "name(",
//   "<... ", "--- ", "+++ ", "strace: ") or end like a call (") = 3", "<unfinished ...>"): such a
//   line is read as strace's, exactly as it would be without the program around.
import { decorationEnd, skipString, unquote } from './line.ts';

const COMMA = 44;
const SPACE = 32;

/** Calls whose program text is their own buffer ("write(fd, buf, count)"). */
export function writesOwnText(name: string): boolean {
  return name === 'write';
}

/** Index just past the last top-level ", " between start and end, or -1. */
export function lastTopLevelSeparator(text: string, start: number, end: number): number {
  let depth = 0;
  let last = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) i = skipString(text, i, end) - 1;
    else if (c === 91 || c === 123 || c === 40) depth++;
    else if (c === 93 || c === 125 || c === 41) depth--;
    else if (c === COMMA && depth <= 0 && text.charCodeAt(i + 1) === SPACE) last = i + 2;
  }
  return last;
}

function isTokenChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 124 /* | */ || c === 45 /* - */ || c === 43 /* + */ || c === 42 /* * */ || c === 61 /* = */ || c === 46 /* . */;
}

/** End of a bracketed group opening at `i` (strings respected), or `end`. */
function groupEnd(text: string, i: number, end: number): number {
  let depth = 0;
  for (let j = i; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === 34) j = skipString(text, j, end) - 1;
    else if (c === 91 || c === 123 || c === 40) depth++;
    else if (c === 93 || c === 125 || c === 41) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return end;
}

/** End of the one argument starting at `start`: a string, a group, or a run of token chars. */
export function argumentEnd(text: string, start: number, end: number): number {
  // no space is skipped: an argument starts right after "(" or ", "; a space there is the text's
  let i = start;
  const c = text.charCodeAt(i);
  if (c === 34) {
    i = skipString(text, i, end);
    if (text.startsWith('...', i)) i += 3;
    return i;
  }
  if (c === 126 /* ~ */ && text.charCodeAt(i + 1) === 91) return groupEnd(text, i + 1, end);
  if (c === 91 || c === 123) return groupEnd(text, i, end);
  const from = i;
  while (i < end && isTokenChar(text.charCodeAt(i))) i++;
  if (i === from) return start; // no argument here: the text follows "(" or ", " directly
  if (text.charCodeAt(i) === 40) i = groupEnd(text, i, end); // htons(80), makedev(0x88, 0)
  else if (text.charCodeAt(i) === 60 && i > start) i = decorationEnd(text, i, end); // 3</dev/null>
  if (text.startsWith(' /* ', i)) {
    const close = text.indexOf(' */', i + 4); // execve's "0x7ffc… /* 3 vars */"
    if (close >= 0) i = close + 3;
  }
  return i;
}

/** How a cut call's lines split into strace's text and the program's. */
export interface CutSplit {
  /** End of the entry part in the held line (the program's text follows it). */
  entryEnd: number;
  /** Start of the exit part in the completing line (the program's text precedes it). */
  exitStart: number;
  /** The program's text is the call's own buffer (write), not another process's. */
  ownText: boolean;
}

/**
 * Where the program's text sits in a cut call: `held` is the entry line (its arguments start at
 * `argsStart`), `closing` the line that completes it; `closeAt` is the ")" ending the arguments
 * in `closing` (or where " <unfinished ...>" starts), `ret` the result when there is one.
 */
export function splitCut(held: string, argsStart: number, name: string, closing: string, closeAt: number, ret: string | null): CutSplit {
  if (writesOwnText(name)) return { entryEnd: writeEntryEnd(held, argsStart, ret), exitStart: closeAt, ownText: true };
  if (ret !== null && closing.slice(0, closeAt).trim().length > 0) {
    const sep = lastTopLevelSeparator(held, argsStart, held.length);
    return { entryEnd: sep < 0 ? argsStart : sep, exitStart: 0, ownText: false };
  }
  const sep = lastTopLevelSeparator(held, argsStart, held.length);
  const lastArg = sep < 0 ? argsStart : sep;
  return { entryEnd: argumentEnd(held, lastArg, held.length), exitStart: closeAt, ownText: false };
}

/**
 * End of "fd, buf, count" in the entry line of a write whose own text follows the count. See the
 * file comment for how the count's digits are told from the text's.
 */
export function writeEntryEnd(held: string, argsStart: number, ret: string | null): number {
  const end = held.length;
  const lastArgEnd = (): number => {
    const sep = lastTopLevelSeparator(held, argsStart, end);
    return argumentEnd(held, sep < 0 ? argsStart : sep, end);
  };
  const firstSep = held.indexOf(', ', argsStart);
  if (firstSep < 0 || held.charCodeAt(firstSep + 2) !== 34) return lastArgEnd();
  const bufStart = firstSep + 2;
  let bufEnd = skipString(held, bufStart, end);
  const truncated = held.startsWith('...', bufEnd);
  if (truncated) bufEnd += 3;
  if (!held.startsWith(', ', bufEnd)) return lastArgEnd();
  const digits = bufEnd + 2;
  let digitsEnd = digits;
  while (digitsEnd < end && held.charCodeAt(digitsEnd) >= 48 && held.charCodeAt(digitsEnd) <= 57) digitsEnd++;
  if (digitsEnd - digits <= 1) return digitsEnd;
  const run = held.slice(digits, digitsEnd);
  if (ret !== null && /^\d+$/.test(ret) && run.startsWith(ret)) return digits + ret.length;
  const text = unquote(held.slice(bufStart, bufEnd)) ?? '';
  const bytes = Buffer.byteLength(text, 'utf8');
  if (!truncated && run.startsWith(String(bytes))) return digits + String(bytes).length;
  const firstLine = text.split('\n', 1)[0] ?? '';
  for (let k = 1; k < run.length; k++) {
    if (Number(run.slice(0, k)) <= bytes) continue;
    const rest = held.slice(digits + k);
    if (rest.startsWith(firstLine) || firstLine.startsWith(rest)) return digits + k;
  }
  return digitsEnd;
}
