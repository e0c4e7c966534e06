// Network endpoints as the sources write them: strace socket addresses and -yy fd annotations,
// "ip:port" targets, and the field names Windows (Sysmon 3, Security 5156) and Procmon use.
// Pure text → value functions; nothing here knows about the case file.

export type Transport = 'tcp' | 'udp';

export interface Endpoint {
  ip: string;
  port: number;
}

/** Both ends of a connection as seen from the host that owns the socket. */
export interface SocketEnds {
  transport: Transport | null;
  local: Endpoint | null;
  remote: Endpoint | null;
}

export function endpointKey(e: Endpoint): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) and bracketed forms compare as the plain address. */
export function normaliseIp(ip: string): string {
  const bare = ip.trim().replace(/^\[|\]$/g, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  return mapped?.[1] ?? bare;
}

function port(text: string | undefined | null): number | null {
  if (text === undefined || text === null) return null;
  const n = Number(String(text).trim());
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : null;
}

function endpoint(ip: string | undefined | null, p: string | number | undefined | null): Endpoint | null {
  if (ip === undefined || ip === null || ip.trim() === '') return null;
  const n = port(p === undefined || p === null ? null : String(p));
  return n === null ? null : { ip: normaliseIp(ip), port: n };
}

/** "10.0.0.1:502", "[::1]:502" → endpoint; anything else → null. */
export function parseHostPort(text: string | null | undefined): Endpoint | null {
  if (!text) return null;
  const m = /^\s*(?:\[([0-9a-fA-F:.]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):(\d{1,5})\s*$/.exec(text);
  if (!m) return null;
  return endpoint(m[1] ?? m[2], m[3]);
}

// {sa_family=AF_INET, sin_port=htons(502), sin_addr=inet_addr("127.0.0.1")}
const SOCKADDR_IN = /sin_port=htons\((\d+)\),\s*sin_addr=inet_addr\("([^"]+)"\)/;
// {sa_family=AF_INET6, sin6_port=htons(502), sin6_flowinfo=…, inet_pton(AF_INET6, "::1", &sin6_addr), …}
const SOCKADDR_IN6 = /sin6_port=htons\((\d+)\)[^}]*?inet_pton\(AF_INET6,\s*"([^"]+)"/;

/** The first IPv4/IPv6 socket address strace printed in a call's arguments or result. */
export function parseSockaddr(text: string | null | undefined): Endpoint | null {
  if (!text) return null;
  const v4 = SOCKADDR_IN.exec(text);
  if (v4) return endpoint(v4[2], v4[1]);
  const v6 = SOCKADDR_IN6.exec(text);
  if (v6) return endpoint(v6[2], v6[1]);
  return null;
}

/** An fd as strace -y/-yy writes it: `7<socket:[58594]>`, `5<TCP:[127.0.0.1:40100->127.0.0.1:502]>`. */
export interface FdAnnotation {
  fd: number;
  /** Kernel socket inode when -y shows it (`socket:[N]`) or -yy adds it (`TCP:[N]` before connect). */
  inode: string | null;
  ends: SocketEnds | null;
}

// The annotation may itself hold '->' (-yy's local->remote), so '>' ends it only when not after '-'.
const FD_PREFIX = /^\s*(\d+)(?:<((?:->|[^<>])*)>)?/;
const YY = /^(TCP|UDP|TCPv6|UDPv6):\[(.*)\]$/;

function splitAddr(text: string): Endpoint | null {
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  if (v6) return endpoint(v6[1], v6[2]);
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return null;
  return endpoint(text.slice(0, colon), text.slice(colon + 1));
}

/** Reads the annotation inside `<…>` of an fd (without the angle brackets). */
export function parseFdAnnotation(inner: string): Pick<FdAnnotation, 'inode' | 'ends'> {
  const socket = /^socket:\[(\d+)\]$/.exec(inner);
  if (socket) return { inode: socket[1] ?? null, ends: null };
  const yy = YY.exec(inner);
  if (!yy) return { inode: null, ends: null };
  const transport: Transport = yy[1]?.startsWith('TCP') ? 'tcp' : 'udp';
  const body = yy[2] ?? '';
  if (/^\d+$/.test(body)) return { inode: body, ends: { transport, local: null, remote: null } };
  const arrow = body.indexOf('->');
  if (arrow < 0) return { inode: null, ends: { transport, local: splitAddr(body), remote: null } };
  return { inode: null, ends: { transport, local: splitAddr(body.slice(0, arrow)), remote: splitAddr(body.slice(arrow + 2)) } };
}

/** The leading fd argument of a call (`7<socket:[58594]>, …`), or null when the call has none. */
export function parseLeadingFd(args: string | null | undefined): FdAnnotation | null {
  if (!args) return null;
  const m = FD_PREFIX.exec(args);
  if (!m) return null;
  const fd = Number(m[1]);
  if (m[2] === undefined) return { fd, inode: null, ends: null };
  return { fd, ...parseFdAnnotation(m[2]) };
}

/** A call's result when it is an fd: `7<socket:[58594]>` or plain `7`. */
export function parseFdResult(ret: string | null | undefined): FdAnnotation | null {
  if (!ret || !/^\d+/.test(ret)) return null;
  return parseLeadingFd(ret);
}

function str(fields: Record<string, unknown>, ...names: string[]): string | null {
  for (const n of names) {
    const v = fields[n];
    if (typeof v === 'string' && v.trim() !== '') return v;
    if (typeof v === 'number') return String(v);
  }
  return null;
}

function transportOf(text: string | null): Transport | null {
  if (!text) return null;
  const t = text.trim().toLowerCase();
  if (t === 'tcp' || t === '6') return 'tcp';
  if (t === 'udp' || t === '17') return 'udp';
  return null;
}

/**
 * Ends of a host-side network record from its fields: Sysmon 3 (SourceIp/DestinationIp, Initiated),
 * Security 5156 (SourceAddress/DestAddress, Direction %%14592 inbound), Procmon (local_/remote_).
 * Sysmon and 5156 write source → destination; an inbound record's local end is the destination.
 */
export function windowsNetworkEnds(fields: Record<string, unknown>): SocketEnds | null {
  const procmonLocal = endpoint(str(fields, 'local_addr'), str(fields, 'local_port'));
  const procmonRemote = endpoint(str(fields, 'remote_addr'), str(fields, 'remote_port'));
  if (procmonLocal || procmonRemote) return { transport: transportOf(str(fields, 'protocol')), local: procmonLocal, remote: procmonRemote };
  const src = endpoint(str(fields, 'SourceIp', 'SourceAddress'), str(fields, 'SourcePort'));
  const dst = endpoint(str(fields, 'DestinationIp', 'DestAddress'), str(fields, 'DestinationPort', 'DestPort'));
  if (!src && !dst) return null;
  const transport = transportOf(str(fields, 'Protocol'));
  const initiated = str(fields, 'Initiated');
  const direction = str(fields, 'Direction');
  const inbound = initiated?.toLowerCase() === 'false' || direction === '%%14592' || direction?.toLowerCase() === 'inbound';
  return inbound ? { transport, local: dst, remote: src } : { transport, local: src, remote: dst };
}
