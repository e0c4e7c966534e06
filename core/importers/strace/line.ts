// Lexing of one strace/ltrace output line, shared by both importers. Everything here scans with
// indexOf/charCodeAt from known positions: no regex ever runs over the argument text, because
// arguments can be long (-s 4096 buffers) and this is the per-line hot path.
//
// Line shape: [pid prefix] [timestamp] body [ <duration>]
//   pid prefix: "1234 " (-f with -o FILE) or "[pid 1234] " (-f on stderr)
//   timestamp : "HH:MM:SS" (-t), "HH:MM:SS.uuuuuu" (-tt), "1764137602.123456" (-ttt)
//   body      : name(args) = ret | name(args <unfinished ...> | <... name resumed>rest) = ret
//               | --- signal --- | +++ exit +++ | strace: notice

/** What precedes the body. `clock` tells how `timeUs` reads. */
export interface LineHead {
  pid: number | null;
  clock: 'none' | 'tod' | 'epoch';
  /** µs since midnight (tod) or since the Unix epoch (epoch); 0 when clock is 'none'. */
  timeUs: number;
  /** Index of the first body character. */
  body: number;
}

export function newLineHead(): LineHead {
  return { pid: null, clock: 'none', timeUs: 0, body: 0 };
}

const SPACE = 32;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const COLON = 58;
const DOT = 46;

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

function skipSpaces(text: string, i: number): number {
  while (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === 9) i++;
  return i;
}

/** Reads the pid prefix and timestamp into `out`. Returns false when a prefix is malformed. */
export function readHead(text: string, out: LineHead): boolean {
  out.pid = null;
  out.clock = 'none';
  out.timeUs = 0;
  let i = 0;
  const c0 = text.charCodeAt(0);
  if (c0 === 91 /* [ */ && text.startsWith('[pid', 0)) {
    i = skipSpaces(text, 4);
    const start = i;
    let pid = 0;
    for (let c = text.charCodeAt(i); isDigit(c); c = text.charCodeAt(++i)) pid = pid * 10 + c - DIGIT_0;
    if (i === start || text.charCodeAt(i) !== 93 /* ] */) return false;
    out.pid = pid;
    i = skipSpaces(text, i + 1);
  } else if (isDigit(c0)) {
    let j = 0;
    let pid = 0;
    for (let c = c0; isDigit(c); c = text.charCodeAt(++j)) pid = pid * 10 + c - DIGIT_0;
    // digits followed by a space are a pid column; followed by ':' or '.' they are a timestamp
    if (text.charCodeAt(j) === SPACE && j <= 10) {
      out.pid = pid;
      i = skipSpaces(text, j);
    }
  }
  if (isDigit(text.charCodeAt(i))) {
    let j = i;
    let colons = 0;
    let dots = 0;
    for (;;) {
      const c = text.charCodeAt(j);
      if (c === COLON) colons++;
      else if (c === DOT) dots++;
      else if (!isDigit(c)) break;
      j++;
    }
    if (text.charCodeAt(j) !== SPACE) return false;
    const us = colons > 0 ? parseTimeOfDayUs(text, i, j) : dots <= 1 ? parseSecondsUs(text, i, j) : null;
    if (us === null) return false;
    out.clock = colons > 0 ? 'tod' : 'epoch';
    out.timeUs = us;
    i = skipSpaces(text, j);
  }
  out.body = i;
  return true;
}

/** "HH:MM:SS[.fraction]" between start and end → µs since midnight, or null. */
export function parseTimeOfDayUs(text: string, start: number, end: number): number | null {
  // hand-rolled (no closure, no regex): this runs once per line
  let i = start;
  let h = 0;
  while (i < end && i - start < 2 && isDigit(text.charCodeAt(i))) h = h * 10 + text.charCodeAt(i++) - DIGIT_0;
  if (i === start || h > 23 || text.charCodeAt(i) !== COLON) return null;
  const m = twoDigits(text, i + 1);
  if (m < 0 || m > 59 || text.charCodeAt(i + 3) !== COLON) return null;
  const sec = twoDigits(text, i + 4);
  if (sec < 0 || sec > 60) return null;
  i += 6;
  let us = (h * 3600 + m * 60 + sec) * 1_000_000;
  if (i < end) {
    if (text.charCodeAt(i) !== DOT) return null;
    const frac = fractionUs(text, i + 1, end);
    if (frac === null) return null;
    us += frac;
  } else if (i !== end) return null;
  return us;
}

function twoDigits(text: string, i: number): number {
  const a = text.charCodeAt(i);
  const b = text.charCodeAt(i + 1);
  return isDigit(a) && isDigit(b) ? (a - DIGIT_0) * 10 + b - DIGIT_0 : -1;
}

/** Decimal seconds "123.000456" between start and end → µs (fraction truncated to µs), or null. */
export function parseSecondsUs(text: string, start: number, end: number): number | null {
  let i = start;
  let whole = 0;
  while (i < end && isDigit(text.charCodeAt(i))) whole = whole * 10 + text.charCodeAt(i++) - DIGIT_0;
  if (i === start || i - start > 12) return null;
  if (i === end) return whole * 1_000_000;
  if (text.charCodeAt(i) !== DOT) return null;
  const frac = fractionUs(text, i + 1, end);
  return frac === null ? null : whole * 1_000_000 + frac;
}

function fractionUs(text: string, start: number, end: number): number | null {
  if (start >= end) return null;
  let v = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) return null;
    if (i - start < 6) v = v * 10 + c - DIGIT_0; // digits past µs are truncated, keeping order
  }
  for (let k = end - start; k < 6; k++) v *= 10;
  return v;
}

/** True for characters that may appear in a syscall / library function name. */
function isNameChar(c: number, library: boolean): boolean {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 95 /* _ */) return true;
  if (c === 63 /* ? */) return true; // strace prints "????" for an unknown syscall
  // ltrace: "strlen@libc.so.6", "libc.so.6->malloc", "SYS_openat"
  return library && (c === 64 /* @ */ || c === DOT || c === 45 /* - */ || c === 62 /* > */);
}

/** Index of the "(" ending a call name starting at `from`, or -1 when the body is not a call. */
export function callNameEnd(text: string, from: number, library: boolean): number {
  let i = from;
  while (i < text.length && isNameChar(text.charCodeAt(i), library)) i++;
  return i > from && text.charCodeAt(i) === 40 /* ( */ ? i : -1;
}

/** For "<... name resumed>rest": the name's [start, end) and where rest begins, or null. */
export function readResumed(text: string, from: number): { nameStart: number; nameEnd: number; rest: number } | null {
  if (!text.startsWith('<... ', from)) return null;
  const nameStart = from + 5;
  const marker = text.indexOf(' resumed>', nameStart);
  if (marker < 0 || marker - nameStart > 200) return null;
  return { nameStart, nameEnd: marker, rest: marker + 9 };
}

/** How a call line ends, read backwards from the end of the line. */
export interface CallTail {
  state: 'complete' | 'unfinished' | 'no-return' | 'malformed';
  /** End (exclusive) of the argument text: the closing ")" of a complete call. */
  argsEnd: number;
  ret: string | null;
  /** The ret value's -y decoration ("= 3</etc/passwd>" → "/etc/passwd"). */
  retDecoration: string | null;
  error: string | null;
  /** What follows ret and error: "(Timeout)", "([{fd=3, revents=POLLIN}])", an errno text. */
  retDetail: string | null;
  durUs: number | null;
}

const UNFINISHED = '<unfinished ...>';
const NO_RETURN = '<no return ...>';

function trimEndIndex(text: string, from: number, end: number): number {
  while (end > from && (text.charCodeAt(end - 1) === SPACE || text.charCodeAt(end - 1) === 9)) end--;
  return end;
}

export function readCallTail(text: string, from: number): CallTail {
  let end = trimEndIndex(text, from, text.length);
  let durUs: number | null = null;
  if (end > from && text.charCodeAt(end - 1) === 62 /* > */) {
    const lt = text.lastIndexOf('<', end - 1);
    if (lt > from && text.charCodeAt(lt - 1) === SPACE) {
      const d = parseSecondsUs(text, lt + 1, end - 1);
      if (d !== null || text.startsWith('unavailable>', lt + 1)) {
        durUs = d;
        end = trimEndIndex(text, from, lt);
      }
    }
  }
  const tail: CallTail = { state: 'malformed', argsEnd: end, ret: null, retDecoration: null, error: null, retDetail: null, durUs };
  if (text.charCodeAt(end - 1) === 62 /* > */) {
    const unfinished = text.endsWith(UNFINISHED, end);
    if (unfinished || text.endsWith(NO_RETURN, end)) {
      tail.state = unfinished ? 'unfinished' : 'no-return';
      tail.argsEnd = trimEndIndex(text, from, end - (unfinished ? UNFINISHED.length : NO_RETURN.length));
      return tail;
    }
  }
  // The result follows the last " = " whose left side ends with ")"; earlier " = " may sit inside
  // a string argument, and a returned string (ltrace) may itself contain " = ".
  let eq = text.lastIndexOf(' = ', end - 2);
  for (let tries = 0; eq >= from && tries < 8; tries++) {
    const close = trimEndIndex(text, from, eq);
    if (text.charCodeAt(close - 1) === 41 /* ) */) {
      tail.state = 'complete';
      tail.argsEnd = close - 1;
      readResult(text, eq + 3, end, tail);
      return tail;
    }
    eq = text.lastIndexOf(' = ', eq - 1);
  }
  return tail;
}

/** Splits "RET[<deco>] [ERRNO] [(detail)]" into the tail's ret fields. */
function readResult(text: string, start: number, end: number, tail: CallTail): void {
  let i = skipSpaces(text, start);
  const valueStart = i;
  if (text.charCodeAt(i) === 34 /* " */) {
    i = skipString(text, i, end);
    while (text.charCodeAt(i) === DOT && i < end) i++; // "..." after a cut string
  } else if (text.charCodeAt(i) === 60 /* < */) {
    const gt = text.indexOf('>', i); // ltrace's "<void>"
    i = gt < 0 || gt >= end ? end : gt + 1;
  } else {
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === 60 /* < */) break;
      i++;
    }
  }
  tail.ret = text.slice(valueStart, i);
  if (text.charCodeAt(i) === 60 && i < end && i > valueStart) {
    const close = decorationEnd(text, i, end);
    tail.retDecoration = text.slice(i + 1, close - 1);
    i = close;
  }
  i = skipSpaces(text, i);
  if (i >= end) return;
  const c = text.charCodeAt(i);
  if (c === 69 /* E */) {
    let j = i + 1;
    while (j < end) {
      const d = text.charCodeAt(j);
      if (!((d >= 65 && d <= 90) || isDigit(d) || d === 95)) break;
      j++;
    }
    if (j === end || text.charCodeAt(j) === SPACE) {
      tail.error = text.slice(i, j);
      i = skipSpaces(text, j);
    }
  }
  if (i < end) {
    const detail = text.slice(i, end);
    if (tail.ret === '-1' && tail.error === null && detail.startsWith('(errno ')) tail.error = detail.slice(1, -1);
    else if (tail.error === null) tail.retDetail = detail; // an errno's text is implied by its name
  }
}

/** Index just past the closing quote of the C string starting at `i` (or `end`). */
export function skipString(text: string, i: number, end: number): number {
  for (let j = i + 1; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === 92 /* \ */) j++;
    else if (c === 34) return j + 1;
  }
  return end;
}

/**
 * Index just past the ">" closing a -y decoration that opens at `lt`. A ">" closes it only when
 * followed by a separator, so "TCP:[a:1->b:2]" and nested "/dev/pts/0<char 136:0>" survive.
 */
export function decorationEnd(text: string, lt: number, end: number): number {
  for (let j = lt + 1; j < end; j++) {
    if (text.charCodeAt(j) !== 62) continue;
    if (j + 1 >= end) return end;
    const n = text.charCodeAt(j + 1);
    if (n === 44 || n === 41 || n === SPACE || n === 93 || n === 125 || n === 9) return j + 1;
  }
  return end;
}

/**
 * The first `limit` top-level arguments between start and end, trimmed. Respects strings,
 * brackets and -y decorations; stops scanning as soon as `limit` arguments are read.
 */
export function splitArgs(text: string, start: number, end: number, limit: number): string[] {
  const out: string[] = [];
  let depth = 0;
  let argStart = start;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i = skipString(text, i, end) - 1;
    } else if (c === 91 || c === 123 || c === 40) depth++;
    else if (c === 93 || c === 125 || c === 41) depth--;
    else if (c === 60 /* < */ && i > start) {
      const p = text.charCodeAt(i - 1);
      if (isDigit(p) || p === 68 /* AT_FDCWD */) i = decorationEnd(text, i, end) - 1;
    } else if (c === 44 && depth <= 0) {
      out.push(text.slice(argStart, i).trim());
      if (out.length >= limit) return out;
      argStart = i + 1;
    }
  }
  const last = text.slice(argStart, end).trim();
  if (last.length > 0 || out.length > 0) out.push(last);
  return out;
}

/** "3</etc/passwd>" → {fd: "3", decoration: "/etc/passwd"}; "3" → decoration null. */
export function splitDecoration(arg: string): { fd: string; decoration: string | null } {
  const lt = arg.indexOf('<');
  if (lt <= 0 || !arg.endsWith('>')) return { fd: arg, decoration: null };
  return { fd: arg.slice(0, lt), decoration: arg.slice(lt + 1, -1) };
}

/**
 * A C string argument as strace/ltrace print it ("/tmp/a\nb", octal and hex escapes, a trailing
 * "..." when cut) → its text, or null when the argument is not a string.
 */
export function unquote(arg: string): string | null {
  if (arg.charCodeAt(0) !== 34) return null;
  const close = skipString(arg, 0, arg.length);
  const inner = arg.slice(1, close - 1);
  if (!inner.includes('\\')) return inner;
  const bytes: number[] = [];
  for (let i = 0; i < inner.length; i++) {
    const c = inner.charCodeAt(i);
    if (c !== 92) {
      if (c < 0x80) bytes.push(c);
      else for (const b of Buffer.from(inner[i] ?? '', 'utf8')) bytes.push(b);
      continue;
    }
    const n = inner[++i] ?? '';
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8, e: 27, '\\': 92, '"': 34, "'": 39 };
    if (n in simple) bytes.push(simple[n] ?? 0);
    else if (n === 'x') {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(inner.slice(i + 1, i + 3))?.[0] ?? '';
      bytes.push(parseInt(hex || '0', 16));
      i += hex.length;
    } else if (n >= '0' && n <= '7') {
      const oct = /^[0-7]{1,3}/.exec(inner.slice(i, i + 3))?.[0] ?? '0';
      bytes.push(parseInt(oct, 8) & 0xff);
      i += oct.length - 1;
    } else bytes.push(92, n.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Arguments text of a first half and its resumed rest, joined as one call would print them. */
export function joinArgs(head: string, rest: string): string {
  const h = head.trimEnd();
  const r = rest.trimStart();
  if (h.length === 0) return r;
  if (r.length === 0) return h;
  return h.endsWith(',') ? `${h} ${r}` : `${h}${r}`;
}

/** True when a line looks like the start of a record rather than the rest of a broken one. */
export function looksLikeRecordStart(text: string): boolean {
  const c = text.charCodeAt(0);
  return isDigit(c) || c === 91 /* [ */ || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 60 || c === 45 || c === 43 || c === 63;
}
