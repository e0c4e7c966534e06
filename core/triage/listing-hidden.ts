// Built-in check over library-call traces (ltrace, frida-trace): a directory listing that shows
// fewer entries than the directory's own link count allows. On ext4, xfs and tmpfs a directory's
// link count is 2 + its number of subdirectories, and `ls -la DIR` prints that count on its "."
// line; readdir() must then return at least that many entries ("." and ".." included). When a
// process's readdir calls on DIR returned fewer entries than "." reports links, something between
// the program and the kernel dropped directory entries: a preloaded readdir hook (LD_PRELOAD,
// /etc/ld.so.preload) or another userland rootkit. The same comparison is how rootkit checkers
// find hidden directories (chkrootkit's chkdirs). It can miss (hidden files do not change the
// link count; btrfs and overlay report 1 link) but does not fire on an honest listing.
import { splitArgs, unquote } from '../importers/strace/line.ts';
import type { CaseStore } from '../store/case-store.ts';
import { EVENT_SELECT, EVENT_SPEC } from '../store/event-rows.ts';
import { joinSql, sql } from '../store/sql.ts';
import type { Hit, TriageEvent } from './engine.ts';
import type { Rule } from './sigma/types.ts';
import { FULL_SCOPE, inScope, type TriageScope } from './scope.ts';

export const LISTING_RULE: Rule = {
  id: 'tb-lnx-listing-hides-entries',
  title: 'Directory listing hides entries (readdir results filtered)',
  description: 'readdir() returned fewer entries for a directory than its link count ("." line of ls -l) requires: subdirectories were filtered out between libc and the program.',
  level: 'high',
  attack: ['T1014', 'T1574.006', 'T1564.001', 'T0851'],
  tags: ['attack.defense_evasion', 'attack.t1014', 'attack.t1574.006', 'attack.t1564.001', 'attack.ics.t0851'],
  logsource: { product: 'linux' },
  selections: new Map(),
  condition: null,
  correlation: null,
  why: 'A readdir hook that hides a directory is a userland rootkit: every listing on the HMI, including the responder\'s own, lies about what is on disk.',
  check_next: [
    'Look for the hidden directory with a tool that does not use the hooked libc (static busybox, getdents in strace, the disk image).',
    'Check /etc/ld.so.preload, LD_PRELOAD in the environment and libraries loaded from temporary directories.',
  ],
  falsepositives: ['A subdirectory created or removed between the readdir and the stat of "." (a race: re-run the listing)'],
  score: null,
  groupBy: 'process',
  file: '(built-in)',
  line: 0,
};

const DIR_OPS = ['opendir', 'fdopendir', 'readdir', 'readdir64', 'closedir'];
const OUT_OPS = ['fwrite', 'fwrite_unlocked', 'fputs', 'fputs_unlocked', 'puts', 'write'];
/** "drwxrwxrwt  3 " — the mode and link-count field GNU ls writes for a directory. */
const MODE_LINKS = /^d[rwxsStT-]{9}[.+@]?\s+(\d+)\s/;
/** A whole `ls -l` line for ".": mode, links, …, name. */
const DOT_LINE = /^d[rwxsStT-]{9}[.+@]?\s+(\d+)\s.*\s\.\/?$/;

interface DirRead {
  path: string | null;
  handle: string;
  entries: number;
  complete: boolean;
  events: TriageEvent[];
}
interface DotLine {
  links: number;
  events: TriageEvent[];
}

export async function listingHiddenHits(store: CaseStore, scope: TriageScope = FULL_SCOPE): Promise<Hit[]> {
  const rows = (await store.rows(
    sql`WITH procs AS (
          SELECT capture_id, pid FROM event_rows WHERE op IN ('opendir', 'fdopendir') AND pid IS NOT NULL
          INTERSECT SELECT capture_id, pid FROM event_rows WHERE op IN ('readdir', 'readdir64') AND pid IS NOT NULL)
        SELECT ${EVENT_SELECT}, p.image, p.parent_image, p.tgid, p.root_pid
        FROM event_rows e JOIN procs USING (capture_id, pid)
        LEFT JOIN triage_proc p ON p.capture_id = e.capture_id AND p.pid = e.pid
        WHERE ${inScope(scope)} AND list_contains([${joinSql([...DIR_OPS, ...OUT_OPS].map((o) => sql`${o}`), ', ')}], e.op)
        ORDER BY e.capture_id, e.pid, e.ts_us, e.event_id`,
    { ...EVENT_SPEC, image: 'str?', parent_image: 'str?', tgid: 'num?', root_pid: 'num?' },
  )) as TriageEvent[];
  const byProc = new Map<string, TriageEvent[]>();
  for (const e of rows) {
    const k = `${e.capture_id}:${e.pid}`;
    const list = byProc.get(k);
    if (list) list.push(e);
    else byProc.set(k, [e]);
  }
  const hits: Hit[] = [];
  for (const events of byProc.values()) hits.push(...checkProcess(events));
  return hits;
}

/** The hits of one process's directory reads and output, in call order. */
export function checkProcess(events: TriageEvent[]): Hit[] {
  const dirs: DirRead[] = [];
  const open = new Map<string, DirRead>();
  const chunks: { text: string; event: TriageEvent }[] = [];
  for (const e of events) {
    const args = splitArgs(e.args ?? '', 0, (e.args ?? '').length, 3);
    if (e.op === 'opendir' || e.op === 'fdopendir') {
      if (!e.ret || isNull(e.ret)) continue;
      const d: DirRead = { path: e.op === 'opendir' ? (e.target ?? unquote(args[0] ?? '')) : null, handle: e.ret.trim(), entries: 0, complete: false, events: [e] };
      dirs.push(d);
      open.set(d.handle, d);
    } else if (e.op === 'readdir' || e.op === 'readdir64') {
      const d = open.get((args[0] ?? '').trim());
      if (!d || d.complete) continue;
      d.events.push(e);
      if (isNull(e.ret)) d.complete = true;
      else d.entries++;
    } else if (e.op === 'closedir') {
      const d = open.get((args[0] ?? '').trim());
      if (d) {
        d.events.push(e);
        open.delete(d.handle);
      }
    } else {
      const text = outputText(e.op, args);
      if (text !== null) chunks.push({ text, event: e });
    }
  }
  const dots = dotLines(chunks);
  const listed = dirs.filter((d) => d.complete);
  // Pair listings with "." lines only when that is unambiguous: ls lists its directories in the
  // order it prints them, so equal counts pair in order; otherwise nothing is claimed.
  if (listed.length === 0 || listed.length !== dots.length) return [];
  const hits: Hit[] = [];
  listed.forEach((d, i) => {
    const dot = dots[i] as DotLine;
    if (dot.links <= d.entries) return;
    hits.push({
      events: [...d.events, ...dot.events],
      detail: `readdir returned ${d.entries} entr${d.entries === 1 ? 'y' : 'ies'} of ${d.path ?? 'the directory'} ("." and ".." included) but the listing shows "." with ${dot.links} links, so at least ${dot.links - d.entries} subdirector${dot.links - d.entries === 1 ? 'y was' : 'ies were'} filtered out of readdir`,
    });
  });
  return hits;
}

function isNull(ret: string | null): boolean {
  const r = (ret ?? '').trim();
  return r === '' || r === '0' || r === 'nil' || r === '(nil)' || r === '0x0' || r === 'NULL';
}

/** The bytes a stdio or write call put out (to stdout for write), as far as the trace shows them. */
function outputText(op: string, args: string[]): string | null {
  if (op === 'write') {
    if ((args[0] ?? '').replace(/<.*$/, '') !== '1') return null;
    const s = unquote(args[1] ?? '');
    const n = Number(args[2]);
    return s === null ? null : Number.isInteger(n) && n >= 0 ? s.slice(0, n) : s;
  }
  const s = unquote(args[0] ?? '');
  if (s === null) return null;
  if (op === 'fwrite' || op === 'fwrite_unlocked') {
    const n = Number(args[1]) * Number(args[2]);
    return Number.isInteger(n) && n >= 0 ? s.slice(0, n) : s; // ltrace prints past the length up to a NUL
  }
  return op === 'puts' ? `${s}\n` : s;
}

/**
 * The "." entries of long listings in a process's output: either whole lines, or GNU ls's
 * pieces (mode+links, owner, group, size+date, name: separators go through putc, which is a
 * macro and never traced), where the name is the piece right after the date.
 */
function dotLines(chunks: { text: string; event: TriageEvent }[]): DotLine[] {
  const out: DotLine[] = [];
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i] as { text: string; event: TriageEvent };
    for (const line of c.text.split('\n')) {
      const m = DOT_LINE.exec(line);
      if (m) out.push({ links: Number(m[1]), events: [c.event] });
    }
    const mode = MODE_LINKS.exec(c.text);
    if (!mode || c.text.includes('\n')) continue;
    // The pieces of this entry: up to the next mode piece, at most owner, group, size+date, name.
    for (let j = i + 1; j < Math.min(chunks.length, i + 7); j++) {
      const t = (chunks[j] as { text: string }).text;
      if (MODE_LINKS.test(t) || t.includes('\n')) break;
      const prev = (chunks[j - 1] as { text: string }).text;
      if ((t === '.' || t === './') && /(\d{1,2}:\d{2}|\d{4}) $/.test(prev)) {
        out.push({ links: Number(mode[1]), events: [c.event, (chunks[j] as { event: TriageEvent }).event] });
        break;
      }
    }
  }
  return out;
}
