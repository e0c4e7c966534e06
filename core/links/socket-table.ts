// Host-side connections from API captures (strace, ltrace, frida): the fd table of each process
// is replayed call by call — socket/accept open a socket, connect/bind/getsockname/getpeername
// and strace -yy annotations fill in its ends, dup copies and close drops an fd — so every call
// on a socket fd is attached to one connection with its 5-tuple as far as the capture tells it.
// Windows records that carry their own ends (Sysmon 3, Security 5156, Procmon TCP/UDP) are one
// connection each.
import {
  parseFdAnnotation,
  parseFdResult,
  parseLeadingFd,
  parseSockaddr,
  windowsNetworkEnds,
  type Endpoint,
  type FdAnnotation,
  type SocketEnds,
  type Transport,
} from './endpoints.ts';

export interface HostCallRow {
  event_id: number;
  capture_id: number;
  ts_us: number;
  dur_us: number | null;
  pid: number | null;
  kind: string;
  op: string;
  target: string | null;
  args: string | null;
  ret: string | null;
  error: string | null;
  fields: Record<string, unknown> | null;
}

/** How a connection's ends were learnt (stored as part of a link's rule). */
export type EndsSource = 'strace -yy annotation' | 'fd table' | 'record fields';

export interface HostConnection {
  capture_id: number;
  pid: number | null;
  /** The call or record that opened the connection: connect, accept, or a Windows network record. */
  anchor_event_id: number;
  anchor_ts_us: number;
  anchor_dur_us: number | null;
  /** connect → client; accept → server; null when a record does not say. */
  role: 'client' | 'server' | null;
  transport: Transport | null;
  local: Endpoint | null;
  remote: Endpoint | null;
  /** Other calls on the same socket (send, recv, read, write, close …), in time order. */
  calls: number[];
  source: EndsSource;
}

interface SocketState {
  inode: string | null;
  transport: Transport | null;
  local: Endpoint | null;
  remote: Endpoint | null;
  anchor: HostCallRow | null;
  role: 'client' | 'server' | null;
  calls: number[];
  fromAnnotation: boolean;
}

const CONNECT = new Set(['connect', 'connectx']);
const ACCEPT = new Set(['accept', 'accept4']);
const DUP = new Set(['dup', 'dup2', 'dup3']);
/** Calls whose address argument is the peer (or, for sendto/sendmsg on UDP, the destination). */
const PEER_ARG = new Set(['connect', 'getpeername', 'sendto', 'sendmsg']);

function transportFromSocketArgs(args: string | null): Transport | null | 'not-inet' {
  if (!args) return null;
  if (/AF_(UNIX|LOCAL|NETLINK|PACKET)|PF_(UNIX|LOCAL|NETLINK)/.test(args)) return 'not-inet';
  if (/SOCK_STREAM/.test(args)) return 'tcp';
  if (/SOCK_DGRAM/.test(args)) return 'udp';
  return null;
}

function failed(row: HostCallRow): boolean {
  if (row.error === null) return false;
  // A non-blocking connect is under way: the SYN has left.
  return !(CONNECT.has(row.op) && /^(EINPROGRESS|EAGAIN|EALREADY|EWOULDBLOCK)$/.test(row.error));
}

/** The fd a call returned; strace's importer keeps its -y annotation in `target` and the number in `ret`. */
function resultFdOf(row: HostCallRow): FdAnnotation | null {
  const fd = parseFdResult(row.ret);
  if (!fd || fd.inode !== null || fd.ends !== null || !row.target) return fd;
  return { fd: fd.fd, ...parseFdAnnotation(row.target) };
}

function mergeEnds(state: SocketState, ends: SocketEnds): void {
  if (ends.transport) state.transport = ends.transport;
  if (ends.local) state.local = ends.local;
  if (ends.remote) state.remote = ends.remote;
  if (ends.local || ends.remote) state.fromAnnotation = true;
}

/** Replays one capture's calls (any order: they are sorted by time, then id). */
export function hostConnections(rows: readonly HostCallRow[]): HostConnection[] {
  const sorted = [...rows].sort((a, b) => a.capture_id - b.capture_id || a.ts_us - b.ts_us || a.event_id - b.event_id);
  const all: SocketState[] = [];
  const out: HostConnection[] = [];
  let capture = -1;
  let byInode = new Map<string, SocketState>();
  let byFd = new Map<string, SocketState>();

  const fresh = (inode: string | null): SocketState => {
    const s: SocketState = { inode, transport: null, local: null, remote: null, anchor: null, role: null, calls: [], fromAnnotation: false };
    all.push(s);
    if (inode !== null) byInode.set(inode, s);
    return s;
  };
  const bind = (row: HostCallRow, fd: FdAnnotation, s: SocketState): void => {
    byFd.set(`${row.pid ?? ''}:${fd.fd}`, s);
    if (fd.inode !== null && s.inode === null) {
      s.inode = fd.inode;
      byInode.set(fd.inode, s);
    }
  };
  const lookup = (row: HostCallRow, fd: FdAnnotation): SocketState | undefined =>
    (fd.inode !== null ? byInode.get(fd.inode) : undefined) ?? byFd.get(`${row.pid ?? ''}:${fd.fd}`);

  for (const row of sorted) {
    if (row.capture_id !== capture) {
      capture = row.capture_id;
      byInode = new Map();
      byFd = new Map();
    }
    if (row.kind !== 'api') {
      const ends = row.fields ? windowsNetworkEnds(row.fields) : null;
      if (ends && (ends.local || ends.remote)) {
        out.push({
          capture_id: row.capture_id, pid: row.pid, anchor_event_id: row.event_id, anchor_ts_us: row.ts_us, anchor_dur_us: row.dur_us,
          role: null, transport: ends.transport, local: ends.local, remote: ends.remote, calls: [], source: 'record fields',
        });
      }
      continue;
    }
    if (row.op === 'socket') {
      const kind = transportFromSocketArgs(row.args);
      const fd = resultFdOf(row);
      if (kind === 'not-inet' || !fd || failed(row)) continue;
      const s = fresh(fd.inode);
      s.transport = kind;
      bind(row, fd, s);
      continue;
    }
    const fd = parseLeadingFd(row.args);
    if (!fd) continue;
    let s = lookup(row, fd);
    if (!s && fd.ends && (fd.ends.local || fd.ends.remote || fd.ends.transport)) {
      // A socket opened before the capture started: -yy still names it.
      s = fresh(fd.inode);
      bind(row, fd, s);
    }
    if (!s) continue;
    if (fd.ends) mergeEnds(s, fd.ends);
    const resultFd = ACCEPT.has(row.op) || DUP.has(row.op) || row.op === 'fcntl' ? resultFdOf(row) : null;

    if (ACCEPT.has(row.op)) {
      if (failed(row) || !resultFd) continue;
      const child = fresh(resultFd.inode);
      child.transport = s.transport ?? 'tcp';
      child.local = s.local;
      child.remote = parseSockaddr(row.args);
      child.anchor = row;
      child.role = 'server';
      if (resultFd.ends) mergeEnds(child, resultFd.ends);
      bind(row, resultFd, child);
      continue;
    }
    if (DUP.has(row.op) || (row.op === 'fcntl' && /F_DUPFD/.test(row.args ?? ''))) {
      if (resultFd && !failed(row)) bind(row, resultFd, s);
      s.calls.push(row.event_id);
      continue;
    }
    if (CONNECT.has(row.op)) {
      const peer = parseSockaddr(row.args);
      if (peer) s.remote = peer;
      if (s.anchor === null) {
        s.anchor = row;
        s.role = 'client';
      } else s.calls.push(row.event_id);
      continue;
    }
    if (row.op === 'bind' || row.op === 'getsockname') {
      const local = failed(row) ? null : parseSockaddr(row.args);
      if (local) s.local = local;
    } else if (PEER_ARG.has(row.op) && s.remote === null && !failed(row)) {
      const peer = parseSockaddr(row.args);
      if (peer) s.remote = peer;
    }
    s.calls.push(row.event_id);
    if (row.op === 'close' && !failed(row)) byFd.delete(`${row.pid ?? ''}:${fd.fd}`);
  }

  for (const s of all) {
    if (s.anchor === null) continue;
    out.push({
      capture_id: s.anchor.capture_id, pid: s.anchor.pid, anchor_event_id: s.anchor.event_id, anchor_ts_us: s.anchor.ts_us,
      anchor_dur_us: s.anchor.dur_us, role: s.role, transport: s.transport, local: s.local, remote: s.remote, calls: s.calls,
      source: s.fromAnnotation ? 'strace -yy annotation' : 'fd table',
    });
  }
  return out.sort((a, b) => a.capture_id - b.capture_id || a.anchor_ts_us - b.anchor_ts_us);
}
