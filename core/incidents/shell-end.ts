// The end of a reverse shell: the process whose own stdin/stdout became a connected socket (the
// dup2(sock, 0|1) every reverse shell does: bash's /dev/tcp redirection, python's pty trick, nc -e
// before it execs the shell) and when that ended — the process exiting, its last copy of the
// socket closed (close/shutdown), or the connection's end seen on the wire (the first FIN/RST of
// the flow in a packet capture, a Zeek conn record's start + duration). Pure: the calls of one
// process and the case's network events in, the shell's end out; shell-end-read.ts queries them.
import { usToIso } from '../util/time.ts';

/** A call of the candidate process, in time order (socket, connect, dup2/dup3, close, shutdown, exit). */
export interface ShellCall {
  event_id: number;
  ts_us: number;
  op: string;
  target: string | null;
  args: string | null;
  ret: string | null;
  error: string | null;
}

/** A connection of a process that became its standard input or output. */
export interface ShellConnection {
  endpoint: string | null;
  connect_us: number;
  connect_event: number;
  /** When the process closed its last copy of the socket (or shut it down), if it did. */
  closed_us: number | null;
  closed_event: number | null;
}

export interface ShellEnd {
  proc_id: number;
  pid: number;
  image: string | null;
  /** The later of the exit, the close and the wire's end. */
  ts_us: number;
  exited: boolean;
  exit_code: number | null;
  endpoint: string | null;
  closed_us: number | null;
  event_ids: number[];
}

/** A network event without a process (packet capture, flow log) near the shell's connect. */
export interface WireEvent {
  ts_us: number;
  dur_us: number | null;
  op: string;
  target: string | null;
  args: string | null;
}

const ENDPOINT = /^(\[[0-9a-f:]+\]|[0-9]{1,3}(\.[0-9]{1,3}){3}):[0-9]{1,5}$/i;
const SOCKET_NAME = /^(socket|TCP|TCPv6|UDP|UDPv6|UNIX):\[/;

/** The fd a call names first ("3</etc/x>, …" with strace -y, "3, …" otherwise). */
function firstFd(args: string | null): number | null {
  const m = /^\s*(\d+)/.exec(args ?? '');
  return m ? Number(m[1]) : null;
}

/** dup2/dup3's second fd: "3<socket:[1]>, 1<pipe:[2]>" or "3, 1". */
function secondFd(args: string | null): number | null {
  const m = /^\s*\d+(?:<[^>]*>)?\s*,\s*(\d+)/.exec(args ?? '');
  return m ? Number(m[1]) : null;
}

/** Follows one process's socket descriptors; returns the connections it put on fd 0, 1 or 2. */
export function stdioConnections(calls: ShellCall[]): ShellConnection[] {
  // fd → socket identity (strace -y's "socket:[inode]" when shown, else the creating call).
  const fds = new Map<number, string>();
  const connections = new Map<string, ShellConnection>();
  const onStdio = new Set<string>();
  const idOf = (c: ShellCall, fd: number): string => fds.get(fd) ?? (c.target && SOCKET_NAME.test(c.target) ? c.target : `fd${fd}@${c.event_id}`);
  for (const c of [...calls].sort((a, b) => a.ts_us - b.ts_us || a.event_id - b.event_id)) {
    const fd = firstFd(c.args);
    if (c.op === 'socket') {
      const ret = Number.parseInt(c.ret ?? '', 10);
      if (Number.isInteger(ret) && ret >= 0) fds.set(ret, c.target && SOCKET_NAME.test(c.target) ? c.target : `fd${ret}@${c.event_id}`);
    } else if (c.op === 'connect' && fd !== null) {
      const id = idOf(c, fd);
      fds.set(fd, id);
      // A non-blocking connect answers EINPROGRESS and completes later; ltrace shows -1 without errno.
      if (c.error === 'EINPROGRESS' || (c.error === null && c.ret !== '-1')) {
        connections.set(id, { endpoint: c.target && ENDPOINT.test(c.target) ? c.target : null, connect_us: c.ts_us, connect_event: c.event_id, closed_us: null, closed_event: null });
      }
    } else if ((c.op === 'dup2' || c.op === 'dup3') && fd !== null) {
      const to = secondFd(c.args);
      if (to === null) continue;
      const id = fds.get(fd);
      if (id === undefined) {
        fds.delete(to); // something else now sits on `to`
        continue;
      }
      fds.set(to, id);
      if (to <= 2 && connections.has(id)) onStdio.add(id);
    } else if ((c.op === 'close' || c.op === 'shutdown') && fd !== null) {
      const id = fds.get(fd);
      if (id === undefined) continue;
      if (c.op === 'close') fds.delete(fd);
      const conn = connections.get(id);
      const lastCopy = c.op === 'shutdown' || ![...fds.values()].includes(id);
      if (conn && lastCopy && conn.closed_us === null) {
        conn.closed_us = c.ts_us;
        conn.closed_event = c.event_id;
      }
    }
  }
  return [...connections.entries()].filter(([id]) => onStdio.has(id)).map(([, conn]) => conn);
}

/** The flow endpoints of a packet or flow record written "a → b" / "a -> b". */
function flowOf(args: string | null): [string, string] | null {
  const m = /([0-9A-Za-z.:[\]_-]+:[0-9]+)\s*(?:→|->)\s*([0-9A-Za-z.:[\]_-]+:[0-9]+)/.exec(args ?? '');
  return m?.[1] && m[2] ? [m[1], m[2]] : null;
}

/** How far a capture of the wire may sit from the tracer's clock and still be the same connect. */
export const WIRE_MATCH_US = 2_000_000;

/**
 * The connection's end on the wire: a Zeek conn record starting at the connect (start + duration),
 * or, in a packet capture, the first FIN or RST of the flow whose SYN is nearest the connect.
 */
export function wireEnd(conn: Pick<ShellConnection, 'endpoint' | 'connect_us'>, wire: WireEvent[]): { endpoint: string; end_us: number } | null {
  const near = (e: WireEvent) => Math.abs(e.ts_us - conn.connect_us) <= WIRE_MATCH_US && (conn.endpoint === null || e.target === conn.endpoint);
  const flows = wire.filter((e) => e.op === 'conn' && e.dur_us !== null && e.target !== null && near(e));
  const record = flows.sort((a, b) => Math.abs(a.ts_us - conn.connect_us) - Math.abs(b.ts_us - conn.connect_us))[0];
  if (record?.target) return { endpoint: record.target, end_us: record.ts_us + (record.dur_us ?? 0) };
  const syns = wire.filter((e) => near(e) && /\[SYN\]/.test(e.args ?? '') && flowOf(e.args) !== null);
  const syn = syns.sort((a, b) => Math.abs(a.ts_us - conn.connect_us) - Math.abs(b.ts_us - conn.connect_us))[0];
  const pair = syn ? flowOf(syn.args) : null;
  if (!syn || !pair) return null;
  const fin = wire
    .filter((e) => e.ts_us > syn.ts_us && /\b(FIN|RST)\b/.test(e.args ?? ''))
    .filter((e) => {
      const f = flowOf(e.args);
      return f !== null && f.includes(pair[0]) && f.includes(pair[1]);
    })
    .sort((a, b) => a.ts_us - b.ts_us)[0];
  return fin ? { endpoint: pair[1], end_us: fin.ts_us } : null;
}

/** "06:15:16.608 upd.sh (pid 1243): shell ended (exit code 0, connection 127.0.0.1:4444 closed) [shell-end]". */
export function shellEndText(end: ShellEnd): string {
  const name = end.image ? end.image.slice(end.image.lastIndexOf('/') + 1) || end.image : 'process';
  const exit = end.exited ? (end.exit_code !== null ? `exit code ${end.exit_code}` : 'killed') : 'no exit seen';
  const conn = end.closed_us !== null ? `connection ${end.endpoint ?? '(endpoint unknown)'} closed` : `connection ${end.endpoint ?? ''} not seen closing`.replace('  ', ' ');
  return `${usToIso(end.ts_us).slice(11, 23)} ${name} (pid ${end.pid}): shell ended (${exit}, ${conn}) [shell-end]`;
}
